import { pino, type DestinationStream, type Logger as Pino, type LoggerOptions } from 'pino';
import type { Logger } from '../domain/ports/logger.ts';
import { REDACTED_KEYS } from './redacted-keys.ts';
import { redactFields, scrubMessage } from './redact-fields.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LoggerFactoryOptions {
  /** Where JSON lines go; stdout (journald under systemd) when omitted. */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ component: 'serve' }`). */
  readonly bindings?: Record<string, unknown>;
  /** Field names to redact; default `REDACTED_KEYS` (tests and special tools only). */
  readonly redactKeys?: readonly string[];
}

/**
 * The product logger: pino, one JSON object a line, level from the `log` config slice. Every
 * field named in `REDACTED_KEYS` is replaced by `[redacted]` wherever it sits, in each line's fields and in
 * child bindings; message strings are scrubbed of phone-shaped digit runs as a second line of defence.
 */
export function createLogger(slice: { readonly level: LogLevel }, opts: LoggerFactoryOptions = {}): Logger {
  const keys = new Set<string>(opts.redactKeys ?? REDACTED_KEYS);
  const options: LoggerOptions = {
    level: slice.level,
    name: 'callkeeper',
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: {
      level: (label) => ({ level: label }),
      log: (obj) => redactFields(obj, keys) as Record<string, unknown>,
    },
  };
  const root = new PinoLogger(opts.destination ? pino(options, opts.destination) : pino(options), keys, {});
  return opts.bindings ? root.child(opts.bindings) : root;
}

/**
 * The port over pino. pino applies `formatters.log` to each line's fields but not to child bindings,
 * so bindings are redacted here before pino serializes them once.
 *
 * pino appends a child's bindings to its parent's serialized ones, so a key bound twice (`component:
 * 'serve'`, then an adapter's `component: 'smpp'`) is written twice in one JSON line. Each child is
 * therefore made from the root pino with the merged bindings, the nearer value winning.
 */
class PinoLogger implements Logger {
  private readonly p: Pino;

  constructor(
    private readonly root: Pino,
    private readonly keys: ReadonlySet<string>,
    private readonly bindings: Record<string, unknown>,
  ) {
    this.p = Object.keys(bindings).length === 0 ? root : root.child(bindings);
  }

  debug(fields: Record<string, unknown>, msg: string): void {
    // Debug lines are the common case below the configured level: skip the scrub when they are dropped.
    if (this.p.isLevelEnabled('debug')) this.p.debug(fields, scrubMessage(msg));
  }

  info(fields: Record<string, unknown>, msg: string): void {
    this.p.info(fields, scrubMessage(msg));
  }

  warn(fields: Record<string, unknown>, msg: string): void {
    this.p.warn(fields, scrubMessage(msg));
  }

  error(fields: Record<string, unknown>, msg: string): void {
    this.p.error(fields, scrubMessage(msg));
  }

  child(bindings: Record<string, unknown>): Logger {
    return new PinoLogger(this.root, this.keys, { ...this.bindings, ...(redactFields(bindings, this.keys) as Record<string, unknown>) });
  }
}
