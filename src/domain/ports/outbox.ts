/**
 * The durable outbox. `enqueue` only stores; sending rules (consent at claim time, frequency
 * cap, quiet hours, STOP) are enforced when a message is claimed, in the same transaction.
 */
import type { ConsentState } from '../consent.ts';
import type { DeliveryReceipt } from './sms-gateway.ts';

export type MessageKind = 'first-reply' | 'follow-up' | 'keyword-reply' | 'staff';

export interface OutboundRequest {
  readonly businessId: number;
  /** Sender: the business DID (E.164). */
  readonly from: string;
  /** Consumer (E.164). */
  readonly to: string;
  readonly body: string;
  readonly kind: MessageKind;
  readonly callId: number | null;
  /** The ledger event that allows this text (granted/implied/reinstated), when there is one. */
  readonly consentEventId: number | null;
}

export interface Outbox {
  /** Stores the message as `queued`; returns its id. */
  enqueue(msg: OutboundRequest): number;
}

export type OutboundState =
  | 'queued'
  | 'submitting'
  | 'submitted'
  | 'delivered'
  | 'undeliverable'
  | 'expired'
  | 'failed'
  | 'cancelled'
  | 'refused'
  /** Claimed, then withheld before (another of) its parts was written because a STOP had committed (src/sms/README.md). */
  | 'suppressed'
  /** Accepted by the SMSC, but no final receipt came within `smpp.receiptTimeoutHours` (src/sms/README.md). */
  | 'unknown';

/** A part of a long text the SMSC has accepted (1-based, in the order the parts are sent). */
export interface AcceptedPart {
  readonly part: number;
  readonly messageId: string;
}

/** A message claimed for sending: it is `submitting` until one of the mark* calls. */
export interface ClaimedMessage {
  readonly id: number;
  readonly businessId: number;
  readonly from: string;
  readonly to: string;
  readonly body: string;
  readonly kind: MessageKind;
  readonly attempts: number;
  /** When it was queued: retryable failures are retried until `createdAt` + the retry horizon. */
  readonly createdAt: number;
  /** Why the previous attempt did not finish it (its retry reason), or why it was held; null on a first try. */
  readonly lastReason: string | null;
  /** Parts an earlier attempt got accepted (committed): a retry sends only the others. */
  readonly acceptedParts: readonly AcceptedPart[];
}

/** Ways a claimed text ends without being (wholly) sent. */
export type UnsentState = 'failed' | 'expired' | 'suppressed';

/** What the outbox reads about one text in its claiming transaction: the facts the sending rules judge. */
export interface SendFacts {
  readonly kind: MessageKind;
  readonly consent: ConsentState;
  /** Texts (not keyword replies) sent or in flight to this consumer for this business in the last 24 h. */
  readonly sentLast24h: number;
  readonly now: number;
  readonly timezone: string;
}

export type SendDecision =
  | { readonly allow: true }
  | { readonly allow: false; readonly rule: 'consent' | 'frequency-cap'; readonly reason: string }
  | { readonly allow: false; readonly rule: 'quiet-hours'; readonly reason: string; readonly retryAt: number };

/**
 * The sending decision, made by the app (app/messaging/send-decider.ts) and called by the store inside
 * the claiming transaction: the store reads the facts and applies the verdict, the rules stay out of it.
 */
export type SendDecider = (facts: SendFacts) => SendDecision;

/** A rule's verdict, for callers that want to refuse before enqueueing (the CLI). */
export type PreflightResult =
  | { readonly allow: true }
  | { readonly allow: false; readonly rule: 'consent' | 'frequency-cap' | 'quiet-hours'; readonly reason: string; readonly retryAt?: number };

