import type { DeliveryRequest, NotificationChannel, SendResult } from '../domain/ports/notification-channel.ts';
import type { AsyncOutbox } from '../domain/ports/async-outbox.ts';

/**
 * Staff texts through the durable outbox, kind `staff`: internal, so no consent ledger event
 * is attached. "Delivered" here means durably queued; the outbox dispatcher retries the SMSC on its own
 * and records the carrier's receipt on the outbound row (its id is the delivery's `ref`).
 * The sender is the DID the caller dialed, else the business's default DID. Both the outbox and the
 * directory behind `senderFor` are async ports (SQLite in turns, or PostgreSQL).
 */
export class SmsNotificationChannel implements NotificationChannel {
  readonly kind = 'sms' as const;
  private readonly outbox: AsyncOutbox;
  private readonly senderFor: (businessId: number) => Promise<string | undefined>;

  constructor(outbox: AsyncOutbox, senderFor: (businessId: number) => Promise<string | undefined>) {
    this.outbox = outbox;
    this.senderFor = senderFor;
  }

  async send(req: DeliveryRequest): Promise<SendResult> {
    const n = req.notification;
    try {
      const from = n.did ?? (await this.senderFor(n.businessId));
      if (!from) return { ok: false, error: 'sms: the business has no DID to send from', retryable: false };
      const id = await this.outbox.enqueue({
        businessId: n.businessId,
        from,
        to: req.target.address,
        body: n.sms,
        kind: 'staff',
        callId: n.callId,
        consentEventId: null,
      });
      return { ok: true, ref: `outbox ${id}` };
    } catch (e) {
      // SQLITE_BUSY under a long writer, or a dropped PostgreSQL connection, is worth another try; the use case backs off.
      return { ok: false, error: `sms: enqueue failed: ${(e as Error).message}`, retryable: true };
    }
  }
}
