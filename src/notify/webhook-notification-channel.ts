import { DELIVERY_HEADER, SIGNATURE_HEADER, signWebhook, TIMESTAMP_HEADER } from '../domain/notify/webhook-signature.ts';
import type { DeliveryRequest, NotificationChannel, SendResult } from '../domain/ports/notification-channel.ts';
import type { AsyncStaffDirectory } from '../domain/ports/async-stores.ts';

export interface WebhookSettings {
  /** One attempt's limit; a receiver that holds the request longer is treated as down and retried. */
  readonly timeoutMs: number;
  readonly userAgent?: string;
}

/**
 * The business webhook: an HTTP POST of the notification's JSON payload, signed per attempt
 * (webhook-signature.ts). Each attempt has a fresh timestamp and signature; the delivery id header stays
 * the same across retries so receivers can dedupe. 2xx is delivered; 408, 429 and 5xx are retried; other
 * 4xx are final (the receiver refuses the request as such: bad secret, wrong URL).
 */
export class WebhookNotificationChannel implements NotificationChannel {
  readonly kind = 'webhook' as const;
  private readonly directory: Pick<AsyncStaffDirectory, 'webhookOf'>;
  private readonly settings: WebhookSettings;
  private readonly now: () => number;
  /** Last timestamp used per delivery: see `timestampFor`. */
  private readonly lastTs = new Map<string, number>();

  constructor(directory: Pick<AsyncStaffDirectory, 'webhookOf'>, settings: WebhookSettings, clock: { now(): number } = { now: Date.now }) {
    this.directory = directory;
    this.settings = settings;
    this.now = () => clock.now();
  }

  async send(req: DeliveryRequest): Promise<SendResult> {
    // A failed read rejects the attempt, which the use case counts as a retryable failure.
    const cfg = await this.directory.webhookOf(req.notification.businessId);
    if (!cfg) return { ok: false, error: 'webhook: no webhook configured for this business', retryable: false };
    const body = JSON.stringify(req.notification.payload);
    const ts = this.timestampFor(req.deliveryId);
    const signal = AbortSignal.any([req.signal, AbortSignal.timeout(this.settings.timeoutMs)]);
    try {
      const res = await fetch(cfg.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': this.settings.userAgent ?? 'callkeeper-webhook/1',
          [TIMESTAMP_HEADER]: String(ts),
          [SIGNATURE_HEADER]: signWebhook(cfg.secret, ts, body),
          [DELIVERY_HEADER]: req.deliveryId,
        },
        body,
        signal,
        redirect: 'error',
      });
      // Drain the body so the connection can be reused; its content is not ours to interpret.
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) return { ok: true, ref: `http ${res.status}` };
      const retryable = res.status === 408 || res.status === 429 || res.status >= 500;
      return { ok: false, error: `webhook: http ${res.status}`, retryable };
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const timedOut = err.name === 'TimeoutError' || err.name === 'AbortError';
      return { ok: false, error: timedOut ? `webhook: no answer within ${this.settings.timeoutMs} ms` : `webhook: ${err.cause?.code ?? err.message}`, retryable: true };
    }
  }

  /**
   * The same body signed in the same second gives the same signature, which a receiver's replay guard
   * rightly refuses; so a retry within the second of the previous attempt is stamped one second later
   * (well inside any tolerance). Bounded: only the latest deliveries are remembered.
   */
  private timestampFor(deliveryId: string): number {
    const nowS = Math.floor(this.now() / 1000);
    const last = this.lastTs.get(deliveryId);
    const ts = last !== undefined && last >= nowS ? last + 1 : nowS;
    this.lastTs.delete(deliveryId);
    this.lastTs.set(deliveryId, ts);
    if (this.lastTs.size > 1000) this.lastTs.delete(this.lastTs.keys().next().value!);
    return ts;
  }
}
