import { AppError } from '../domain/errors.ts';
import type { CallLog, CallOutcome, NewCall, PendingTranscript } from '../domain/ports/call-log.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** Call rows on SQLite: opened when a call arrives, filled as it goes, closed with its outcome. */
export class SqliteCallLog implements CallLog {
  private readonly db: SqliteDb;

  constructor(db: SqliteDb) {
    this.db = db;
  }

  open(c: NewCall): number {
    const r = this.db
      .prepare(
        `INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(c.engine, c.channelId, c.businessId, c.did, c.callerRaw, c.callerE164, c.startedAt);
    return Number(r.lastInsertRowid);
  }

  saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): void {
    const r = this.db
      .prepare(
        `UPDATE calls SET recording_path = ?, recording_sha256 = ?, recording_ms = ?,
           transcript_status = 'pending', transcript_attempts = 0, transcript_error = NULL WHERE id = ?`,
      )
      .run(m.recordingPath, m.sha256, m.durationMs, callId);
    found(r.changes, callId);
  }

  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void {
    const r = this.db
      .prepare("UPDATE calls SET transcript = ?, summary = ?, transcript_status = 'done', transcript_error = NULL WHERE id = ?")
      .run(t.transcript, t.summary, callId);
    found(r.changes, callId);
  }

  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void {
    found(this.db.prepare('UPDATE calls SET outcome = ?, ended_at = ? WHERE id = ?').run(c.outcome, c.endedAt, callId).changes, callId);
  }

  pendingTranscripts(limit: number, olderThan?: number): PendingTranscript[] {
    const rows = this.db
      .prepare(
        `SELECT ${PENDING_COLUMNS} FROM calls
          WHERE transcript_status = 'pending' AND started_at < ?
          ORDER BY started_at, id LIMIT ?`,
      )
      .all(olderThan ?? Number.MAX_SAFE_INTEGER, limit) as PendingRow[];
    return rows.map(pendingOf);
  }

  countTranscriptAttempt(callId: number): number {
    const r = this.db.prepare('UPDATE calls SET transcript_attempts = transcript_attempts + 1 WHERE id = ? RETURNING transcript_attempts').get(callId) as
      | { transcript_attempts: number }
      | undefined;
    found(r === undefined ? 0 : 1, callId);
    return r!.transcript_attempts;
  }

  markTranscriptFailed(callId: number, reason: string): void {
    found(this.db.prepare("UPDATE calls SET transcript_status = 'failed', transcript_error = ? WHERE id = ?").run(reason, callId).changes, callId);
  }

  transcriptBacklog(): { readonly pending: number; readonly oldestStartedAt: number | null } {
    const r = this.db.prepare("SELECT COUNT(*) AS n, MIN(started_at) AS oldest FROM calls WHERE transcript_status = 'pending'").get() as { n: number; oldest: number | null };
    return { pending: r.n, oldestStartedAt: r.oldest };
  }
}

/** The columns a pending message is read from. */
const PENDING_COLUMNS =
  'id, business_id, did, caller_e164, started_at, ended_at, outcome, recording_path, recording_sha256, recording_deleted_at, transcript_attempts';

interface PendingRow {
  id: number; business_id: number | null; did: string; caller_e164: string | null; started_at: number; ended_at: number | null;
  outcome: CallOutcome | null; recording_path: string; recording_sha256: string; recording_deleted_at: number | null; transcript_attempts: number;
}

function pendingOf(r: PendingRow): PendingTranscript {
  return {
    callId: r.id, businessId: r.business_id, did: r.did, callerE164: r.caller_e164, startedAt: r.started_at, endedAt: r.ended_at,
    outcome: r.outcome, recordingPath: r.recording_path, recordingSha256: r.recording_sha256, recordingDeletedAt: r.recording_deleted_at,
    attempts: r.transcript_attempts,
  };
}

/** A write to a call `open` never returned is a bug: refused, not dropped (test/contract/call-log-contract.ts). */
function found(changes: number, callId: number): void {
  if (changes === 0) throw new AppError('INPUT.NOT_FOUND', `no call with id ${callId}`);
}
