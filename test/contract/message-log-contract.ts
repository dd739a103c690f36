/**
 * The MessageLog contract: inbound texts, and the admin's view of the messaging history
 * (`callkeeper messages list`, `optout list`), on every durable store (SQLite today, PostgreSQL next).
 * The history is read across the calls, the outbox and the consent ledger, so a harness gives those
 * stores on the same database and the suite fills them through their own ports. Guarantees checked:
 * - saveInbound returns a new growing id; an inbound text reads back with every field, its keyword as
 *   the status (`reply` without one), also without a business (a text to an unknown number);
 * - list is texts both ways, newest first (ties: higher id first), narrowed by business and direction,
 *   at most `limit`; an outbound text shows its recipient, kind, state and the time it was queued;
 * - latestCallId is the call from that number to that business that started last (ties: opened last);
 * - latestInbound is the pair's (business, DID, sender) text stored last among those received at or after
 *   `since` (the highest id, whatever its time), also for a text without a business; null when none is;
 * - optOuts are the pairs whose event recorded last is a STOP (a back-dated STOP counts, a later
 *   reinstatement lifts it), the STOP recorded last first, narrowed by business.
 *
 * Every call on the stores is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ConsentEventType } from '../../src/domain/consent.ts';
import type { CallLog } from '../../src/domain/ports/call-log.ts';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import type { MessageLog, MessageRow, NewInboundMessage } from '../../src/domain/ports/message-log.ts';
import type { MessageKind, Outbox } from '../../src/domain/ports/outbox.ts';
import { openHarness, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface MessageLogHarness extends Teardown {
  readonly messages: AsyncPort<MessageLog>;
  /** The stores the history is read from, on the same database. */
  readonly calls: AsyncPort<CallLog>;
  readonly outbox: AsyncPort<Outbox>;
  readonly consent: AsyncPort<ConsentStore>;
  /** Two businesses that exist in the store, and their DIDs. */
  readonly businessIds: readonly [number, number];
  readonly dids: readonly [string, string];
}

/** Builds an empty store whose clock (the outbox's queue time, the ledger's default `at`) is `now`. */
export type MessageLogFactory = HarnessFactory<MessageLogHarness, [now: () => number]>;

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const C = '+15125550166';
const D = '+15125550177';

