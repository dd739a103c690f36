/**
 * The `SmsGateway` port: submits texts to the operator's SMSC and reports inbound texts and
 * delivery receipts. `SmppGateway` is the adapter. Numbers are E.164 on this side of the port.
 */
export interface OutboundSms {
  readonly from: string;
  readonly to: string;
  readonly text: string;
}

export interface SubmitResult {
  /** The SMSC's message id for each submitted PDU (one per part), including parts accepted earlier. */
  readonly messageIds: readonly string[];
  readonly parts: number;
  readonly encoding: 'gsm7' | 'ucs2';
  /** The first PDU (1-based) not written because `mayWrite` said no; it and the rest were withheld. Null: all went. */
  readonly withheldFromPart: number | null;
}

/** How one text is to be submitted (src/sms/README.md, "No part after STOP"). Every field is optional; the defaults send the whole text. */
export interface SubmitOptions {
  /** Keyword replies and staff alerts: served before bulk texts waiting for a TPS slot. */
  readonly urgent?: boolean;
  /** The concatenation reference (0–255) of a long text: the same on every attempt, so resent parts join the ones the handset has. */
  readonly concatRef?: number;
  /** PDUs (1-based) the SMSC already accepted, with their message ids: not sent again. */
  readonly accepted?: ReadonlyMap<number, string>;
  /**
   * Asked just before each PDU is written to the socket, once its slot and token are held: the PDU is
   * written in the same step as the answer arrives, nothing of the gateway's in between. False withholds
   * it and the rest (the result says from which). It must not reject for an expected "no".
   */
  readonly mayWrite?: () => Promise<WriteVerdict>;
  /** A PDU of a multi-PDU text (not the last) was accepted; the next PDU waits for the returned promise (the caller commits it). */
  readonly onPartAccepted?: (part: number, messageId: string) => Promise<void> | void;
}

/** `mayWrite`'s answer: whether the PDU may go, and what ends the hold of the check once it is on the socket (or withheld). */
export interface WriteVerdict {
  readonly allowed: boolean;
  /** Called exactly once, right after the PDU was handed to the socket, or when it is withheld or cannot be written. */
  readonly release?: () => void;
}

export interface InboundSms {
  /** The sender's address as delivered (`+1…`, `1…`, `001…`, a name): the app normalizes it with the TON/NPI. */
  readonly from: string;
  /** The business DID as delivered. */
  readonly to: string;
  /** SMPP 3.4 §5.2.5 type_of_number and §5.2.6 numbering_plan_indicator of `from` / `to`; absent means unknown (0). */
  readonly fromTon?: number;
  readonly fromNpi?: number;
  readonly toTon?: number;
  readonly toNpi?: number;
  readonly text: string;
  readonly receivedAt: number;
}

export type ReceiptState = 'delivered' | 'undeliverable' | 'expired' | 'failed' | 'enroute' | 'accepted' | 'unknown';

export interface DeliveryReceipt {
  /** The SMSC message id as the receipt gave it, plus its other readings (hex ↔ decimal). */
  readonly messageIds: readonly string[];
  readonly state: ReceiptState;
  readonly error: string | null;
}

export type GatewayStatus = 'connecting' | 'up' | 'down' | 'refused' | 'stopped';

export interface SmsGateway {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): GatewayStatus;
  onStatus(listener: (s: GatewayStatus) => void): () => void;
  /**
   * Resolves when every part was accepted or `mayWrite` withheld the rest; rejects with an `AppError`
   * (`retryable` says whether to try again; parts accepted before it were reported to `onPartAccepted`).
   */
  submit(sms: OutboundSms, opts?: SubmitOptions): Promise<SubmitResult>;
  /** The handler's promise settles before the SMSC gets its answer, so a failed store makes the SMSC retry. */
  onInbound(handler: (sms: InboundSms) => Promise<void> | void): void;
  onReceipt(handler: (r: DeliveryReceipt) => Promise<void> | void): void;
}
