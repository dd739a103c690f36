import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SubmitWindow } from '../../src/sms/submit-window.ts';
import { DID, openMessagingDb } from './fixtures/messaging-db.ts';

/**
 * Keyword replies and staff alerts go ahead of bulk texts, in both queues a text waits in:
 * the outbox's claim order and the gateway's window/TPS queue. (The end-to-end ordering is in
 * stop-race.test.ts.)
 */
describe('urgent texts first', () => {
  test('the claim takes due keyword replies and staff alerts before older bulk texts', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const to = (i: number) => `+151255502${String(i).padStart(2, '0')}`;
    const q = (i: number, kind: 'follow-up' | 'keyword-reply' | 'staff') =>
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to: to(i), body: `${kind} ${i}`, kind, callId: null, consentEventId: null });
    for (let i = 0; i < 6; i++) m.grant(to(i));
    const bulk = [q(0, 'follow-up'), q(1, 'follow-up'), q(2, 'follow-up')];
    const reply = q(3, 'keyword-reply');
    const staff = q(4, 'staff');
    const later = q(5, 'follow-up');
    assert.deepEqual(m.outbox.claim(3, m.clock.now(), m.decide).map((c) => c.id), [reply, staff, bulk[0]]);
    assert.deepEqual(m.outbox.claim(10, m.clock.now(), m.decide).map((c) => c.id), [bulk[1], bulk[2], later]);
  });

  test('the submit window serves an urgent waiter before bulk ones that waited longer', async () => {
    const w = new SubmitWindow(1, 1_000_000);
    await w.acquire();
    const order: string[] = [];
    const waits = [
      w.acquire().then(() => order.push('bulk 1')),
      w.acquire().then(() => order.push('bulk 2')),
      w.acquire(true).then(() => order.push('urgent')),
    ];
    for (let i = 0; i < 3; i++) {
      w.release();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(waits);
    w.dispose();
    assert.deepEqual(order, ['urgent', 'bulk 1', 'bulk 2']);
  });
});
