import { AppError } from '../../src/domain/errors.ts';
import type { CallLog, CallOutcome, NewCall, PendingTranscript, TranscriptStatus } from '../../src/domain/ports/call-log.ts';
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
  transcriptStatus: TranscriptStatus | null;
  transcriptAttempts: number;
  transcriptError: string | null;
  /** Set by a test: the retention purge deleted the audio. */
  recordingDeletedAt: number | null;
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
    this.rows.set(id, { ...call, id, outcome: null, endedAt: null, recordingPath: null, recordingSha256: null, recordingMs: null, transcript: null, summary: null, transcriptStatus: null, transcriptAttempts: 0, transcriptError: null, recordingDeletedAt: null, closes: 0 });
    this.#journal?.add('call.open', id);
    return id;
  }

  saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): void {
    const row = this.#row(callId);
    row.recordingPath = m.recordingPath;
    row.recordingSha256 = m.sha256;
    row.recordingMs = m.durationMs;
    row.transcriptStatus = 'pending';
    row.transcriptAttempts = 0;
    row.transcriptError = null;
    this.#journal?.add('call.message', callId);
  }

  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void {
    const row = this.#row(callId);
    row.transcript = t.transcript;
    row.summary = t.summary;
    row.transcriptStatus = 'done';
    row.transcriptError = null;
    this.#journal?.add('call.transcript', callId);
  }

  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void {
    const row = this.#row(callId);
    row.outcome = c.outcome;
    row.endedAt = c.endedAt;
    row.closes++;
    this.#journal?.add('call.close', callId, c.outcome);
  }

  pendingTranscripts(limit: number, olderThan?: number): PendingTranscript[] {
    return [...this.rows.values()]
      .filter((r) => r.transcriptStatus === 'pending' && (olderThan === undefined || r.startedAt < olderThan))
      .sort((a, b) => a.startedAt - b.startedAt || a.id - b.id)
      .slice(0, limit)
      .map((r) => ({
        callId: r.id, businessId: r.businessId, did: r.did, callerE164: r.callerE164, startedAt: r.startedAt, endedAt: r.endedAt, outcome: r.outcome,
        recordingPath: r.recordingPath!, recordingSha256: r.recordingSha256!, recordingDeletedAt: r.recordingDeletedAt, attempts: r.transcriptAttempts,
      }));
  }

  countTranscriptAttempt(callId: number): number {
    const row = this.#row(callId);
    row.transcriptAttempts++;
    return row.transcriptAttempts;
  }

  markTranscriptFailed(callId: number, reason: string): void {
    const row = this.#row(callId);
    row.transcriptStatus = 'failed';
    row.transcriptError = reason;
  }

  transcriptBacklog(): { readonly pending: number; readonly oldestStartedAt: number | null } {
    const pending = [...this.rows.values()].filter((r) => r.transcriptStatus === 'pending');
    return { pending: pending.length, oldestStartedAt: pending.length === 0 ? null : Math.min(...pending.map((r) => r.startedAt)) };
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
