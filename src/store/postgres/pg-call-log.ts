import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { AsyncCallLog } from '../../domain/ports/async-stores.ts';
import type { CallOutcome, NewCall, PendingTranscript } from '../../domain/ports/call-log.ts';

/**
 * Call rows on PostgreSQL: the same writes as SqliteCallLog, one statement each. A call opened here is
 * stamped with this node's name (`node`, migration pg-006-call-node): its recordings are on this node's disk, and
 * another node's purge leaves them to this one (PgRetentionStore).
 */
export class PgCallLog implements AsyncCallLog {
  private readonly pool: pg.Pool;
  private readonly node: string | null;

  constructor(pool: pg.Pool, opts: { node?: string } = {}) {
    this.pool = pool;
    this.node = opts.node ?? null;
  }

  async open(c: NewCall): Promise<number> {
    const r = await this.pool.query<{ id: number }>(
      `INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at, node)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
      [c.engine, c.channelId, c.businessId, c.did, c.callerRaw, c.callerE164, c.startedAt, this.node],
    );
    return r.rows[0]!.id;
  }

  async saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): Promise<void> {
    const r = await this.pool.query(
      `UPDATE calls SET recording_path = $1, recording_sha256 = $2, recording_ms = $3,
         transcript_status = 'pending', transcript_attempts = 0, transcript_error = NULL WHERE id = $4`,
      [m.recordingPath, m.sha256, m.durationMs, callId],
    );
    found(r.rowCount, callId);
  }

  async saveTranscript(callId: number, t: { transcript: string; summary: string | null }): Promise<void> {
    const r = await this.pool.query("UPDATE calls SET transcript = $1, summary = $2, transcript_status = 'done', transcript_error = NULL WHERE id = $3", [t.transcript, t.summary, callId]);
    found(r.rowCount, callId);
  }

  async close(callId: number, c: { outcome: CallOutcome; endedAt: number }): Promise<void> {
    found((await this.pool.query('UPDATE calls SET outcome = $1, ended_at = $2 WHERE id = $3', [c.outcome, c.endedAt, callId])).rowCount, callId);
  }

  async pendingTranscripts(limit: number, olderThan?: number): Promise<PendingTranscript[]> {
    const r = await this.pool.query<PendingRow>(
      `SELECT id, business_id, did, caller_e164, started_at, ended_at, outcome, recording_path, recording_sha256, recording_deleted_at, transcript_attempts
         FROM calls WHERE transcript_status = 'pending' AND started_at < $1
        ORDER BY started_at, id LIMIT $2`,
      [olderThan ?? Number.MAX_SAFE_INTEGER, limit],
    );
    return r.rows.map((row) => ({
      callId: row.id, businessId: row.business_id, did: row.did, callerE164: row.caller_e164, startedAt: row.started_at, endedAt: row.ended_at,
      outcome: row.outcome, recordingPath: row.recording_path, recordingSha256: row.recording_sha256, recordingDeletedAt: row.recording_deleted_at,
      attempts: row.transcript_attempts,
    }));
  }

  async countTranscriptAttempt(callId: number): Promise<number> {
    const r = await this.pool.query<{ transcript_attempts: number }>('UPDATE calls SET transcript_attempts = transcript_attempts + 1 WHERE id = $1 RETURNING transcript_attempts', [callId]);
    found(r.rowCount, callId);
    return r.rows[0]!.transcript_attempts;
  }

  async markTranscriptFailed(callId: number, reason: string): Promise<void> {
    found((await this.pool.query("UPDATE calls SET transcript_status = 'failed', transcript_error = $1 WHERE id = $2", [reason, callId])).rowCount, callId);
  }

  async transcriptBacklog(): Promise<{ readonly pending: number; readonly oldestStartedAt: number | null }> {
    const r = await this.pool.query<{ n: number; oldest: number | null }>("SELECT COUNT(*)::bigint AS n, MIN(started_at) AS oldest FROM calls WHERE transcript_status = 'pending'");
    return { pending: r.rows[0]!.n, oldestStartedAt: r.rows[0]!.oldest };
  }
}

interface PendingRow {
  id: number; business_id: number | null; did: string; caller_e164: string | null; started_at: number; ended_at: number | null;
  outcome: CallOutcome | null; recording_path: string; recording_sha256: string; recording_deleted_at: number | null; transcript_attempts: number;
}

/** A write to a call `open` never returned is a bug: refused, not dropped (test/contract/call-log-contract.ts). */
function found(changes: number | null, callId: number): void {
  if (!changes) throw new AppError('INPUT.NOT_FOUND', `no call with id ${callId}`);
}
