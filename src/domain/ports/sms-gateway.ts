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
  /** The SMSC's message id for each submitted PDU (one per part). */
  readonly messageIds: readonly string[];
  readonly parts: number;
  readonly encoding: 'gsm7' | 'ucs2';
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
  /** Resolves when every part was accepted; rejects with an `AppError` (`retryable` says whether to try again). */
  submit(sms: OutboundSms): Promise<SubmitResult>;
  /** The handler's promise settles before the SMSC gets its answer, so a failed store makes the SMSC retry. */
  onInbound(handler: (sms: InboundSms) => Promise<void> | void): void;
  onReceipt(handler: (r: DeliveryReceipt) => Promise<void> | void): void;
}
