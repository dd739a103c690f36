import { pino, type DestinationStream, type LoggerOptions } from 'pino';
import type { Logger } from '../domain/ports/logger.ts';
import { REDACTED_MARK, redactPaths } from './redact-paths.ts';

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface LoggerFactoryOptions {
  /** Where JSON lines go; stdout (journald under systemd) when omitted. */
  readonly destination?: DestinationStream;
  /** Fields on every line (e.g. `{ component: 'serve' }`). */
  readonly bindings?: Record<string, unknown>;
}

/**
 * Phone-shaped runs in a message string: `+15125550100`, `5125550100`, `(512) 555-0100`. Message strings
 * must never hold these (STYLE.md); this is a safety net for a mistake, not the mechanism, so it is kept
 * narrow: 7+ digit runs (which also masks a millisecond timestamp put in a message; put those in fields).
 */
const PHONE_IN_TEXT = /\+?\d{7,15}|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;
export const SCRUBBED_NUMBER = '[number]';

export function scrubMessage(msg: string): string {
  return msg.replace(PHONE_IN_TEXT, SCRUBBED_NUMBER);
}

/**
 * The product logger (issue 6): pino, one JSON object a line, level from the `log` config slice, and the
 * fields in `REDACTED_KEYS` replaced by `[redacted]` wherever they sit. Message strings are scrubbed of
 * phone-shaped digit runs as a second line of defence.
 */
export function createLogger(slice: { readonly level: LogLevel }, opts: LoggerFactoryOptions = {}): Logger {
  const options: LoggerOptions = {
    level: slice.level,
    base: { name: 'callkeeper', pid: process.pid, ...opts.bindings },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: REDACTED_MARK },
    formatters: { level: (label) => ({ level: label }) },
    hooks: {
      logMethod(args, method) {
        // The port always calls (fields, msg); a bare (msg) from a library child is scrubbed the same way.
        const scrubbed = args.map((a, i) => (typeof a === 'string' && (i > 0 || args.length === 1) ? scrubMessage(a) : a));
        method.apply(this, scrubbed as Parameters<typeof method>);
      },
    },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
