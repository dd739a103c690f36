import { createAssessUrgency, type AssessUrgency } from '../app/notify/assess-urgency.ts';
import { createNotifyStaff, type NotifyMetrics, type NotifyStaff } from '../app/notify/notify-staff.ts';
import type { Config } from '../config/config-schema.ts';
import type { ChannelKind } from '../domain/notify/delivery-plan.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { NotificationChannel } from '../domain/ports/notification-channel.ts';
import type { AsyncOutbox } from '../domain/ports/async-outbox.ts';
import type { AsyncNotificationLog, AsyncStaffRepository, AsyncUrgencyStore } from '../domain/ports/async-stores.ts';
import { SmsNotificationChannel } from '../notify/sms-notification-channel.ts';
import type { SmtpNotificationChannel } from '../notify/smtp-notification-channel.ts';
import { WebhookNotificationChannel } from '../notify/webhook-notification-channel.ts';
import type { ServeStores } from './serve-stores.ts';

/**
 * Builds the notify side from the config's `notify` slice: the three channels (e-mail only
 * when `notify.smtp` is set), the `notifyStaff` and `assessUrgency` use cases over the stores it is given
 * (serve's `stores`, SQLite or PostgreSQL: serve-stores.ts; the CLI's SQLite stores in turns). Used by
 * `callkeeper notify test` (src/cli/notify-actions.ts) and by the service (src/main.ts), so both send the same way.
 */
export interface NotifyWiring {
  readonly notify: NotifyStaff;
  readonly assessUrgency: AssessUrgency;
  readonly staff: AsyncStaffRepository;
  readonly urgency: AsyncUrgencyStore;
  readonly log: AsyncNotificationLog;
  readonly available: readonly ChannelKind[];
  /** Closes the SMTP pool; call after `notify.drain()`. */
  close(): void;
}

export async function createNotifyWiring(o: {
  stores: Pick<ServeStores, 'staff' | 'notifications' | 'urgency'>;
  config: Config['notify'];
  outbox: AsyncOutbox;
  /** The business's default DID, for staff texts of calls that have none. */
  senderFor: (businessId: number) => Promise<string | undefined>;
  clock: Clock;
  logger: Logger;
  metrics?: NotifyMetrics;
  /** One attempt per delivery (`notify test`). */
  singleAttempt?: boolean;
}): Promise<NotifyWiring> {
  const cfg = o.config;
  const { staff, urgency, notifications: log } = o.stores;
  const channels: NotificationChannel[] = [new SmsNotificationChannel(o.outbox, o.senderFor), new WebhookNotificationChannel(staff, { timeoutMs: cfg.webhookTimeout }, o.clock)];
  let smtp: SmtpNotificationChannel | undefined;
  if (cfg.smtp) {
    // Imported only when configured: nodemailer costs ~55 ms of CPU at start-up (bench/cli-startup.bench.ts).
    const { SmtpNotificationChannel } = await import('../notify/smtp-notification-channel.ts');
    smtp = new SmtpNotificationChannel({
      host: cfg.smtp.host,
      port: cfg.smtp.port,
      secure: cfg.smtp.secure,
      user: cfg.smtp.user,
      password: cfg.smtpPassword,
      from: cfg.smtp.from,
      allowSelfSigned: cfg.smtp.allowSelfSigned,
      connectTimeoutMs: cfg.smtp.connectTimeout,
      socketTimeoutMs: cfg.smtp.socketTimeout,
    });
    channels.push(smtp);
  }
  const notify = createNotifyStaff({
    staff,
    channels,
    log,
    clock: o.clock,
    logger: o.logger,
    retry: {
      maxAttempts: o.singleAttempt ? 1 : cfg.retry.maxAttempts,
      baseDelayMs: cfg.retry.baseDelay,
      maxDelayMs: cfg.retry.maxDelay,
      attemptTimeoutMs: cfg.retry.attemptTimeout,
    },
    smsRate: { windowMs: cfg.staffSms.windowInS * 1000, maxPerWindow: cfg.staffSms.maxPerWindow, urgentMaxPerWindow: cfg.staffSms.urgentMaxPerWindow },
    ...(o.metrics ? { metrics: o.metrics } : {}),
  });
  const assessUrgency = createAssessUrgency({
    store: urgency,
    clock: o.clock,
    logger: o.logger,
    defaults: { trade: cfg.defaultTrade, extraPhrases: [], disabled: [] },
  });
  return { notify, assessUrgency, staff, urgency, log, available: channels.map((c) => c.kind), close: () => smtp?.close() };
}
