import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { AsyncCallLog } from '../../domain/ports/async-stores.ts';
import type { CallOutcome, NewCall } from '../../domain/ports/call-log.ts';

/** Call rows on PostgreSQL: the same writes as SqliteCallLog, one statement each. */
export class PgCallLog implements AsyncCallLog {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async open(c: NewCall): Promise<number> {
    const r = await this.pool.query<{ id: number }>(
      `INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [c.engine, c.channelId, c.businessId, c.did, c.callerRaw, c.callerE164, c.startedAt],
    );
    return r.rows[0]!.id;
  }

  async saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): Promise<void> {
    const r = await this.pool.query('UPDATE calls SET recording_path = $1, recording_sha256 = $2, recording_ms = $3 WHERE id = $4', [m.recordingPath, m.sha256, m.durationMs, callId]);
    found(r.rowCount, callId);
  }

  async saveTranscript(callId: number, t: { transcript: string; summary: string | null }): Promise<void> {
    found((await this.pool.query('UPDATE calls SET transcript = $1, summary = $2 WHERE id = $3', [t.transcript, t.summary, callId])).rowCount, callId);
  }

  async close(callId: number, c: { outcome: CallOutcome; endedAt: number }): Promise<void> {
    found((await this.pool.query('UPDATE calls SET outcome = $1, ended_at = $2 WHERE id = $3', [c.outcome, c.endedAt, callId])).rowCount, callId);
  }
}

/** A write to a call `open` never returned is a bug: refused, not dropped (test/contract/call-log-contract.ts). */
function found(changes: number | null, callId: number): void {
  if (!changes) throw new AppError('INPUT.NOT_FOUND', `no call with id ${callId}`);
}
