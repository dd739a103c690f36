import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import type { DeliveryRequest, NotificationChannel, SendResult } from '../domain/ports/notification-channel.ts';

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  readonly secure: boolean;
  readonly user?: string | undefined;
  readonly password?: string | undefined;
  /** `"Callkeeper" <calls@example.com>` */
  readonly from: string;
  /** Connection + greeting limit; a dead relay must fail an attempt quickly so the retry can run. */
  readonly connectTimeoutMs: number;
  /** Whole-conversation socket idle limit. */
  readonly socketTimeoutMs: number;
  /** Accept self-signed certificates (a LAN relay); off by default. */
  readonly allowSelfSigned?: boolean;
}

/**
 * Staff e-mail over SMTP with nodemailer: one message per staff member, so each one's delivery
 * is recorded on its own. Urgent calls are marked in the subject (`URGENT: …`) and with the standard
 * priority headers, which phones use to break through notification filters.
 */
export class SmtpNotificationChannel implements NotificationChannel {
  readonly kind = 'email' as const;
  private readonly transport: Transporter;
  private readonly from: string;

  constructor(settings: SmtpSettings) {
    this.from = settings.from;
    this.transport = nodemailer.createTransport({
      host: settings.host,
      port: settings.port,
      secure: settings.secure,
      auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
      connectionTimeout: settings.connectTimeoutMs,
      greetingTimeout: settings.connectTimeoutMs,
      socketTimeout: settings.socketTimeoutMs,
      tls: settings.allowSelfSigned ? { rejectUnauthorized: false } : undefined,
    });
  }

  async send(req: DeliveryRequest): Promise<SendResult> {
    const n = req.notification;
    try {
      const info = await this.transport.sendMail({
        from: this.from,
        to: req.target.name ? { name: req.target.name, address: req.target.address } : req.target.address,
        subject: n.subject,
        text: n.text,
        priority: n.urgent ? 'high' : 'normal',
        headers: {
          'X-Callkeeper-Delivery': req.deliveryId,
          ...(n.callId !== null ? { 'X-Callkeeper-Call-Id': String(n.callId) } : {}),
          ...(n.urgent ? { 'X-Callkeeper-Urgent': 'yes' } : {}),
        },
      });
      return { ok: true, ref: info.messageId ?? null };
    } catch (e) {
      return smtpFailure(e);
    }
  }

  close(): void {
    this.transport.close();
  }
}

/** SMTP reply codes: 5xx is permanent (a bad mailbox will not get better), 4xx and network errors are worth a retry. */
export function smtpFailure(e: unknown): SendResult {
  const err = e as { responseCode?: number; code?: string; message?: string };
  const code = err.responseCode;
  const permanent = typeof code === 'number' && code >= 500 && code < 600 && err.code !== 'EAUTH';
  return { ok: false, error: `smtp: ${code ?? err.code ?? 'error'} ${err.message ?? String(e)}`.slice(0, 500), retryable: !permanent };
}
