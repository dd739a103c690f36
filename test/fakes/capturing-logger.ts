import type { Logger } from '../../src/domain/ports/logger.ts';

export interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly msg: string;
  /** The child bindings merged with the call's fields. */
  readonly fields: Readonly<Record<string, unknown>>;
}

/** A `Logger` that keeps every entry (children share the parent's list). */
export class CapturingLogger implements Logger {
  readonly entries: LogEntry[];
  readonly #bindings: Record<string, unknown>;

  constructor(entries: LogEntry[] = [], bindings: Record<string, unknown> = {}) {
    this.entries = entries;
    this.#bindings = bindings;
  }

  debug(fields: Record<string, unknown>, msg: string): void {
    this.#add('debug', fields, msg);
  }
  info(fields: Record<string, unknown>, msg: string): void {
    this.#add('info', fields, msg);
  }
  warn(fields: Record<string, unknown>, msg: string): void {
    this.#add('warn', fields, msg);
  }
  error(fields: Record<string, unknown>, msg: string): void {
    this.#add('error', fields, msg);
  }
  child(bindings: Record<string, unknown>): Logger {
    return new CapturingLogger(this.entries, { ...this.#bindings, ...bindings });
  }

  /** Message strings that contain any of the given values (phone numbers, transcripts, digits). */
  messagesContaining(values: readonly string[]): string[] {
    return this.entries.map((e) => e.msg).filter((m) => values.some((v) => v !== '' && m.includes(v)));
  }

  #add(level: LogEntry['level'], fields: Record<string, unknown>, msg: string): void {
    this.entries.push({ level, msg, fields: { ...this.#bindings, ...fields } });
  }
}