/** What the dispatcher and the inbound handler need beyond `enqueue` (SqliteOutbox implements both). */
export interface DispatchOutbox extends Outbox {
  /**
   * Claims up to `limit` due messages. The facts of each (current consent, texts in 24 h, time zone) are
   * read and `decide` is asked in the same transaction as the state change, so a STOP committed before
   * the claim always wins. A refused text ends `refused`; one held by quiet hours is due again at `retryAt`.
   */
  claim(limit: number, now: number, decide: SendDecider): ClaimedMessage[];
  markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): void;
  /**
   * Several results, parts of long texts accepted so far, and receipts that arrived meanwhile, in one
   * transaction (the dispatcher's hot path).
   */
  recordBatch(
    submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
    receipts: readonly DeliveryReceipt[],
    at: number,
    parts?: ReadonlyArray<{ id: number } & AcceptedPart>,
  ): Array<number | null>;
  /** Back to `queued`, due again at `nextAttemptAt`. */
  markRetry(id: number, reason: string, nextAttemptAt: number): void;
  /** A `submitting` text ends unsent (or partly sent): a permanent refusal, its retry horizon passed, or a STOP. */
  markUnsent(id: number, state: UnsentState, reason: string, at: number): void;
  /**
   * Whether a claimed text may still be written to the SMSC: the pair's consent read now, outside any
   * transaction, so a STOP committed by any process since the claim wins (src/sms/README.md). Keyword replies and
   * staff alerts are not governed by the consumer's consent: always true, without a read.
   */
  mayStillSend(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): boolean;
  /** `submitted` texts accepted before `submittedBefore` with no final receipt become `unknown`; returns how many. */
  markReceiptsOverdue(submittedBefore: number, reason: string, at: number): number;
  /** Applies a delivery receipt; returns the outbound id it matched, if any. */
  applyReceipt(r: DeliveryReceipt, at: number): number | null;
  /** Cancels every queued consumer text (not keyword replies, not staff alerts) to this number from this business. */
  cancelQueued(businessId: number, consumer: string, reason: string, at: number): number;
  /** After a crash: `submitting` rows go back to `queued` (they may have reached the SMSC: at most `window + answersAhead`). */
  recoverInFlight(now: number): number;
  /** In a running service, after the writer lost a claim's answer: `submitting` rows other than `keep` (never handed to the sender) back to `queued`. */
  requeueClaimsExcept(now: number, keep: readonly number[]): number;
  /** Messages not yet final (queued or submitting), e.g. to know when a drain is done. */
  pendingCount(): number;
  /** The earliest `next_attempt_at` of a queued message, or null. */
  nextDueAt(): number | null;
  /** Asks `decide` about a prospective text, on the facts read now, without storing it. */
  preflight(msg: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): PreflightResult;
  /** Runs `fn` in one database transaction (e.g. a ledger `revoked` append plus `cancelQueued`). */
  atomically<T>(fn: () => T): T;
}

/** One unit of the dispatcher's writes: results, parts and receipts to record, then texts to claim. */
export interface OutboxBatch {
  readonly submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>;
  readonly parts: ReadonlyArray<{ id: number } & AcceptedPart>;
  readonly receipts: readonly DeliveryReceipt[];
  readonly at: number;
  /** Claim up to `limit` due texts after recording, in the same transaction; null: record only. */
  readonly claim: { readonly limit: number; readonly now: number } | null;
}

export interface OutboxBatchResult {
  /** Per receipt, the outbound id it matched, or null. */
  readonly matched: ReadonlyArray<number | null>;
  readonly claimed: readonly ClaimedMessage[];
}

/**
 * The dispatcher's writes, asynchronous, so that an adapter can commit them off the event loop
 * (src/store/README.md, "The outbox writer thread"): calls are applied in the order made, and a call's
 * promise settles once what it wrote is committed (durably, with the store's synchronous setting). An
 * adapter may commit the calls made during one commit together in the next (group commit). The
 * sending decision is bound when the writer is made (the same `sendDecider` module), not per call.
 * A rejected call wrote nothing that can be relied on; calling again with the same arguments is safe
 * (every write is conditional on the state it expects).
 */
export interface OutboxWriter {
  recordAndClaim(batch: OutboxBatch): Promise<OutboxBatchResult>;
  markRetry(id: number, reason: string, nextAttemptAt: number): Promise<void>;
  markUnsent(id: number, state: UnsentState, reason: string, at: number): Promise<void>;
  markReceiptsOverdue(submittedBefore: number, reason: string, at: number): Promise<number>;
  /** `DispatchOutbox.recoverInFlight`, except the ids this process still has in flight (empty at a start). */
  recoverInFlight(now: number, keep?: readonly number[]): Promise<number>;
  /** Settles once every call made before it is committed, then releases the writer (a thread, a connection). */
  close(): Promise<void>;
}
