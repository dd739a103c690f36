/** Inbound texts and the admin's view of the messaging history. */
export interface NewInboundMessage {
  readonly businessId: number | null;
  /** The business DID (E.164 when it parsed, else as delivered). */
  readonly recipient: string;
  /** The consumer (E.164 when it parsed, else as delivered). */
  readonly sender: string;
  readonly body: string;
  readonly keyword: string | null;
  readonly callId: number | null;
  readonly receivedAt: number;
}

/** An inbound text as stored: what recognises the SMSC delivering it again (domain/messaging/inbound-resend.ts). */
export interface StoredInbound {
  readonly id: number;
  readonly body: string;
  readonly receivedAt: number;
}

/** Whose texts `latestInbound` reads: one sender to one DID (with the business the DID belonged to; null: none). */
export interface InboundPair {
  readonly businessId: number | null;
  readonly recipient: string;
  readonly sender: string;
}

export interface MessageRow {
  readonly direction: 'in' | 'out';
  readonly id: number;
  readonly businessId: number | null;
  readonly consumer: string;
  readonly body: string;
  readonly at: number;
  /** Outbound state, or the inbound keyword (`reply` when none). */
  readonly status: string;
  readonly kind: string | null;
  readonly callId: number | null;
}

export interface OptOutRow {
  readonly businessId: number;
  readonly consumer: string;
  readonly at: number;
  readonly method: string;
  readonly source: string;
}

export interface MessageLog {
  saveInbound(m: NewInboundMessage): number;
  /**
   * The pair's inbound text stored last (the highest id) among those received at or after `since`; null
   * when there is none. Inside an outbox transaction (async-outbox.ts) a PostgreSQL store reads it under
   * the pair's lock, held to the end of the transaction, so two nodes given the same text store it once.
   */
  latestInbound(pair: InboundPair, since: number): StoredInbound | null;
  /** The latest call from this number to this business, to attach a reply to. */
  latestCallId(businessId: number, consumer: string): number | null;
  list(opts: { businessId?: number; limit?: number; direction?: 'in' | 'out' }): MessageRow[];
  /** Consumers whose latest ledger event for a business is `revoked`. */
  optOuts(opts: { businessId?: number }): OptOutRow[];
}
