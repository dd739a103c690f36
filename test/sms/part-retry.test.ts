import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { OutboxDispatcher, type DispatcherConfig } from '../../src/app/messaging/outbox-dispatcher.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { DID, openMessagingDb, type MessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';
import { SmppFaultProxy } from './support/smpp-fault-proxy.ts';
import { raceBody } from './support/stop-race.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * Part-level retries (src/sms/README.md, "Retries"): the SMSC keeps refusing the second part of a long text with a
 * temporary status (ESME_RMSGQFUL). Only that part is retried, with the same concatenation reference,
 * for as long as the text's retry horizon allows (not 8 attempts), and the accepted first part is
 * on record, so a new dispatcher process (a restart: only the database carries over) does not resend it.
 */
const C = '+15125550177';
const ESME_RMSGQFUL = 0x14;

async function link(m: MessagingDb, port: number, cfg: Partial<DispatcherConfig> = {}) {
  const gw = new SmppGateway({ ...GW_DEFAULTS, port });
  const dispatcher = new OutboxDispatcher({ window: 10, pollMs: 20, retryBaseMs: 5, retryMaxMs: 20, ...cfg }, { outbox: m.stores.outbox, rules: m.rules, gateway: gw, clock: m.clock });
  await gw.start();
  dispatcher.start();
  return {
    gw,
    dispatcher,
    stop: async () => {
      await dispatcher.stop();
      await gw.stop();
    },
  };
}

const row = (m: MessagingDb, id: number) =>
  m.db.prepare('SELECT state, attempts, state_reason AS reason FROM outbound_messages WHERE id = ?').get(id) as { state: string; attempts: number; reason: string };

describe('part-level retries', () => {
  test('a refused second part is retried alone past 8 attempts; after a restart the accepted first part is not resent', { timeout: 30_000 }, async (t) => {
    const m = openMessagingDb();
    const sim = new SmscSimulator({ receipts: 'off' });
    const proxy = new SmppFaultProxy(await sim.listen());
    const port = await proxy.listen();
    t.after(async () => {
      await proxy.close();
      await sim.close();
    });
    m.grant(C);
    const id = m.outbox.enqueue({ businessId: m.businessId, from: DID, to: C, body: raceBody(1), kind: 'follow-up', callId: null, consentEventId: null });
    proxy.faults.submit = (s) => (s.concat?.seq === 2 ? { kind: 'answer', status: ESME_RMSGQFUL } : { kind: 'forward' });

    const first = await link(m, port);
    const refusals = () => proxy.submits().filter((s) => s.fault !== null).length;
    await waitFor(() => refusals() >= 12, { what: 'the second part refused 12 times', timeoutMs: 10_000 });
    await first.stop();
    assert.equal(row(m, id).state, 'queued', 'still queued, not failed, after 12 refusals');
    assert.ok(row(m, id).attempts >= 12);
    assert.equal(m.db.prepare('SELECT count(*) FROM outbound_parts WHERE outbound_id = ? AND part = 1').pluck().get(id), 1, 'part 1 on record');
    m.db.close(); // the file stays (m.close() would remove it)

    // A new process: its own connection to the database, its own gateway and dispatcher.
    const again = openMessagingDb({ path: m.path });
    t.after(() => {
      again.close();
      rmSync(dirname(m.path), { recursive: true, force: true });
    });
    proxy.faults.submit = () => ({ kind: 'forward' });
    const second = await link(again, port);
    await second.dispatcher.drain();
    await second.stop();

    const sent = proxy.submits();
    const accepted = sim.submits.filter((s) => s.messageId !== null);
    assert.deepEqual(accepted.map((s) => s.concat?.seq), [1, 2], 'part 1 once, then part 2 once: never the whole text again');
    assert.equal(new Set(sent.map((s) => s.concat?.ref)).size, 1, 'every attempt used the same concatenation reference');
    assert.equal(sent.filter((s) => s.concat?.seq === 1).length, 1, 'part 1 was written once');
    assert.equal(row(again, id).state, 'submitted');
    assert.equal(again.db.prepare('SELECT count(*) FROM outbound_parts WHERE outbound_id = ?').pluck().get(id), 2);
  });

  test('a temporary refusal that outlasts the retry horizon ends expired, not failed', { timeout: 30_000 }, async (t) => {
    const m = openMessagingDb();
    const sim = new SmscSimulator({ receipts: 'off' });
    const proxy = new SmppFaultProxy(await sim.listen());
    proxy.faults.submit = () => ({ kind: 'answer', status: ESME_RMSGQFUL });
    m.grant(C);
    const id = m.outbox.enqueue({ businessId: m.businessId, from: DID, to: C, body: 'short', kind: 'follow-up', callId: null, consentEventId: null });
    const l = await link(m, await proxy.listen(), { retryHorizonMs: 800 });
    t.after(async () => {
      await l.stop();
      await proxy.close();
      await sim.close();
      m.close();
    });
    await waitFor(() => row(m, id).state !== 'queued' && row(m, id).state !== 'submitting', { what: 'the text settled', timeoutMs: 15_000 });
    const r = row(m, id);
    assert.equal(r.state, 'expired');
    assert.match(r.reason, /not accepted by the SMSC within .* h; last: SMS\.SUBMIT_REJECTED: .*ESME_RMSGQFUL/);
    assert.ok(r.attempts > 8, `retried past the old 8-attempt limit (${r.attempts})`);
    assert.equal(l.dispatcher.stats.failed, 0);
  });

  test('a text still queued past its horizon (the SMSC was unreachable all along) is expired, not sent', { timeout: 30_000 }, async (t) => {
    const m = openMessagingDb();
    const sim = new SmscSimulator({ receipts: 'off' });
    const proxy = new SmppFaultProxy(await sim.listen());
    m.grant(C);
    const id = m.outbox.enqueue({ businessId: m.businessId, from: DID, to: C, body: 'old news', kind: 'follow-up', callId: null, consentEventId: null });
    m.db.prepare('UPDATE outbound_messages SET created_at = created_at - 25 * 3600000 WHERE id = ?').run(id);
    const l = await link(m, await proxy.listen(), { retryHorizonMs: 24 * 3_600_000 });
    t.after(async () => {
      await l.stop();
      await proxy.close();
      await sim.close();
      m.close();
    });
    await l.dispatcher.drain();
    assert.equal(row(m, id).state, 'expired');
    assert.match(row(m, id).reason, /within 24 h; not sent: the SMSC was unreachable/);
    assert.equal(proxy.submits().length, 0, 'nothing was written');
  });
});
