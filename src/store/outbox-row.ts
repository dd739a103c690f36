import type { AcceptedPart, ClaimedMessage, MessageKind } from '../domain/ports/outbox.ts';

/**
 * What SqliteOutbox (sqlite-outbox.ts) and PgOutbox (postgres/pg-outbox.ts) share: the queued row a
 * claim reads, its mapping to a claimed message, and the state and kind sets their SQL filters on.
 * The sets are plain `IN (...)` literals, the same text in both dialects; each store keeps its own SQL.
 */
export interface QueuedRow {
  id: number;
  business_id: number;
  sender: string;
  recipient: string;
  body: string;
  kind: MessageKind;
  attempts: number;
  created_at: number;
  state_reason: string | null;
  timezone: string;
}

/** States that mean the SMSC has (or may have) the text: they count toward the frequency cap. */
export const SENT_STATES = "('submitting','submitted','delivered','undeliverable','expired','unknown')";
/** The kinds the consumer's consent governs (sending-policy `isConsumerText`): capped, cancelled by STOP. */
export const CONSUMER_KINDS = "('first-reply','follow-up')";
/**
 * The urgent kinds (sending-policy `isUrgent`), claimed before the rest (src/sms/README.md). The same literal as
 * the partial index `outbound_queue_urgent` (SQLite migration 006, migrations/pg-001-core.ts): a partial
 * index serves only a query whose WHERE repeats the index's terms.
 */
export const URGENT_KINDS = "('keyword-reply','staff')";
/** States a text is in while the SMSC has it and its final receipt may still come. */
export const AWAITING_RECEIPT = "('submitted','submitting','unknown')";

/** The claimed message for a queued row this claim has just moved to `submitting` (one more attempt). */
export function claimedOf(r: QueuedRow, acceptedParts: readonly AcceptedPart[]): ClaimedMessage {
  return {
    id: r.id,
    businessId: r.business_id,
    from: r.sender,
    to: r.recipient,
    body: r.body,
    kind: r.kind,
    attempts: r.attempts + 1,
    createdAt: r.created_at,
    lastReason: r.state_reason,
    acceptedParts,
  };
}
