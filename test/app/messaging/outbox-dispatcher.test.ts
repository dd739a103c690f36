import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../../src/app/messaging/outbox-dispatcher.ts';
import { DID, openMessagingDb, type MessagingDb } from '../../sms/fixtures/messaging-db.ts';
import { smppPair } from '../../sms/fixtures/smpp-pair.ts';
import { DEFAULT_WAIT_MS, onceWithin, waitFor } from '../../support/wait-for.ts';

const C1 = '+15125550111';

function setup(t: import('node:test').TestContext, m: MessagingDb, p: Awaited<ReturnType<typeof smppPair>>, window = 10) {
  const dispatcher = new OutboxDispatcher({ window, retryBaseMs: 10, retryMaxMs: 50, pollMs: 20 }, { outbox: m.stores.outbox, rules: m.rules, gateway: p.gw, clock: m.clock });
  const inbound = new InboundMessageHandler(
    { helpContact: 'help@acme.test' },
    { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock, onEnqueued: () => dispatcher.kick() },
  );
  p.gw.onInbound(async (sms) => {
    await inbound.handle(sms);
  });
  // One hook, in shutdown order: stop claiming, close the link, then the database.
  t.after(async () => {
    await dispatcher.stop();
    await p.close();
    m.close();
  });
  return { dispatcher, inbound };
}

