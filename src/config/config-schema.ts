import { z } from 'zod';

/**
 * The one configuration schema (issue 2). Loaded once at start-up, every problem reported together,
 * then each adapter gets its own slice. Durations are milliseconds unless the name ends in `InS`/`Days`.
 */
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +15125550100');
const secret = z.string().min(1);

export const configSchema = z
  .object({
    engine: z.enum(['asterisk', 'freeswitch']).default('asterisk'),
    database: z.object({ path: z.string().min(1).default('./data/callkeeper.db') }).prefault({}),
    recordings: z
      .object({
        dir: z.string().min(1).default('./data/recordings'),
        retentionDays: z.number().int().min(1).default(90),
      })
      .prefault({}),
    prompts: z
      .object({
        /** Where synthesized prompts are written; the engine must be able to read them (see README). */
        dir: z.string().min(1).default('./data/prompts'),
        /** The same directory as the engine sees it, when the engine runs on another host. */
        engineDir: z.string().min(1).optional(),
        /** Operator-recorded WAVs that override synthesized prompts: <dir>/<business id>/<prompt>.wav */
        overridesDir: z.string().min(1).optional(),
        synthesizer: z.enum(['auto', 'espeak-ng', 'espeak-ng-wasm', 'piper']).default('auto'),
        voice: z.string().default('en-us'),
      })
      .prefault({}),
    asterisk: z
      .object({
        url: z.string().url().default('http://127.0.0.1:8088'),
        username: z.string().min(1).default('callkeeper'),
        password: secret.optional(),
        passwordFile: z.string().optional(),
        app: z.string().min(1).default('callkeeper'),
      })
      .prefault({}),
    freeswitch: z
      .object({
        /** Outbound socket: FreeSWITCH connects here for each call (dialplan `socket` application). */
        listenHost: z.string().default('127.0.0.1'),
        listenPort: z.number().int().min(0).max(65535).default(8084),
        /** Inbound socket, for health and `api` commands. */
        eslHost: z.string().default('127.0.0.1'),
        eslPort: z.number().int().min(1).max(65535).default(8021),
        password: secret.optional(),
        passwordFile: z.string().optional(),
        /** Where FreeSWITCH writes recordings, as FreeSWITCH sees it, and as this host reads it. */
        recordingsDir: z.string().default('/var/lib/freeswitch/recordings/callkeeper'),
        localRecordingsDir: z.string().optional(),
      })
      .prefault({}),
    smpp: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(2775),
        systemId: z.string().min(1).max(15).default('callkeeper'),
        password: secret.max(8).optional(),
        passwordFile: z.string().optional(),
        systemType: z.string().max(12).default(''),
        enquireLinkInS: z.number().positive().default(30),
        responseTimeout: z.number().int().positive().default(10_000),
        window: z.number().int().min(1).max(100).default(10),
        tps: z.number().positive().default(20),
        sourceTon: z.number().int().min(0).max(6).default(1),
        sourceNpi: z.number().int().min(0).max(18).default(1),
        destTon: z.number().int().min(0).max(6).default(1),
        destNpi: z.number().int().min(0).max(18).default(1),
        /** Send long texts in one PDU with the message_payload TLV instead of UDH-concatenated parts. */
        useMessagePayload: z.boolean().default(false),
        registeredDelivery: z.boolean().default(true),
        /** How long after it was queued a text is still retried after temporary SMSC errors; then `expired` (issue 12). */
        validityHours: z.number().positive().max(168).default(24),
        /** A submitted text with no final receipt after this long becomes `unknown` (only with registeredDelivery). */
        receiptTimeoutHours: z.number().positive().max(720).default(72),
      })
      .prefault({}),
    speech: z
      .object({
        engine: z.enum(['auto', 'whisper', 'pocketsphinx']).default('auto'),
        whisperModel: z.string().optional(),
        threads: z.number().int().min(1).max(64).optional(),
      })
      .prefault({}),
    messaging: z
      .object({
        maxPerDay: z.number().int().min(1).max(4).default(4),
        quietHours: z
          .object({ start: z.string().regex(/^\d{2}:\d{2}$/).default('21:00'), end: z.string().regex(/^\d{2}:\d{2}$/).default('08:00') })
          .prefault({}),
        firstReplyExemptFromQuietHours: z.boolean().default(true),
        helpContact: z.string().optional(),
      })
      .prefault({}),
    call: z
      .object({
        messageMaxMs: z.number().int().positive().default(120_000),
        messageSilenceMs: z.number().int().min(0).default(3_000),
        answerMaxMs: z.number().int().positive().default(6_000),
        answerSilenceMs: z.number().int().min(0).default(1_500),
        /**
         * On SIGTERM, how long calls in progress may run on before they are hung up and recorded as
         * interrupted. The longest call is about greeting + messageMaxMs + two consent questions, ~160 s.
         * Keep systemd's TimeoutStopSec above this plus ~30 s for components to stop (scripts/callkeeper.service).
         */
        drainTimeoutMs: z.number().int().min(0).default(180_000),
      })
      .prefault({}),
    admin: z
      .object({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9464),
        token: secret.optional(),
        tokenFile: z.string().optional(),
      })
      .prefault({}),
    /** Staff notifications (issue 8). Staff contacts and the per-business webhook live in the database. */
    notify: z
      .object({
        /** SMTP relay for staff e-mail; without it, e-mail deliveries are recorded as skipped. */
        smtp: z
          .object({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            /** TLS from the first byte (465); otherwise STARTTLS when offered. */
            secure: z.boolean().default(false),
            user: z.string().optional(),
            from: z.string().min(3),
            allowSelfSigned: z.boolean().default(false),
            connectTimeout: z.number().int().positive().default(10_000),
            socketTimeout: z.number().int().positive().default(30_000),
          })
          .optional(),
        /** Kept next to `smtp` (not inside it) so the `*File` and masking rules for secrets apply. */
        smtpPassword: secret.optional(),
        smtpPasswordFile: z.string().optional(),
        /** One webhook attempt's limit: a receiver that holds longer is retried. */
        webhookTimeout: z.number().int().positive().default(5_000),
        retry: z
          .object({
            maxAttempts: z.number().int().min(1).max(20).default(5),
            baseDelay: z.number().int().positive().default(1_000),
            maxDelay: z.number().int().positive().default(8_000),
            attemptTimeout: z.number().int().positive().default(10_000),
          })
          .prefault({}),
        /** Staff texts per person: a flood of calls must not flood a phone; urgent calls get a higher ceiling. */
        staffSms: z
          .object({
            windowInS: z.number().int().positive().default(900),
            maxPerWindow: z.number().int().min(1).default(5),
            urgentMaxPerWindow: z.number().int().min(1).default(20),
          })
          .prefault({}),
        /** Urgency rules for businesses with no `callkeeper urgency set` of their own. */
        defaultTrade: z.enum(['plumbing', 'hvac', 'electrical', 'locksmith', 'general']).default('general'),
      })
      .prefault({}),
    log: z.object({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).prefault({}),
    defaults: z
      .object({
        timezone: z.string().default('America/Chicago'),
        consentMode: z.enum(['verbal', 'implied']).default('verbal'),
        sampleDid: e164.optional(),
      })
      .prefault({}),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;

/** Paths of the secrets, masked when the config is printed. */
export const SECRET_PATHS = ['asterisk.password', 'freeswitch.password', 'smpp.password', 'admin.token', 'notify.smtpPassword'] as const;
