/**
 * One error base for the whole product: a stable `code` string that tests, logs and the CLI
 * can rely on, a `retryable` flag, and the underlying `cause`. Adapters translate library failures into
 * these at their boundary. Expected outcomes (caller declined, hung up, no speech) are values, not errors.
 */
export type ErrorCode =
  | 'CONFIG.INVALID'
  | 'INPUT.INVALID'
  | 'INPUT.NOT_FOUND'
  | 'STORE.LEDGER_APPEND_ONLY'
  | 'STORE.LEDGER_TAMPERED'
  | 'STORE.LEDGER_KEY_INSECURE'
  | 'STORE.MIGRATION_FAILED'
  | 'STORE.NOT_CALLKEEPER_DB'
  | 'STORE.SCHEMA_OUTDATED'
  | 'STORE.SERVICE_RUNNING'
  | 'STORE.PURGE_INCOMPLETE'
  /** The outbox could not commit the dispatcher's writes (its writer thread or the database failed). */
  | 'STORE.WRITE_FAILED'
  /** `db copy`: the PostgreSQL target cannot be reached or refuses the login (the message names host and database, never the password). */
  | 'STORE.UNREACHABLE'
  /** `db copy`: the PostgreSQL target already holds rows or other tables; nothing was written. */
  | 'STORE.TARGET_NOT_EMPTY'
  /** `db copy`: the copy does not read back as the source (a count, the chain or its head differ); rolled back. */
  | 'STORE.COPY_MISMATCH'
  | 'CONSENT.NOT_GRANTED'
  | 'CONSENT.REVOKED'
  | 'SMS.FREQUENCY_CAP'
  | 'SMS.QUIET_HOURS'
  | 'SMS.SUBMIT_REJECTED'
  | 'SMS.SUBMIT_TIMEOUT'
  | 'SMS.BIND_REFUSED'
  | 'SMS.NOT_CONNECTED'
  | 'SMS.BAD_PDU'
  | 'TELEPHONY.ENGINE_UNAVAILABLE'
  | 'TELEPHONY.CHANNEL_GONE'
  | 'TELEPHONY.REQUEST_FAILED'
  | 'SPEECH.MODEL_MISSING'
  | 'SPEECH.MODEL_INVALID'
  | 'SPEECH.BAD_AUDIO'
  | 'SPEECH.ENGINE_FAILED'
  /** The recognizer had no room for the job in time (waiting line full, or the caller stopped waiting). */
  | 'SPEECH.SATURATED'
  | 'SPEECH.SYNTH_FAILED'
  | 'NOTIFY.DELIVERY_FAILED'
  | 'DOCTOR.CHECKS_FAILED'
  /** A template change that breaks a carrier rule (src/domain/compliance/README.md), refused without --force. */
  | 'COMPLIANCE.TEMPLATE_REFUSED'
  | 'COMPLIANCE.RULES_BROKEN'
  | 'ASSIST.TIMEOUT'
  | 'ASSIST.UNAVAILABLE'
  | 'ASSIST.REJECTED'
  | 'ASSIST.RATE_LIMITED'
  | 'ASSIST.BAD_OUTPUT'
  | 'ASSIST.CIRCUIT_OPEN'
  | 'INTERNAL';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly retryable: boolean;
  /** Structured, redactable details (never interpolated into `message`). */
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ErrorCode,
    message: string,
    opts: { retryable?: boolean; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    this.retryable = opts.retryable ?? false;
    this.details = opts.details ?? {};
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}

/** Error details for a structured log field (never the message string). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (isAppError(err)) return { code: err.code, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { value: String(err) };
}
