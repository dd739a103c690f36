/**
 * The outbox's ports for a store whose driver answers later (PostgreSQL), beside the synchronous
 * Outbox / DispatchOutbox (outbox.ts), whose types and rules they reuse: the same operations, each
 * returning a Promise. Two things change shape, not just type:
 * - `atomically` hands its function a transaction: on a pooled database a transaction is one
 *   connection, so what runs inside must use that transaction's stores, not the pool's (a STOP's
 *   `revoked` append and its `cancelQueued` commit together only then);
 * - a claim is a lease (`leaseUntil`): several nodes claim from one queue, and a node that dies leaves
 *   its claimed texts to come back to the queue when the lease ends (src/store/postgres/README.md).
 * `decide` stays synchronous: it is the pure sending policy (app/messaging/send-decider.ts), asked
 * inside the claiming transaction on facts the store has already read.
 */
import type { AsyncConsentStore } from './async-consent-ledger.ts';
import type { AsyncMessageLog } from './async-stores.ts';
import type { AcceptedPart, ClaimedMessage, OutboundRequest, PreflightResult, SendDecider, UnsentState } from './outbox.ts';
import type { DeliveryReceipt, WriteVerdict } from './sms-gateway.ts';

/** Outbox, awaited. */
export interface AsyncOutbox {
  /** Stores the message as `queued`; resolves to its id once committed. */
  enqueue(msg: OutboundRequest): Promise<number>;
}

/**
 * What one transaction of `atomically` works with: the outbox, the consent ledger and the inbound texts
 * on its connection (an inbound text is stored in the transaction that applies it).
 */
export interface OutboxTransaction {
  readonly outbox: AsyncDispatchOutboxOps;
  readonly consent: AsyncConsentStore;
  readonly messages: Pick<AsyncMessageLog, 'saveInbound' | 'latestInbound' | 'latestCallId'>;
}

/** DispatchOutbox's operations, awaited (see outbox.ts for what each one guarantees). */
export interface AsyncDispatchOutboxOps extends AsyncOutbox {
  /**
   * Claims up to `limit` due texts, consent, cap and quiet hours read and judged in the claiming
   * transaction. Each claimed text is this node's until `now` + the store's lease; after that a claim
   * from any node may take it again (it may have reached the SMSC: at most `window + answersAhead` twice).
   */
  claim(limit: number, now: number, decide: SendDecider): Promise<ClaimedMessage[]>;
  /** The mark* calls change a text only while this node's claim on it stands: after its lease was taken over they are no-ops. */
  markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): Promise<void>;
  recordBatch(
    submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
    receipts: readonly DeliveryReceipt[],
    at: number,
    parts?: ReadonlyArray<{ id: number } & AcceptedPart>,
  ): Promise<Array<number | null>>;
  markRetry(id: number, reason: string, nextAttemptAt: number): Promise<void>;
  markUnsent(id: number, state: UnsentState, reason: string, at: number): Promise<void>;
  mayStillSend(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): Promise<boolean>;
  /**
   * `mayStillSend`, held until `release`: the caller writes the PDU to the SMSC in between, and a STOP for
   * the pair committing meanwhile (on any node) waits for `release`. So no part reaches the SMSC after a
   * STOP commits. On SQLite the check and the write share one turn of the event loop: nothing to hold.
   */
  holdForWrite(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): Promise<WriteVerdict>;
  markReceiptsOverdue(submittedBefore: number, reason: string, at: number): Promise<number>;
  applyReceipt(r: DeliveryReceipt, at: number): Promise<number | null>;
  cancelQueued(businessId: number, consumer: string, reason: string, at: number): Promise<number>;
  /** After this node's restart: its own `submitting` texts go back to the queue now, without waiting out their leases. */
  recoverInFlight(now: number): Promise<number>;
  /**
   * In a running node, after the writer lost a claim's answer: this node's `submitting` texts other than
   * `keep` (what its sender still has in flight) were never written to the SMSC, so they go back to the
   * queue without the restart's "may be sent twice".
   */
  requeueClaimsExcept(now: number, keep: readonly number[]): Promise<number>;
  /**
   * Extends the lease of this node's `submitting` texts to `now` + the store's lease, so that a text held
   * longer than the lease (a full window, a slow SMSC, submit retries) is not taken by another node while
   * this one still works on it; a claim another node already took back is not this node's any more and
   * stays as it is. Resolves to the texts renewed. The dispatcher calls it while it has texts in flight.
   */
  renewLeases(now: number): Promise<number>;
  pendingCount(): Promise<number>;
  nextDueAt(): Promise<number | null>;
  preflight(msg: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): Promise<PreflightResult>;
}

/** DispatchOutbox, awaited. */
export interface AsyncDispatchOutbox extends AsyncDispatchOutboxOps {
  /** Runs `fn` in one database transaction; it commits when `fn` resolves and rolls back when it throws. */
  atomically<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T>;
}
