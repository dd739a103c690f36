import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxDispatcher } from '../../../src/app/messaging/outbox-dispatcher.ts';
import { DID, openMessagingDb, type MessagingDb } from '../../sms/fixtures/messaging-db.ts';
import { smppPair } from '../../sms/fixtures/smpp-pair.ts';
import { DEFAULT_WAIT_MS, onceWithin } from '../../support/wait-for.ts';

/**
 * The claim reads only what it still needs and reads again after refusals, within a read budget per
 * transaction; the dispatcher comes back at once when a claim stopped on its budget.
 */
const req = (to: string, body: string) => ({ businessId: 1, from: DID, to, body, kind: 'follow-up' as const, callId: null, consentEventId: null });
const noConsent = (i: number) => `+1512557${String(i).padStart(4, '0')}`;

function refusedCount(m: MessagingDb): number {
  return m.db.prepare("SELECT count(*) FROM outbound_messages WHERE state = 'refused'").pluck().get() as number;
}

describe('claim batching', () => {
  test('refusals do not fill the batch: the claim reads on, up to 8 rows per slot, and never twice', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const ok = ['+15125550301', '+15125550302', '+15125550303'];
    for (const c of ok) m.grant(c);
    m.outbox.enqueue(req(ok[0]!, 'first'));
    for (let i = 0; i < 5; i++) m.outbox.enqueue(req(noConsent(i), 'refused'));
    const second = m.outbox.enqueue(req(ok[1]!, 'second'));
    const third = m.outbox.enqueue(req(ok[2]!, 'third'));
    // Two slots: the first row, five refusals, then the second consented row; the third stays queued.
    const claimed = m.outbox.claim(2, m.clock.now(), m.decide).map((c) => c.body);
    assert.deepEqual(claimed, ['first', 'second']);
    assert.equal(refusedCount(m), 5);
    assert.deepEqual(m.outbox.claim(5, m.clock.now(), m.decide).map((c) => c.id), [third]);
    assert.ok(second < third);

    // One slot, twenty refusals ahead: the claim stops after 8 rows and the next one goes on.
    for (let i = 10; i < 30; i++) m.outbox.enqueue(req(noConsent(i), 'refused'));
    const last = m.outbox.enqueue(req(ok[0]!, 'last'));
    assert.deepEqual(m.outbox.claim(1, m.clock.now(), m.decide), []);
    assert.equal(refusedCount(m), 5 + 8);
    assert.deepEqual(m.outbox.claim(1, m.clock.now(), m.decide), []);
    assert.deepEqual(m.outbox.claim(1, m.clock.now(), m.decide).map((c) => c.id), [last]);
    assert.equal(refusedCount(m), 25);
  });

  test('the dispatcher does not wait for its poll when a claim stopped on its read budget', { timeout: 20_000 }, async (t) => {
    const m = openMessagingDb();
    const p = await smppPair();
    // A poll far beyond the test's timeout: only the dispatcher's own re-claim can send the text in time.
    const dispatcher = new OutboxDispatcher({ window: 2, pollMs: 600_000 }, { outbox: m.stores.outbox, rules: m.rules, gateway: p.gw, clock: m.clock });
    t.after(async () => {
      await dispatcher.stop();
      await p.close();
      m.close();
    });
    for (let i = 0; i < 100; i++) m.outbox.enqueue(req(noConsent(i), 'refused'));
    m.grant('+15125550309');
    m.outbox.enqueue(req('+15125550309', 'behind 100 refusals'));
    const submitted = onceWithin(p.sim, 'submit', DEFAULT_WAIT_MS, 'the consented text to reach the SMSC');
    dispatcher.start();
    await submitted;
    assert.deepEqual(p.sim.messages().map((x) => x.text), ['behind 100 refusals']);
    assert.equal(refusedCount(m), 100);
  });
});
