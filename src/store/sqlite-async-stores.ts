import type { ConsentEvent, ConsentState, NewConsentEvent } from '../domain/consent.ts';
import type { AsyncConsentStore } from '../domain/ports/async-consent-ledger.ts';
import type { AsyncDispatchOutbox, AsyncDispatchOutboxOps, OutboxTransaction } from '../domain/ports/async-outbox.ts';
import type { Promised } from '../domain/ports/async-stores.ts';
import type { ConsentStore } from '../domain/ports/consent-store.ts';
import type { AcceptedPart, ClaimedMessage, DispatchOutbox, OutboundRequest, PreflightResult, SendDecider, UnsentState } from '../domain/ports/outbox.ts';
import type { DeliveryReceipt } from '../domain/ports/sms-gateway.ts';
import type { InboundPair, NewInboundMessage } from '../domain/ports/message-log.ts';
import type { SqliteDb } from './sqlite-database.ts';
import { SqliteMessageLog } from './sqlite-message-log.ts';

/**
 * Turns on one better-sqlite3 connection, one at a time. A transaction whose function awaits leaves the
 * connection's transaction open across event-loop turns; any statement another caller ran meanwhile would
 * join it (and be rolled back with it). So every call through these async stores waits its turn, and
 * `atomically` holds the turn from BEGIN to COMMIT.
 */
export class ConnectionTurns {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => T | Promise<T>): Promise<T> {
    const turn = this.tail.then(fn);
    // The next turn waits for this one to settle, whether it succeeded or not.
    this.tail = turn.catch(() => {});
    return turn;
  }
}

/**
 * Any other synchronous store on the same connection behind its async port (`Promised<P>`), each call
 * in its turn on `turns`: the turns `sqliteAsyncStores` takes, so a call-log or message-log write made
 * while a STOP's `atomically` awaits runs after its COMMIT, never inside it (and never rolled back with it).
 */
export function inTurns<P extends object>(store: P, turns: ConnectionTurns): Promised<P> {
  return new Proxy(store, {
    get(target, key, receiver) {
      const v: unknown = Reflect.get(target, key, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => turns.run(() => (v as (...a: unknown[]) => unknown).apply(target, args));
    },
  }) as unknown as Promised<P>;
}

/** The synchronous ConsentStore's calls as Promises, each run by `call` (in its turn, or directly inside a transaction). */
function consentOps(store: ConsentStore, call: <T>(fn: () => T) => Promise<T>): AsyncConsentStore {
  return {
    append: (e: NewConsentEvent): Promise<ConsentEvent> => call(() => store.append(e)),
    appendUnless: (e: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): Promise<ConsentEvent | undefined> =>
      call(() => store.appendUnless(e, refuse)),
    latest: (b: number, c: string): Promise<ConsentEvent | undefined> => call(() => store.latest(b, c)),
    current: (b: number, c: string): Promise<ConsentState> => call(() => store.current(b, c)),
    history: (c: string, b?: number): Promise<ConsentEvent[]> => call(() => store.history(c, b)),
  };
}

function outboxOps(o: DispatchOutbox, call: <T>(fn: () => T) => Promise<T>): AsyncDispatchOutboxOps {
  return {
    enqueue: (m: OutboundRequest) => call(() => o.enqueue(m)),
    claim: (limit: number, now: number, decide: SendDecider): Promise<ClaimedMessage[]> => call(() => o.claim(limit, now, decide)),
    markSubmitted: (id: number, r: { messageIds: readonly string[]; parts: number; at: number }) => call(() => o.markSubmitted(id, r)),
    recordBatch: (
      submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
      receipts: readonly DeliveryReceipt[],
      at: number,
      parts?: ReadonlyArray<{ id: number } & AcceptedPart>,
    ) => call(() => o.recordBatch(submitted, receipts, at, parts)),
    markRetry: (id: number, reason: string, next: number) => call(() => o.markRetry(id, reason, next)),
    markUnsent: (id: number, state: UnsentState, reason: string, at: number) => call(() => o.markUnsent(id, state, reason, at)),
    mayStillSend: (m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>) => call(() => o.mayStillSend(m)),
    holdForWrite: (m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>) => call(() => ({ allowed: o.mayStillSend(m) })),
    markReceiptsOverdue: (before: number, reason: string, at: number) => call(() => o.markReceiptsOverdue(before, reason, at)),
    applyReceipt: (r: DeliveryReceipt, at: number) => call(() => o.applyReceipt(r, at)),
    cancelQueued: (b: number, c: string, reason: string, at: number) => call(() => o.cancelQueued(b, c, reason, at)),
    recoverInFlight: (now: number) => call(() => o.recoverInFlight(now)),
    requeueClaimsExcept: (now: number, keep: readonly number[]) => call(() => o.requeueClaimsExcept(now, keep)),
    // One node holds a SQLite file (its service lock): nobody else could take its claims, so they have no lease to renew.
    renewLeases: () => Promise.resolve(0),
    pendingCount: () => call(() => o.pendingCount()),
    nextDueAt: () => call(() => o.nextDueAt()),
    preflight: (m: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): Promise<PreflightResult> =>
      call(() => o.preflight(m, now, decide)),
  };
}

/**
 * The SQLite consent store and outbox behind the async ports (src/domain/ports/async-*.ts), so the app can
 * move to those ports with SQLite still the embedded default (src/store/postgres/README.md, "Async ports").
 * The synchronous stores do the work unchanged; this adds the turns on their one connection.
 *
 * Only calls made through these objects (and `inTurns` wrappers given the same `turns`) take turns: code
 * that uses the synchronous stores on the same connection directly would still run inside an
 * `atomically` whose function is awaiting. A connection is used either through these or directly, not both.
 */
export function sqliteAsyncStores(
  db: SqliteDb,
  consent: ConsentStore,
  outbox: DispatchOutbox,
  turns: ConnectionTurns = new ConnectionTurns(),
): { consent: AsyncConsentStore; outbox: AsyncDispatchOutbox } {
  const inTurn = <T>(fn: () => T): Promise<T> => turns.run(fn);
  // Inside `atomically` the caller already holds the turn: calls run at once, in its transaction.
  const direct = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (err) {
      return Promise.reject(err);
    }
  };
  // The inbound texts on the same connection: stored in the transaction that applies them.
  const messages = new SqliteMessageLog(db);
  const tx: OutboxTransaction = {
    consent: consentOps(consent, direct),
    outbox: outboxOps(outbox, direct),
    messages: {
      saveInbound: (m: NewInboundMessage) => direct(() => messages.saveInbound(m)),
      latestInbound: (pair: InboundPair, since: number) => direct(() => messages.latestInbound(pair, since)),
      latestCallId: (b: number, c: string) => direct(() => messages.latestCallId(b, c)),
    },
  };
  return {
    consent: consentOps(consent, inTurn),
    outbox: {
      ...outboxOps(outbox, inTurn),
      atomically: <T>(fn: (t: OutboxTransaction) => Promise<T>): Promise<T> =>
        turns.run(async () => {
          // IMMEDIATE: the write lock from the start, as the synchronous stores take it (busy_timeout applies).
          db.exec('BEGIN IMMEDIATE');
          try {
            const out = await fn(tx);
            db.exec('COMMIT');
            return out;
          } catch (err) {
            if (db.inTransaction) db.exec('ROLLBACK');
            throw err;
          }
        }),
    },
  };
}
