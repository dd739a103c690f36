/**
 * The outbox contracts. `Outbox` (enqueue only: what the call flow and the notify channel use) is run
 * over every implementation, the in-memory fake included. `DispatchOutbox` (claim, STOP, receipts: the
 * consent invariants) is run over every durable store: SQLite today, PostgreSQL next. Use:
 *
 *   runOutboxContract('sqlite', async () => ({ outbox, close }));
 *   runDispatchOutboxContract('sqlite', async () => ({ outbox, consent, atomically, businessId, did, timezone, now, close }));
 *
 * Every call on the stores is awaited (test/contract/contract-harness.ts), inside `atomically` too: the
 * harness's `atomically` is the async port's (src/domain/ports/async-outbox.ts), whose function gets the
 * transaction's stores and may await (SQLite gives it through src/store/sqlite-async-stores.ts).
 *
 * Guarantees checked here, beyond the port's types (the verdict is a scripted `decide`, so these hold
 * whatever the sending rules are; the rules themselves: test/app/messaging/send-decider.test.ts):
 * - enqueue returns a new positive id per text, growing;
 * - `decide` is asked with the facts read in the claim: the pair's consent recorded last, the consumer
 *   texts of the last 24 h, the business's time zone; a STOP appended before the claim is what it sees;
 * - only an allowed text is claimed; a refused one leaves the queue for good, a held one is due at `retryAt`;
 * - keyword replies and staff alerts are claimed before earlier bulk texts;
 * - after a STOP, `cancelQueued` cancels the pair's queued consumer texts and nothing else, and
 *   `mayStillSend` says no for consumer texts, yes for keyword replies and staff alerts;
 * - `atomically` commits the STOP's append and its cancel together, and rolls both back when its function throws;
 * - an inbound text stored through the transaction's `messages` is read back in it, committed with the rest
 *   and rolled back with the rest; two transactions that each store the pair's text unless `latestInbound`
 *   already has it store it once, also when they run at the same time (on PostgreSQL on two connections:
 *   the pair's lock, src/store/postgres/pg-message-log.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ConsentEventType } from '../../src/domain/consent.ts';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import type { DispatchOutbox, MessageKind, OutboundRequest, Outbox, SendDecision, SendDecider, SendFacts } from '../../src/domain/ports/outbox.ts';
import type { OutboxTransaction } from '../../src/domain/ports/async-outbox.ts';
import { openHarness, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface OutboxHarness extends Teardown {
  readonly outbox: AsyncPort<Outbox>;
}

export interface DispatchOutboxHarness extends Teardown {
  /** The outbox; its transactions are run by `atomically` below, so the port's own `atomically` is not used here. */
  readonly outbox: AsyncPort<Omit<DispatchOutbox, 'atomically'>>;
  /**
   * The outbox's transaction as the async port shapes it: `fn` gets the outbox and the ledger bound to
   * that transaction, may await them, and the transaction commits when `fn` resolves (rolls back when it
   * rejects). A synchronous SQLite transaction cannot span an `await`, so SQLite's harness passes
   * `sqliteAsyncStores(...).outbox.atomically` (BEGIN IMMEDIATE … COMMIT held across the awaits).
   */
  atomically<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
  /** The consent ledger the outbox reads, on the same database. */
  readonly consent: AsyncPort<ConsentStore>;
  /** A business that exists in the store, with `did` as its number and `timezone` as its zone. */
  readonly businessId: number;
  readonly did: string;
  readonly timezone: string;
  /** The store's clock: texts enqueued now are due at `now()`. */
  now(): number;
}

const C = '+15125550166';
const D = '+15125550177';

function text(businessId: number, did: string, to: string, kind: MessageKind, body = `a ${kind}`): OutboundRequest {
  return { businessId, from: did, to, body, kind, callId: null, consentEventId: null };
}

export function runOutboxContract(name: string, factory: HarnessFactory<OutboxHarness>): void {
  describe(`Outbox contract: ${name}`, () => {
    test('enqueue returns a new positive id per text, growing', async (t) => {
      const h = await openHarness(t, factory);
      const ids: number[] = [];
      for (const k of ['first-reply', 'follow-up', 'keyword-reply', 'staff'] as const) ids.push(await h.outbox.enqueue(text(1, '+15125550100', C, k)));
      assert.ok(ids.every((id) => Number.isSafeInteger(id) && id > 0), `ids ${ids.join(',')}`);
      assert.deepEqual([...ids].sort((a, b) => a - b), ids);
      assert.equal(new Set(ids).size, ids.length);
    });
  });
}

/** A `decide` that records the facts it was asked about and answers `verdict(facts)`. */
function recording(verdict: (f: SendFacts) => SendDecision = () => ({ allow: true })): SendDecider & { asked: SendFacts[] } {
  const asked: SendFacts[] = [];
  return Object.assign((f: SendFacts) => (asked.push(f), verdict(f)), { asked });
}

