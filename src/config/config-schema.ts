import { z } from 'zod';

/**
 * The one configuration schema. Loaded once at start-up, every problem reported together,
 * then each adapter gets its own slice. Durations are milliseconds unless the name ends in `InS`/`Days`.
 * Every object is strict: an unknown key at any level is an error (a typo such as `smpp.pasword` must not
 * pass silently with no password set); the loader names the closest known key.
 */
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be E.164, e.g. +15125550100');
const secret = z.string().min(1);

/**
 * Node's timers hold at most 2^31-1 ms (~24.8 days); a longer delay fires after 1 ms instead, so every
 * value that ends up in setTimeout/setInterval is capped here (e.g. `tps: 0.000001` once meant a submit
 * spacing of 1e9 ms, which fired at once).
 */
export const MAX_TIMER_MS = 2_147_483_647;
const timerMs = (min: number) => z.number().int().min(min).max(MAX_TIMER_MS);
/** Seconds that become a timer in ms. */
const timerSeconds = z.number().positive().max(Math.floor(MAX_TIMER_MS / 1000));
const clockTime = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24-hour), e.g. 21:00');
const timeZone = z.string().refine(isTimeZone, 'must be an IANA time zone, e.g. America/Chicago');

function isTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const configSchema = z.strictObject({
    engine: z.enum(['asterisk', 'freeswitch']).default('asterisk'),
    /**
     * `sqlite` (the default: one box, nothing to run) keeps everything in the file at `path`. `postgres`
     * lets several nodes share one ledger, one outbox and one view of consent (src/store/postgres/README.md):
     * `url` is `postgres://user@host:port/database` (a password in it works, but `passwordFile`, mode
     * 0600, keeps it out of the config); `nodeId` names this node's outbox claims and must be stable across
     * its restarts and unique among the nodes (default: the host name).
     */
    database: z
      .strictObject({
        kind: z.enum(['sqlite', 'postgres']).default('sqlite'),
        path: z.string().min(1).default('./data/callkeeper.db'),
        url: z.string().min(1).optional(),
        password: secret.optional(),
        passwordFile: z.string().min(1).optional(),
        nodeId: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash or underscore (1-64)').optional(),
        /** How long a claimed text is this node's before another node may send it (it may go out twice then: at most a window plus `smpp.answersAhead`). */
        leaseMs: timerMs(10_000).default(120_000),
        /** Connections this node holds at most: a window of parts each holding one from its last consent check to the socket, beside claims, appends and calls. */
        poolMax: z.number().int().min(2).max(100).default(20),
      })
      .refine((d) => d.kind !== 'postgres' || d.url !== undefined, { message: 'kind postgres needs url (postgres://user@host:port/database)', path: ['url'] })
      .prefault({}),
    recordings: z
      .strictObject({
        dir: z.string().min(1).default('./data/recordings'),
        retentionDays: z.number().int().min(1).max(36_500).default(90),
      })
      .prefault({}),
    prompts: z
      .strictObject({
        /** Where synthesized prompts are written; the engine must be able to read them (see README). */
        dir: z.string().min(1).default('./data/prompts'),
        /** The same directory as the engine sees it, when the engine runs on another host. */
        engineDir: z.string().min(1).optional(),
        /** Operator-recorded WAVs that override synthesized prompts: <dir>/<business id>/<prompt>.wav */
        overridesDir: z.string().min(1).optional(),
        synthesizer: z.enum(['auto', 'espeak-ng', 'espeak-ng-wasm']).default('auto'),
        voice: z.string().default('en-us'),
      })
      .prefault({}),
    asterisk: z
      .strictObject({
        url: z.string().url().default('http://127.0.0.1:8088'),
        username: z.string().min(1).default('callkeeper'),
        password: secret.optional(),
        passwordFile: z.string().optional(),
        app: z.string().min(1).default('callkeeper'),
      })
      .prefault({}),
    freeswitch: z
      .strictObject({
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
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(1).max(65535).default(2775),
        systemId: z.string().min(1).max(15).default('callkeeper'),
        password: secret.max(8).optional(),
        passwordFile: z.string().optional(),
        systemType: z.string().max(12).default(''),
        enquireLinkInS: timerSeconds.default(30),
        responseTimeout: timerMs(1).default(10_000),
        window: z.number().int().min(1).max(100).default(10),
        /** Submissions per second: 0.1 (one every 10 s) to 1000 (the submit spacing is 1000/tps ms). */
        tps: z.number().min(0.1).max(1000).default(20),
        sourceTon: z.number().int().min(0).max(6).default(1),
        sourceNpi: z.number().int().min(0).max(18).default(1),
        destTon: z.number().int().min(0).max(6).default(1),
        destNpi: z.number().int().min(0).max(18).default(1),
        /** Send long texts in one PDU with the message_payload TLV instead of UDH-concatenated parts. */
        useMessagePayload: z.boolean().default(false),
        registeredDelivery: z.boolean().default(true),
        /** How long after it was queued a text is still retried after temporary SMSC errors; then `expired` (src/sms/README.md, "Retries"). */
        validityHours: z.number().positive().max(168).default(24),
        /** A submitted text with no final receipt after this long becomes `unknown` (only with registeredDelivery). */
        receiptTimeoutHours: z.number().positive().max(720).default(72),
        /** Where the outbox commits claims, results and receipts: a writer thread, or the event loop (src/sms/README.md, "Throughput"). */
        outboxWriter: z.enum(['thread', 'inline']).default('thread'),
        /**
         * SMSC answers that may wait for their commit while the window goes on sending: texts claimed beyond
         * the window. 0 (default): a slot refills only once its answer is committed. Raises the crash bound
         * to window + answersAhead texts in doubt (src/sms/README.md, "Crash guarantee").
         */
        answersAhead: z.number().int().min(0).max(1000).default(0),
      })
      .prefault({}),
    speech: z
      .strictObject({
        engine: z.enum(['auto', 'whisper', 'pocketsphinx']).default('auto'),
        whisperModel: z.string().optional(),
        /** A second, smaller Whisper model for consent answers only (src/speech/README.md, "Answer model"). */
        answerModel: z.string().optional(),
        threads: z.number().int().min(1).max(64).optional(),
        /** Transcriptions at once besides the lane kept for consent answers (src/speech/README.md, "Scheduling"). */
        jobs: z.number().int().min(1).max(64).optional(),
        /** Whisper decoding: tokens per second of audio at most, and whether a failed decode retries hotter (src/speech/README.md). */
        maxTokensPerSecond: z.number().int().min(1).max(30).optional(),
        temperatureFallback: z.boolean().optional(),
      })
      .prefault({}),
    messaging: z
      .strictObject({
        maxPerDay: z.number().int().min(1).max(4).default(4),
        quietHours: z
          .strictObject({ start: clockTime.default('21:00'), end: clockTime.default('08:00') })
          .prefault({}),
        firstReplyExemptFromQuietHours: z.boolean().default(true),
        helpContact: z.string().optional(),
      })
      .prefault({}),
    call: z
      .strictObject({
        messageMaxMs: timerMs(1).default(120_000),
        messageSilenceMs: timerMs(0).default(3_000),
        answerMaxMs: timerMs(1).default(10_000),
        answerSilenceMs: timerMs(0).default(1_500),
        answerStartMs: timerMs(0).default(5_000),
        /**
         * On SIGTERM, how long calls in progress may run on before they are hung up and recorded as
         * interrupted. The longest call is about greeting + messageMaxMs + two consent questions, ~160 s.
         * Keep systemd's TimeoutStopSec above this plus ~30 s for components to stop (scripts/callkeeper.service).
         */
        drainTimeoutMs: timerMs(0).default(180_000),
      })
      .prefault({}),
    admin: z
      .strictObject({
        host: z.string().default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(9464),
        token: secret.optional(),
        tokenFile: z.string().optional(),
        /** Behind a TLS reverse proxy on this host: believe its X-Forwarded-* headers (console cookies become Secure). */
        trustProxy: z.boolean().default(false),
      })
      .prefault({}),
    /** Staff notifications. Staff contacts and the per-business webhook live in the database. */
    notify: z
      .strictObject({
        /** SMTP relay for staff e-mail; without it, e-mail deliveries are recorded as skipped. */
        smtp: z
          .strictObject({
            host: z.string().min(1),
            port: z.number().int().min(1).max(65535).default(587),
            /** TLS from the first byte (465); otherwise STARTTLS when offered. */
            secure: z.boolean().default(false),
            user: z.string().optional(),
            from: z.string().min(3),
            allowSelfSigned: z.boolean().default(false),
            connectTimeout: timerMs(1).default(10_000),
            socketTimeout: timerMs(1).default(30_000),
          })
          .optional(),
        /** Kept next to `smtp` (not inside it) so the `*File` and masking rules for secrets apply. */
        smtpPassword: secret.optional(),
        smtpPasswordFile: z.string().optional(),
        /** One webhook attempt's limit: a receiver that holds longer is retried. */
        webhookTimeout: timerMs(1).default(5_000),
        retry: z
          .strictObject({
            maxAttempts: z.number().int().min(1).max(20).default(5),
            baseDelay: timerMs(1).default(1_000),
            maxDelay: timerMs(1).default(8_000),
            attemptTimeout: timerMs(1).default(10_000),
          })
          .prefault({}),
        /** Staff texts per person: a flood of calls must not flood a phone; urgent calls get a higher ceiling. */
        staffSms: z
          .strictObject({
            windowInS: z.number().int().positive().max(31 * 86_400).default(900),
            maxPerWindow: z.number().int().min(1).default(5),
            urgentMaxPerWindow: z.number().int().min(1).default(20),
          })
          .prefault({}),
        /** Urgency rules for businesses with no `callkeeper urgency set` of their own. */
        defaultTrade: z.enum(['plumbing', 'hvac', 'electrical', 'locksmith', 'general']).default('general'),
      })
      .prefault({}),
    /**
     * Signed checkpoints of the consent ledger (threat model in src/store/README.md). The key
     * and checkpoint paths default to files beside database.path; on PostgreSQL to per-node files in its
     * directory (src/store/postgres/README.md, "Signed checkpoints, per node").
     */
    ledger: z
      .strictObject({
        signing: z.boolean().default(true),
        keyFile: z.string().min(1).optional(),
        publicKeyFile: z.string().min(1).optional(),
        checkpointsFile: z.string().min(1).optional(),
        checkpointEveryRecords: z.number().int().min(1).default(100),
        checkpointIntervalMs: z.number().int().min(1_000).default(300_000),
      })
      .prefault({}),
    /**
     * The optional assist: a language model for what the rules cannot read (src/llm/README.md). Off by
     * default. When on, message transcripts and reply texts (never audio, never a phone number field) go
     * to `serverURL`.
     */
    assist: z
      .strictObject({
        enabled: z.boolean().default(false),
        provider: z.enum(['mistral']).default('mistral'),
        model: z.string().min(1).default('mistral-small-latest'),
        /** La Plateforme, or any server speaking the same chat-completions API (e.g. a self-hosted model). */
        serverURL: z.string().url().default('https://api.mistral.ai'),
        /** A file holding only the API key, mode 0600 (checked at start-up). */
        apiKeyFile: z.string().min(1).optional(),
        uses: z
          .strictObject({ intake: z.boolean().default(true), replies: z.boolean().default(true), consent: z.boolean().default(true) })
          .strict()
          .prefault({}),
        /** Whole-call deadlines, retries included. The consent one is waited for on the line, so at most 1.5 s. */
        timeouts: z
          .strictObject({
            intake: z.number().int().positive().max(30_000).default(8_000),
            reply: z.number().int().positive().max(30_000).default(5_000),
            consent: z.number().int().positive().max(1_500).default(1_500),
          })
          .strict()
          .prefault({}),
        /** The SDK's backoff on 429 and 5xx (a Retry-After is honoured up to maxInterval). */
        retry: z
          .strictObject({
            initialInterval: z.number().int().positive().default(250),
            maxInterval: z.number().int().positive().default(1_000),
            maxElapsed: z.number().int().min(0).default(2_000),
          })
          .strict()
          .prefault({}),
        /** After failureThreshold failures in a row the assist is not called for openInS seconds. */
        breaker: z
          .strictObject({ failureThreshold: z.number().int().min(1).default(3), openInS: z.number().int().positive().default(60) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({})
      .refine((a) => !a.enabled || a.apiKeyFile !== undefined || new URL(a.serverURL).hostname !== 'api.mistral.ai', {
        message: 'apiKeyFile is required when the assist is enabled with La Plateforme',
        path: ['apiKeyFile'],
      }),
    log: z.strictObject({ level: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal']).default('info') }).prefault({}),
    defaults: z
      .strictObject({
        timezone: timeZone.default('America/Chicago'),
        consentMode: z.enum(['verbal', 'implied']).default('verbal'),
      })
      .prefault({}),
});

export type Config = z.infer<typeof configSchema>;

/** Paths of the secrets, masked when the config is printed. */
export const SECRET_PATHS = ['asterisk.password', 'freeswitch.password', 'smpp.password', 'admin.token', 'notify.smtpPassword', 'database.password'] as const;