function states(m: MessagingDb): Record<string, number> {
  const rows = m.db.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all() as Array<{ state: string; n: number }>;
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

const req = (to: string, body: string, kind: 'first-reply' | 'follow-up' = 'follow-up') => ({
  businessId: 1,
  from: DID,
  to,
  body,
  kind,
  callId: null,
  consentEventId: null,
});

describe('outbox + dispatcher + SMPP (real SQLite, real SMSC)', () => {
  test('sends queued texts, records SMSC ids, applies receipts → delivered', async (t) => {
    const m = openMessagingDb();
    const p = await smppPair({ sim: { receipts: 'text', idForm: 'hex', receiptIdForm: 'decimal' } });
    const { dispatcher } = setup(t, m, p);
    for (let i = 0; i < 3; i++) m.grant(`+1512555020${i}`);
    for (let i = 0; i < 3; i++) m.outbox.enqueue(req(`+1512555020${i}`, `hello ${i} ${'z'.repeat(i * 100)}`));
    dispatcher.start();
    await dispatcher.drain();
    await waitFor(() => states(m).delivered === 3, { what: 'all 3 texts to be delivered' });
    assert.deepEqual(states(m), { delivered: 3 });
    assert.equal(p.sim.messages().length, 3);
    // One-part texts keep their SMSC id on their row; only the two-part text has part rows (one per part).
    const parts = m.db.prepare('SELECT o.body, count(p.part) AS n FROM outbound_messages o LEFT JOIN outbound_parts p ON p.outbound_id = o.id GROUP BY o.id ORDER BY o.id').raw().all();
    assert.deepEqual((parts as Array<[string, number]>).map((r) => r[1]), [0, 0, 2]);
    assert.equal(m.db.prepare('SELECT count(*) FROM outbound_messages WHERE smsc_message_id IS NOT NULL').pluck().get(), 3);
  });

  test('claim-time rules: no consent → refused; implied only for the first reply; cap 4/24h; quiet hours defer', async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    m.grant(C1);
    m.grant('+15125550122', 'implied');
    m.grant('+15125550133', 'declined');
    const ids = {
      noConsent: m.outbox.enqueue(req('+15125550199', 'a')),
      declined: m.outbox.enqueue(req('+15125550133', 'a')),
      impliedFirst: m.outbox.enqueue(req('+15125550122', 'a', 'first-reply')),
      impliedFollow: m.outbox.enqueue(req('+15125550122', 'b')),
    };
    const capIds = Array.from({ length: 5 }, (_, i) => m.outbox.enqueue(req(C1, `cap ${i}`)));
    const claimed = m.outbox.claim(20, m.clock.now(), m.decide).map((c) => c.id);
    assert.deepEqual(claimed.sort((a, b) => a - b), [ids.impliedFirst, ...capIds.slice(0, 4)]);
    const reason = (id: number) => m.db.prepare('SELECT state || \' \' || state_reason FROM outbound_messages WHERE id = ?').pluck().get(id) as string;
    assert.match(reason(ids.noConsent), /^refused consent: consent is none/);
    assert.match(reason(ids.declined), /^refused consent/);
    assert.match(reason(ids.impliedFollow), /^refused consent: consent is implied/);
    assert.match(reason(capIds[4]!), /^refused frequency-cap/);
    // Quiet hours: 23:00 in Chicago, a follow-up waits until 08:00; a first reply goes.
    const night = Date.UTC(2026, 2, 11, 4, 0);
    m.grant('+15125550144');
    const f = m.outbox.enqueue(req('+15125550144', 'late'));
    const first = m.outbox.enqueue(req('+15125550144', 'first', 'first-reply'));
    assert.deepEqual(m.outbox.claim(5, night, m.decide).map((c) => c.id), [first]);
    assert.equal(m.db.prepare('SELECT next_attempt_at FROM outbound_messages WHERE id = ?').pluck().get(f), Date.UTC(2026, 2, 11, 13, 0));
    assert.deepEqual(m.outbox.claim(5, Date.UTC(2026, 2, 11, 13, 0), m.decide).map((c) => c.id), [f]);
  });

  test('STOP arrives while texts are queued: revoked at once, queued cancelled, only the confirmation is sent after it', async (t) => {
    const m = openMessagingDb();
    const p = await smppPair({ gw: { window: 1, tps: 50 } });
    const { dispatcher } = setup(t, m, p, 1);
    m.grant(C1);
    const queued = Array.from({ length: 30 }, (_, i) => m.outbox.enqueue(req(C1, `update ${i}`, 'first-reply')));
    dispatcher.start();
    await onceWithin(p.sim, 'submit', DEFAULT_WAIT_MS, 'the first submit_sm at the SMSC');
    // Snapshot before STOP: the confirmation can reach the SMSC before the deliver_sm answer does.
    const afterStop = p.sim.submits.length;
    assert.equal(await p.sim.deliver({ from: '15125550111', to: '15125550100', text: 'Stop' }), 0);
    await dispatcher.drain();
    const sentAfter = p.sim.submits.slice(afterStop).map((s) => s.text);
    // At most the one in flight when STOP arrived (window 1), then the confirmation.
    assert.ok(sentAfter.length <= 2, JSON.stringify(sentAfter));
    assert.match(sentAfter.at(-1) ?? '', /no more messages/);
    assert.equal(sentAfter.filter((s) => s.startsWith('update')).length <= 1, true);
    assert.equal(m.consent.current(1, C1), 'revoked');
    const st = states(m);
    assert.ok((st.cancelled ?? 0) + (st.refused ?? 0) >= queued.length - 5);
    assert.equal(m.outbox.claim(10, m.clock.now(), m.decide).length, 0);
  });

  test('HELP, START, YES and ordinary replies', async (t) => {
    const m = openMessagingDb();
    const p = await smppPair();
    const { dispatcher, inbound } = setup(t, m, p);
    dispatcher.start();
    m.db.prepare("INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at) VALUES ('asterisk', 'c1', 1, ?, '5125550111', ?, 1)").run(DID, C1);
    const sms = (text: string) => ({ from: '15125550111', to: '15125550100', text, receivedAt: 0 });
    assert.equal(await inbound.handle(sms('yes')), 'reply'); // not opted out: YES is just a reply
    assert.equal(await inbound.handle(sms('HELP')), 'help');
    assert.equal(await inbound.handle(sms('please stop texting me')), 'revoked');
    assert.equal(await inbound.handle(sms('STOP')), 'already-revoked');
    assert.equal(await inbound.handle(sms('YES')), 'reinstated');
    assert.equal(m.consent.current(1, C1), 'granted');
    assert.equal(await inbound.handle(sms('Tuesday at 3 works')), 'reply');
    await dispatcher.drain();
    const texts = p.sim.messages().map((x) => x.text);
    assert.equal(texts.length, 3, JSON.stringify(texts));
    // Parts interleave on the wire (window 10): compare as a set.
    for (const re of [/Acme Plumbing: texts about.*help@acme.test/, /no more messages/, /resubscribed/]) {
      assert.ok(texts.some((x) => re.test(x)), String(re));
    }
    const rows = m.messages.list({ direction: 'in' });
    assert.equal(rows.length, 6);
    assert.ok(rows.every((r) => r.callId === 1 && r.consumer === C1));
    assert.deepEqual(
      rows.map((r) => r.status).reverse(),
      ['YES', 'HELP', 'phrase:stop texting', 'STOP', 'YES', 'reply'],
    );
    assert.deepEqual(m.messages.optOuts({}), []);
    const ledger = m.consent.history(C1, 1).map((e) => [e.event, e.method]);
    assert.deepEqual(ledger, [
      ['revoked', 'sms-keyword'],
      ['reinstated', 'sms-keyword'],
    ]);
  });

  test('SMSC closes mid-burst and throttles: every text is still delivered', async (t) => {
    const m = openMessagingDb();
    const p = await smppPair();
    const { dispatcher } = setup(t, m, p);
    for (let i = 0; i < 40; i++) {
      m.grant(`+151255503${String(i).padStart(2, '0')}`);
      m.outbox.enqueue(req(`+151255503${String(i).padStart(2, '0')}`, `burst ${i}`));
    }
    p.sim.faults.closeAfterSubmits = 12;
    p.sim.faults.throttleNext = 0;
    p.sim.once('bind', () => {
      p.sim.faults.throttleNext = 3;
    });
    dispatcher.start();
    await dispatcher.drain();
    assert.deepEqual(states(m), { submitted: 40 });
    const got = new Set(p.sim.messages().map((x) => x.text));
    for (let i = 0; i < 40; i++) assert.ok(got.has(`burst ${i}`), `burst ${i}`);
  });
});

