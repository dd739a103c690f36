import type { StaffSmsDecision } from '../notify/staff-sms-rate-policy.ts';
import type { ChannelKind } from './notification-channel.ts';

/** Delivery state per channel. `rate-limited` and `skipped` never had an attempt. */
export type DeliveryState = 'sending' | 'retrying' | 'delivered' | 'failed' | 'rate-limited' | 'skipped';
export type FinalDeliveryState = Extract<DeliveryState, 'delivered' | 'failed' | 'rate-limited' | 'skipped'>;

export interface NewDelivery {
  readonly notificationKey: string;
  readonly kind: 'call' | 'reply' | 'test';
  readonly businessId: number;
  readonly callId: number | null;
  readonly channel: ChannelKind;
  readonly staffId: number | null;
  /** Phone number, e-mail address or URL (a redactable field, never a log message). */
  readonly address: string;
  readonly urgent: boolean;
  readonly createdAt: number;
}

export interface DeliveryAttempt {
  readonly attempt: number;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly ok: boolean;
  readonly error: string | null;
  readonly ref: string | null;
}

export interface DeliverySettlement {
  readonly state: FinalDeliveryState;
  readonly at: number;
  readonly lastError: string | null;
  /** Call end → delivered, when delivered. */
  readonly latencyMs: number | null;
  readonly ref: string | null;
}

/** Every delivery and every attempt is recorded, so "did the plumber get it?" has an answer. */
export interface NotificationLog {
  /** Records a delivery as `sending` and returns its id. */
  open(d: NewDelivery): number;
  /** Records one attempt; a failed attempt moves the delivery to `retrying`. INPUT.NOT_FOUND for an id `open` did not return. */
  attempt(deliveryId: number, a: DeliveryAttempt): void;
  /** INPUT.NOT_FOUND for an id `open` did not return. */
  settle(deliveryId: number, s: DeliverySettlement): void;
  /** Staff texts to this person opened since `since` (rate-limited and skipped ones excluded). */
  staffSmsSince(staffId: number, since: number): number;
  /**
   * A staff text, counted and opened as one step for every process on the store: `staffSmsSince(d.staffId,
   * since)` is handed to `decide`, and the delivery is opened (as `open`) only when it allows. Two nodes
   * sharing PostgreSQL judging the same person's texts at once take turns, so together they never pass
   * the limit (src/store/postgres/README.md, "Async ports"). Refused: nothing is
   * opened, and the reason comes back.
   */
  openStaffSms(d: NewDelivery & { readonly staffId: number }, since: number, decide: (sentInWindow: number) => StaffSmsDecision): { readonly id: number } | { readonly refused: string };
}
