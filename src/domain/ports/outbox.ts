/**
 * The durable outbox (issue 5). `enqueue` only stores; sending rules (consent at claim time, frequency
 * cap, quiet hours, STOP) are enforced when a message is claimed, in the same transaction.
 */
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
