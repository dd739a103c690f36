import type { DeliveryTarget } from '../notify/delivery-plan.ts';
import type { StaffNotification } from '../notify/staff-notification.ts';

/** A way to reach the business's staff: SMS through the outbox, e-mail over SMTP, a signed webhook. */
export type { ChannelKind } from '../notify/delivery-plan.ts';
import type { ChannelKind } from '../notify/delivery-plan.ts';

export interface DeliveryRequest {
  /** Stable across the attempts of one delivery (`<notification key>/<channel>/<staff id or "business">`). */
  readonly deliveryId: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  readonly notification: StaffNotification;
  readonly target: DeliveryTarget;
  /** Aborted when the attempt's time is up; an adapter should stop its I/O then. */
  readonly signal: AbortSignal;
}

/**
 * Outcomes are values, not exceptions. `ref` is what the far side gave back (the SMTP
 * message id, the outbox row id, the HTTP status). `retryable: false` ends the delivery at once
 * (a 4xx from the webhook, a mailbox the server rejects).
 */
export type SendResult =
  | { readonly ok: true; readonly ref: string | null }
  | { readonly ok: false; readonly error: string; readonly retryable: boolean };

export interface NotificationChannel {
  readonly kind: ChannelKind;
  send(req: DeliveryRequest): Promise<SendResult>;
}