export function runMessageLogContract(name: string, factory: MessageLogFactory): void {
  describe(`MessageLog contract: ${name}`, () => {
    type Open = MessageLogHarness & {
      clock: { t: number };
      inbound(i: 0 | 1, from: string, over?: Partial<NewInboundMessage>): NewInboundMessage;
      queue(i: 0 | 1, to: string, kind: MessageKind, at: number): Promise<number>;
      call(i: 0 | 1, from: string, startedAt: number): Promise<number>;
      ledger(i: 0 | 1, consumer: string, event: ConsentEventType, at: number): Promise<void>;
    };
    async function open(t: TestContext): Promise<Open> {
      const clock = { t: T0 };
      const h = await openHarness(t, factory, () => clock.t);
      return {
        ...h,
        clock,
        inbound: (i, from, over = {}) => ({
          businessId: h.businessIds[i], recipient: h.dids[i], sender: from, body: 'is 3pm ok?', keyword: null, callId: null, receivedAt: T0, ...over,
        }),
        async queue(i, to, kind, at) {
          clock.t = at;
          return h.outbox.enqueue({ businessId: h.businessIds[i], from: h.dids[i], to, body: `a ${kind}`, kind, callId: null, consentEventId: null });
        },
        async call(i, from, startedAt) {
          return h.calls.open({ engine: 'asterisk', channelId: `c-${startedAt}-${Math.random()}`, businessId: h.businessIds[i], did: h.dids[i], callerRaw: from, callerE164: from, startedAt });
        },
        async ledger(i, consumer, event, at) {
          await h.consent.append({
            event, businessId: h.businessIds[i], did: h.dids[i], consumer, method: event === 'revoked' ? 'sms-keyword' : 'verbal', scriptVersion: null,
            scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: event === 'revoked' ? 'sms' : 'call', at,
          });
        },
      };
    }

    test('an inbound text reads back with every field; its keyword is the status, reply without one', async (t) => {
      const h = await open(t);
      const callId = await h.call(0, C, T0 - 60_000);
      const reply = h.inbound(0, C, { callId, body: 'Tuesday works', receivedAt: T0 + 1 });
      const stop = h.inbound(0, C, { body: 'STOP', keyword: 'STOP', receivedAt: T0 + 2 });
      const stray = h.inbound(0, D, { businessId: null, recipient: '+15125550999', receivedAt: T0 + 3 });
      const ids = [await h.messages.saveInbound(reply), await h.messages.saveInbound(stop), await h.messages.saveInbound(stray)];
      assert.ok(ids[0]! > 0 && ids[1]! > ids[0]! && ids[2]! > ids[1]!, `ids ${ids.join(',')}`);
      const row = (m: NewInboundMessage, id: number, status: string): MessageRow => ({
        direction: 'in', id, businessId: m.businessId, consumer: m.sender, body: m.body, at: m.receivedAt, status, kind: null, callId: m.callId,
      });
      assert.deepEqual(await h.messages.list({ direction: 'in' }), [row(stray, ids[2]!, 'reply'), row(stop, ids[1]!, 'STOP'), row(reply, ids[0]!, 'reply')]);
      assert.deepEqual(
        (await h.messages.list({ businessId: h.businessIds[0] })).map((m) => m.id),
        [ids[1], ids[0]],
        'a text without a business is not the business\'s',
      );
    });

    test('latestInbound: the pair\'s text stored last since a time, nothing of another pair', async (t) => {
      const h = await open(t);
      const pair = { businessId: h.businessIds[0], recipient: h.dids[0], sender: C };
      assert.equal(await h.messages.latestInbound(pair, T0 - 1), null, 'none stored yet');
      const first = await h.messages.saveInbound(h.inbound(0, C, { body: 'STOP', keyword: 'STOP', receivedAt: T0 + 10 }));
      // Stored later with an earlier time (a clock stepped back): the one stored last still counts.
      const second = await h.messages.saveInbound(h.inbound(0, C, { body: 'START', keyword: 'START', receivedAt: T0 + 5 }));
      await h.messages.saveInbound(h.inbound(0, D, { body: 'other sender', receivedAt: T0 + 20 }));
      await h.messages.saveInbound(h.inbound(1, C, { body: 'other business', receivedAt: T0 + 20 }));
      const stray = await h.messages.saveInbound(h.inbound(0, C, { businessId: null, recipient: '+15125550999', body: 'other DID', receivedAt: T0 + 20 }));
      assert.deepEqual(await h.messages.latestInbound(pair, T0), { id: second, body: 'START', receivedAt: T0 + 5 });
      assert.deepEqual(await h.messages.latestInbound(pair, T0 + 6), { id: first, body: 'STOP', receivedAt: T0 + 10 }, 'only texts received since');
      assert.equal(await h.messages.latestInbound(pair, T0 + 11), null);
      assert.deepEqual(
        await h.messages.latestInbound({ businessId: null, recipient: '+15125550999', sender: C }, T0),
        { id: stray, body: 'other DID', receivedAt: T0 + 20 },
        'a text to a number no business owns',
      );
      assert.equal(await h.messages.latestInbound({ ...pair, recipient: '+15125550999' }, T0), null, 'the DID is part of the pair');
    });

    test('list is texts both ways, newest first, narrowed by business, direction and limit', async (t) => {
      const h = await open(t);
      const out1 = await h.queue(0, C, 'first-reply', T0 + 10);
      const in1 = await h.messages.saveInbound(h.inbound(0, C, { receivedAt: T0 + 20 }));
      const out2 = await h.queue(0, D, 'staff', T0 + 30);
      const otherIn = await h.messages.saveInbound(h.inbound(1, C, { receivedAt: T0 + 40 }));
      const otherOut = await h.queue(1, C, 'keyword-reply', T0 + 5);
      const key = (m: MessageRow) => `${m.direction}${m.id}`;
      assert.deepEqual((await h.messages.list({})).map(key), [`in${otherIn}`, `out${out2}`, `in${in1}`, `out${out1}`, `out${otherOut}`]);
      assert.deepEqual((await h.messages.list({ businessId: h.businessIds[0] })).map(key), [`out${out2}`, `in${in1}`, `out${out1}`]);
      assert.deepEqual((await h.messages.list({ businessId: h.businessIds[0], direction: 'out' })).map(key), [`out${out2}`, `out${out1}`]);
      assert.deepEqual((await h.messages.list({ direction: 'in', limit: 1 })).map(key), [`in${otherIn}`]);
      assert.deepEqual((await h.messages.list({ limit: 2 })).map(key), [`in${otherIn}`, `out${out2}`]);
      const [staff] = await h.messages.list({ businessId: h.businessIds[0], direction: 'out', limit: 1 });
      assert.deepEqual(staff, { direction: 'out', id: out2, businessId: h.businessIds[0], consumer: D, body: 'a staff', at: T0 + 30, status: 'queued', kind: 'staff', callId: null });
    });

    test('texts at the same instant: the one stored last is listed first', async (t) => {
      const h = await open(t);
      const a = await h.messages.saveInbound(h.inbound(0, C, { receivedAt: T0 }));
      const b = await h.messages.saveInbound(h.inbound(0, D, { receivedAt: T0 }));
      assert.deepEqual((await h.messages.list({ direction: 'in' })).map((m) => m.id), [b, a]);
    });

    test('latestCallId is the call from that number to that business that started last', async (t) => {
      const h = await open(t);
      await h.call(0, C, T0);
      const later = await h.call(0, C, T0 + 100);
      await h.call(0, C, T0 + 50);
      await h.call(1, C, T0 + 200);
      await h.call(0, D, T0 + 300);
      assert.equal(await h.messages.latestCallId(h.businessIds[0], C), later);
      const tie = await h.call(0, C, T0 + 100);
      assert.equal(await h.messages.latestCallId(h.businessIds[0], C), tie, 'same start: the call opened last');
      assert.equal(await h.messages.latestCallId(h.businessIds[1], D), null);
      assert.equal(await h.messages.latestCallId(h.businessIds[0], '+15125550188'), null);
    });

    test('optOuts are the pairs whose event recorded last is a STOP, the latest recorded first, narrowed by business', async (t) => {
      const h = await open(t);
      const [b1, b2] = h.businessIds;
      await h.ledger(0, C, 'granted', T0);
      await h.ledger(0, C, 'revoked', T0 + 10);
      await h.ledger(0, D, 'revoked', T0 + 20);
      await h.ledger(0, D, 'reinstated', T0 + 30);
      await h.ledger(1, D, 'granted', T0 + 40);
      await h.ledger(1, D, 'revoked', T0 - 1_000);
      await h.ledger(1, C, 'granted', T0 + 50);
      const stop = (businessId: number, consumer: string, at: number) => ({ businessId, consumer, at, method: 'sms-keyword', source: 'sms' });
      assert.deepEqual(await h.messages.optOuts({}), [stop(b2, D, T0 - 1_000), stop(b1, C, T0 + 10)]);
      assert.deepEqual(await h.messages.optOuts({ businessId: b1 }), [stop(b1, C, T0 + 10)]);
      await h.ledger(0, C, 'reinstated', T0 + 60);
      assert.deepEqual(await h.messages.optOuts({ businessId: b1 }), []);
    });
  });
}
