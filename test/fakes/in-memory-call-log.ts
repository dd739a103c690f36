import { AppError } from '../../src/domain/errors.ts';
import type { CallLog, CallOutcome, NewCall } from '../../src/domain/ports/call-log.ts';
import type { Journal } from './journal.ts';

export interface CallRow extends NewCall {
  readonly id: number;
  outcome: CallOutcome | null;
  endedAt: number | null;
  recordingPath: string | null;
  recordingSha256: string | null;
  recordingMs: number | null;
  transcript: string | null;
  summary: string | null;
  /** How many times `close` was called (must be exactly 1). */
  closes: number;
}

/** An in-memory `CallLog`. `failOpen` makes `open` throw. */
export class InMemoryCallLog implements CallLog {
  readonly rows = new Map<number, CallRow>();
  failOpen = false;
  readonly #journal: Journal | undefined;

  constructor(opts: { readonly journal?: Journal } = {}) {
    this.#journal = opts.journal;
  }

  open(call: NewCall): number {
    if (this.failOpen) throw new Error('scripted call log failure');
    const id = this.rows.size + 1;
    this.rows.set(id, { ...call, id, outcome: null, endedAt: null, recordingPath: null, recordingSha256: null, recordingMs: null, transcript: null, summary: null, closes: 0 });
    this.#journal?.add('call.open', id);
    return id;
  }

  saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): void {
    const row = this.#row(callId);
    row.recordingPath = m.recordingPath;
    row.recordingSha256 = m.sha256;
    row.recordingMs = m.durationMs;
    this.#journal?.add('call.message', callId);
  }

  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void {
    const row = this.#row(callId);
    row.transcript = t.transcript;
    row.summary = t.summary;
    this.#journal?.add('call.transcript', callId);
  }

  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void {
    const row = this.#row(callId);
    row.outcome = c.outcome;
    row.endedAt = c.endedAt;
    row.closes++;
    this.#journal?.add('call.close', callId, c.outcome);
  }

  get(callId: number): CallRow {
    return this.#row(callId);
  }

  #row(callId: number): CallRow {
    const row = this.rows.get(callId);
    // As the SQLite store (test/contract/call-log-contract.ts).
    if (row === undefined) throw new AppError('INPUT.NOT_FOUND', `no call with id ${callId}`);
    return row;
  }
}
