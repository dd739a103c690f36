import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { PromMetrics } from '../../src/http/prom-metrics.ts';
import { DID, openMessagingDb } from './fixtures/messaging-db.ts';
import { smppPair } from './fixtures/smpp-pair.ts';
import { waitFor } from '../support/wait-for.ts';

/**
 * A text the SMSC accepted but never sent a final receipt for does not stay `submitted`
 * forever. After `smpp.receiptTimeoutHours` (here 300 ms) it is `unknown`, counted in /metrics; a
 * receipt that still comes settles it.
 */
test('no receipt within the timeout: submitted → unknown, counted in /metrics; a late receipt still settles it', { timeout: 30_000 }, async (t) => {
  const m = openMessagingDb();
  const p = await smppPair({ sim: { receipts: 'off' } });
  const metrics = new PromMetrics({ processMetrics: false });
  const dispatcher = new OutboxDispatcher(
    { window: 10, pollMs: 20, receiptTimeoutMs: 300, receiptSweepMs: 20 },
    { outbox: m.stores.outbox, rules: m.rules, gateway: p.gw, clock: m.clock, metrics },
  );
  t.after(async () => {
    await dispatcher.stop();
    await p.close();
    m.close();
  });
  const to = ['+15125550181', '+15125550182'];
  for (const c of to) m.grant(c);
  const ids = [
    m.outbox.enqueue({ businessId: m.businessId, from: DID, to: to[0]!, body: 'short one', kind: 'follow-up', callId: null, consentEventId: null }),
    m.outbox.enqueue({ businessId: m.businessId, from: DID, to: to[1]!, body: 'long '.repeat(50), kind: 'follow-up', callId: null, consentEventId: null }),
  ];
  dispatcher.start();
  await dispatcher.drain();
  const state = (id: number) => m.db.prepare('SELECT state FROM outbound_messages WHERE id = ?').pluck().get(id) as string;
  assert.deepEqual(ids.map(state), ['submitted', 'submitted']);

  await waitFor(() => ids.every((id) => state(id) === 'unknown'), { what: 'both texts became unknown', timeoutMs: 10_000 });
  assert.match(m.db.prepare('SELECT state_reason FROM outbound_messages WHERE id = ?').pluck().get(ids[0]) as string, /^no final delivery receipt within/);
  assert.equal(dispatcher.stats.unknown, 2);
  assert.match(await metrics.registry.metrics(), /^callkeeper_texts_total\{state="unknown"\} 2$/m);

  // The receipts come after all (an SMSC that held them): they still settle the texts.
  const smscIds = (id: number) =>
    m.db.prepare('SELECT smsc_message_id FROM outbound_parts WHERE outbound_id = ? UNION SELECT smsc_message_id FROM outbound_messages WHERE id = ?').pluck().all(id, id) as string[];
  for (const id of ids) for (const mid of smscIds(id)) m.outbox.applyReceipt({ messageIds: [mid], state: 'delivered', error: null }, m.clock.now());
  assert.deepEqual(ids.map(state), ['delivered', 'delivered']);
});
