import type { ExpiredCallRecordings, RecordingRetentionStore } from '../domain/ports/recording-retention-store.ts';
import type { SqliteDb } from './sqlite-database.ts';

/**
 * The SQLite side of the retention purge against `calls` (migration 001). It only reads the
 * ledger (the consent-answer audio paths of a call) and only ever writes `calls.recording_deleted_at`:
 * paths and sha256 hashes are kept, so the ledger's hash of a deleted file still proves what was heard.
 */
export class SqliteRetentionStore implements RecordingRetentionStore {
  // The IN subquery is not correlated, so SQLite evaluates it once per statement, not once per call.
  private readonly listCalls;
  private readonly listLedgerAudio;
  private readonly stamp;

  constructor(db: SqliteDb) {
    this.listCalls = db.prepare<[number, number, number], { id: number; started_at: number; recording_path: string | null }>(`
      SELECT id, started_at, recording_path FROM calls
       WHERE id > ? AND started_at < ? AND recording_deleted_at IS NULL
         AND (recording_path IS NOT NULL
              OR id IN (SELECT call_id FROM consent_ledger WHERE call_id IS NOT NULL AND audio_path IS NOT NULL))
       ORDER BY id LIMIT ?`);
    this.listLedgerAudio = db.prepare<[string], { call_id: number; audio_path: string }>(`
      SELECT call_id, audio_path FROM consent_ledger
       WHERE audio_path IS NOT NULL AND call_id IN (SELECT value FROM json_each(?))
       ORDER BY id`);
    this.stamp = db.prepare<[number, number]>('UPDATE calls SET recording_deleted_at = ? WHERE id = ? AND recording_deleted_at IS NULL');
  }

  listExpired(before: number, page: { afterCallId: number; limit: number }): ExpiredCallRecordings[] {
    const rows = this.listCalls.all(page.afterCallId, before, page.limit);
    if (rows.length === 0) return [];
    const paths = new Map<number, string[]>(rows.map((r) => [r.id, r.recording_path === null ? [] : [r.recording_path]]));
    for (const a of this.listLedgerAudio.all(JSON.stringify(rows.map((r) => r.id)))) {
      const list = paths.get(a.call_id);
      if (list && !list.includes(a.audio_path)) list.push(a.audio_path);
    }
    return rows.map((r) => ({ callId: r.id, startedAt: r.started_at, paths: paths.get(r.id) ?? [] }));
  }

  markDeleted(callId: number, at: number): void {
    this.stamp.run(at, callId);
  }
}
