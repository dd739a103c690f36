import { AppError } from '../domain/errors.ts';
import type { CallLog, CallOutcome, NewCall } from '../domain/ports/call-log.ts';
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
      .prepare('UPDATE calls SET recording_path = ?, recording_sha256 = ?, recording_ms = ? WHERE id = ?')
      .run(m.recordingPath, m.sha256, m.durationMs, callId);
    found(r.changes, callId);
  }

  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void {
    found(this.db.prepare('UPDATE calls SET transcript = ?, summary = ? WHERE id = ?').run(t.transcript, t.summary, callId).changes, callId);
  }

  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void {
    found(this.db.prepare('UPDATE calls SET outcome = ?, ended_at = ? WHERE id = ?').run(c.outcome, c.endedAt, callId).changes, callId);
  }
}

/** A write to a call `open` never returned is a bug: refused, not dropped (test/contract/call-log-contract.ts). */
function found(changes: number, callId: number): void {
  if (changes === 0) throw new AppError('INPUT.NOT_FOUND', `no call with id ${callId}`);
}
