import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { startOutboxWriter } from '../../src/compose/outbox-writer.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { waitFor } from '../support/wait-for.ts';
import { DID, openMessagingDb, type MessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';

/**
 * The outbox writer thread (src/store/README.md, "The outbox writer thread") with the real SMPP client
 * against the SMSC simulator: texts recorded durably, a STOP committed on another connection stops every
 * part not yet written, a dead thread or a failing database loses nothing and sends nothing twice, and
 * stopping drains. Behaviour only: the speed is bench:sms's business.
 */
const consumer = (i: number): string => `+1512${String(7_000_000 + i).padStart(7, '0')}`;
const long = (i: number): string => `Acme Plumbing: update #${i}. ${'Your technician will call before arriving. '.repeat(4)}`;

async function rig(m: MessagingDb, opts: { receipts?: boolean; tps?: number } = {}) {
  const sim = new SmscSimulator({ receipts: opts.receipts === false ? 'off' : 'both' });
  const gw = new SmppGateway({ ...GW_DEFAULTS, port: await sim.listen(), tps: opts.tps ?? 10_000, registeredDelivery: opts.receipts !== false });
  const writer = startOutboxWriter(m.path, m.rules);
  const dispatcher = new OutboxDispatcher({ window: 10, pollMs: 20, retryBaseMs: 10, retryMaxMs: 50 }, { outbox: m.outbox, writer, rules: m.rules, gateway: gw, clock: m.clock });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await dispatcher.stop();
    await writer.close();
    await gw.stop();
    await sim.close();
  };
  await gw.start();
  return { sim, gw, writer, dispatcher, close };
}

function queue(m: MessagingDb, n: number, body: (i: number) => string = (i) => `Acme Plumbing: text #${i}`): void {
  m.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      m.grant(consumer(i));
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to: consumer(i), body: body(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
}

/** Parts the SMSC accepted, per consumer (digits) and part number: how many times each. */
function acceptedParts(sim: SmscSimulator): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of sim.submits) {
    if (s.messageId === null) continue;
    const parts = out.get(s.to) ?? new Map<number, number>();
    parts.set(s.concat?.seq ?? 1, (parts.get(s.concat?.seq ?? 1) ?? 0) + 1);
    out.set(s.to, parts);
  }
  return out;
}

describe('outbox writer thread', () => {
  test('texts sent through the writer thread are recorded durably: a new connection sees them delivered, each sent once', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    queue(m, 200);
    const r = await rig(m);
    t.after(r.close);
    r.dispatcher.start();
    await r.dispatcher.drain();
    await waitFor(() => r.dispatcher.stats.receipts >= 200, { what: '200 delivery receipts recorded' });
    await r.close();
    m.db.close();
    const again = openDatabase(m.path);
    try {
      const states = again.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all();
      assert.deepEqual(states, [{ state: 'delivered', n: 200 }]);
      const ids = again.prepare('SELECT count(DISTINCT smsc_message_id) FROM outbound_messages').pluck().get();
      assert.equal(ids, 200, 'every text has its own SMSC id on record');
    } finally {
      again.close();
    }
    const accepted = acceptedParts(r.sim);
    assert.equal(accepted.size, 200);
    assert.ok([...accepted.values()].every((p) => p.get(1) === 1), 'each text reached the SMSC once');
  });
});
