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
  /** The latest call from this number to this business, to attach a reply to. */
  latestCallId(businessId: number, consumer: string): number | null;
  list(opts: { businessId?: number; limit?: number; direction?: 'in' | 'out' }): MessageRow[];
  /** Consumers whose latest ledger event for a business is `revoked`. */
  optOuts(opts: { businessId?: number }): OptOutRow[];
}
