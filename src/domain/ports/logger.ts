/**
 * Structured logging (pino-compatible). Phone numbers, transcripts and DTMF digits go in `fields`,
 * never in `msg`, so the logger can redact them by path.
 */
export interface Logger {
  debug(fields: Record<string, unknown>, msg: string): void;
  info(fields: Record<string, unknown>, msg: string): void;
  warn(fields: Record<string, unknown>, msg: string): void;
  error(fields: Record<string, unknown>, msg: string): void;
  child(bindings: Record<string, unknown>): Logger;
}