export function runDispatchOutboxContract(name: string, factory: HarnessFactory<DispatchOutboxHarness>): void {
  describe(`DispatchOutbox contract: ${name}`, () => {
    type Open = DispatchOutboxHarness & {
      grant(to: string, event?: ConsentEventType): ReturnType<AsyncPort<ConsentStore>['append']>;
      queue(to: string, kind: MessageKind): ReturnType<AsyncPort<Outbox>['enqueue']>;
    };
    async function open(t: TestContext): Promise<Open> {
      const h = await openHarness(t, factory);
      return {
        ...h,
        grant(to: string, event: ConsentEventType = 'granted') {
          return h.consent.append({
            event, businessId: h.businessId, did: h.did, consumer: to, method: event === 'revoked' ? 'sms-keyword' : 'verbal',
            scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
          });
        },
        queue(to: string, kind: MessageKind) {
          return h.outbox.enqueue(text(h.businessId, h.did, to, kind));
        },
      };
    }

    test('the claim asks decide with the facts read at that moment: consent recorded last, texts in 24 h, the time zone', async (t) => {
      const h = await open(t);
      await h.grant(C);
      const first = await h.queue(C, 'follow-up');
      const d1 = recording();
      const now = h.now();
      assert.deepEqual((await h.outbox.claim(10, now, d1)).map((m) => m.id), [first]);
      assert.deepEqual(d1.asked, [{ kind: 'follow-up', consent: 'granted', sentLast24h: 0, now, timezone: h.timezone }]);
      const second = await h.queue(C, 'follow-up');
      const d2 = recording();
      assert.deepEqual((await h.outbox.claim(10, h.now(), d2)).map((m) => m.id), [second]);
      assert.equal(d2.asked[0]?.sentLast24h, 1, 'the claimed text counts toward the next one');
    });

    test('a STOP appended before the claim is what decide sees, and a refused text is neither claimed nor pending', async (t) => {
      const h = await open(t);
      await h.grant(C);
      await h.queue(C, 'follow-up');
      await h.grant(C, 'revoked');
      const decide = recording((f) => (f.consent === 'granted' ? { allow: true } : { allow: false, rule: 'consent', reason: `consent is ${f.consent}` }));
      assert.deepEqual(await h.outbox.claim(10, h.now(), decide), []);
      assert.equal(decide.asked[0]?.consent, 'revoked');
      assert.equal(await h.outbox.pendingCount(), 0);
      assert.deepEqual(await h.outbox.claim(10, h.now(), recording()), [], 'a refused text is never claimed later');
    });

    test('a text held by decide (quiet hours) is due again at retryAt and claimed then', async (t) => {
      const h = await open(t);
      await h.grant(C);
      const id = await h.queue(C, 'follow-up');
      const now = h.now();
      const retryAt = now + 3_600_000;
      assert.deepEqual(await h.outbox.claim(10, now, () => ({ allow: false, rule: 'quiet-hours', reason: 'test', retryAt })), []);
      assert.equal(await h.outbox.pendingCount(), 1);
      assert.equal(await h.outbox.nextDueAt(), retryAt);
      assert.deepEqual(await h.outbox.claim(10, retryAt - 1, recording()), []);
      const claimed = await h.outbox.claim(10, retryAt, recording());
      assert.deepEqual(claimed.map((m) => m.id), [id]);
      assert.match(claimed[0]?.lastReason ?? '', /^quiet-hours/);
    });

    test('keyword replies and staff alerts are claimed before earlier bulk texts; limit is honoured', async (t) => {
      const h = await open(t);
      await h.grant(C);
      const bulk = [await h.queue(C, 'follow-up'), await h.queue(C, 'first-reply')];
      const reply = await h.queue(C, 'keyword-reply');
      const staff = await h.queue(D, 'staff');
      assert.deepEqual((await h.outbox.claim(3, h.now(), recording())).map((m) => m.id), [reply, staff, bulk[0]]);
      assert.deepEqual((await h.outbox.claim(3, h.now(), recording())).map((m) => m.id), [bulk[1]]);
    });

    test('after a STOP, cancelQueued cancels the pair\'s queued consumer texts only, and mayStillSend refuses them', async (t) => {
      const h = await open(t);
      await h.grant(C);
      await h.grant(D);
      await h.queue(C, 'follow-up');
      await h.queue(C, 'first-reply');
      const reply = await h.queue(C, 'keyword-reply');
      const staff = await h.queue(C, 'staff');
      const other = await h.queue(D, 'follow-up');
      // The STOP and the cancel in one transaction, as the inbound handler does.
      const cancelled = await h.atomically(async (tx) => {
        await tx.consent.append({
          event: 'revoked', businessId: h.businessId, did: h.did, consumer: C, method: 'sms-keyword',
          scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
        });
        return tx.outbox.cancelQueued(h.businessId, C, 'STOP', h.now());
      });
      assert.equal(cancelled, 2);
      assert.deepEqual((await h.outbox.claim(10, h.now(), recording())).map((m) => m.id).sort((a, b) => a - b), [reply, staff, other]);
      for (const kind of ['first-reply', 'follow-up'] as const) {
        assert.equal(await h.outbox.mayStillSend({ businessId: h.businessId, to: C, kind }), false, kind);
        assert.equal(await h.outbox.mayStillSend({ businessId: h.businessId, to: D, kind }), true, `${kind} to another number`);
      }
      for (const kind of ['keyword-reply', 'staff'] as const) assert.equal(await h.outbox.mayStillSend({ businessId: h.businessId, to: C, kind }), true, kind);
    });

    test('atomically rolls back the ledger append and the cancel together when its function throws', async (t) => {
      const h = await open(t);
      await h.grant(C);
      await h.queue(C, 'follow-up');
      await assert.rejects(
        h.atomically(async (tx) => {
          await tx.consent.append({
            event: 'revoked', businessId: h.businessId, did: h.did, consumer: C, method: 'sms-keyword',
            scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
          });
          assert.equal(await tx.outbox.cancelQueued(h.businessId, C, 'STOP', h.now()), 1);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await h.consent.current(h.businessId, C), 'granted');
      assert.equal(await h.outbox.pendingCount(), 1);
    });

    test('an inbound text stored in the transaction is read back in it, and commits and rolls back with the rest', async (t) => {
      const h = await open(t);
      await h.grant(C);
      await h.queue(C, 'follow-up');
      const pair = { businessId: h.businessId, recipient: h.did, sender: C };
      const since = h.now() - 60_000;
      const stop = { ...pair, body: 'STOP', keyword: 'STOP', callId: null, receivedAt: h.now() };
      const revoke = async (tx: OutboxTransaction): Promise<number> => {
        const id = await tx.messages.saveInbound(stop);
        assert.deepEqual(await tx.messages.latestInbound(pair, since), { id, body: 'STOP', receivedAt: stop.receivedAt }, 'the transaction reads what it stored');
        await tx.consent.append({
          event: 'revoked', businessId: h.businessId, did: h.did, consumer: C, method: 'sms-keyword',
          scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: `sms:inbound:${id}:STOP`,
        });
        await tx.outbox.cancelQueued(h.businessId, C, 'STOP', h.now());
        return id;
      };
      await assert.rejects(
        h.atomically(async (tx) => {
          await revoke(tx);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal(await h.atomically((tx) => tx.messages.latestInbound(pair, since)), null, 'the text rolled back with the ledger and the queue');
      assert.equal(await h.consent.current(h.businessId, C), 'granted');
      const id = await h.atomically(revoke);
      assert.deepEqual(await h.atomically((tx) => tx.messages.latestInbound(pair, since)), { id, body: 'STOP', receivedAt: stop.receivedAt });
      assert.equal(await h.consent.current(h.businessId, C), 'revoked');
      assert.equal(await h.outbox.pendingCount(), 0);
    });

    test('two transactions at once, each storing the pair\'s text unless it is there already: stored once', async (t) => {
      const h = await open(t);
      const pair = { businessId: h.businessId, recipient: h.did, sender: C };
      const since = h.now() - 60_000;
      const storeOnce = (tx: OutboxTransaction): Promise<boolean> =>
        (async () => {
          if ((await tx.messages.latestInbound(pair, since)) !== null) return false;
          // A pause between the read and the write: the other transaction runs meanwhile, unless the store holds it back.
          await new Promise((r) => setTimeout(r, 50));
          await tx.messages.saveInbound({ ...pair, body: 'HELP', keyword: 'HELP', callId: null, receivedAt: h.now() });
          return true;
        })();
      const stored = await Promise.all([h.atomically(storeOnce), h.atomically(storeOnce)]);
      assert.deepEqual([...stored].sort(), [false, true], 'one of the two stored it');
    });

    test('preflight asks decide with the same facts, and stores nothing', async (t) => {
      const h = await open(t);
      await h.grant(C, 'implied');
      const decide = recording(() => ({ allow: false, rule: 'frequency-cap', reason: 'test' }));
      const now = h.now();
      assert.deepEqual(await h.outbox.preflight({ businessId: h.businessId, to: C, kind: 'first-reply' }, now, decide), { allow: false, rule: 'frequency-cap', reason: 'test' });
      assert.deepEqual(decide.asked, [{ kind: 'first-reply', consent: 'implied', sentLast24h: 0, now, timezone: h.timezone }]);
      assert.equal(await h.outbox.pendingCount(), 0);
    });
  });
}
