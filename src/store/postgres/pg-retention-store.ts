import type pg from 'pg';
import type { AsyncRecordingRetentionStore } from '../../domain/ports/async-stores.ts';
import type { ExpiredCallRecordings } from '../../domain/ports/recording-retention-store.ts';

/**
 * The PostgreSQL side of the retention purge, as SqliteRetentionStore: it only reads the ledger (the
 * consent-answer audio paths of a call) and only ever writes `calls.recording_deleted_at`, so paths and
 * sha256 hashes stay and the ledger's hash of a deleted file still proves what was heard.
 *
 * With `node` set, a call another node took is listed as `elsewhere`: its recordings are on that node's
 * disk, and a purge here finding them missing must not stamp them gone while the files stay there
 * (src/store/postgres/README.md, "The recordings purge across nodes"). Such calls are still listed, so a
 * renamed node's earlier calls are purged where their files are.
 */
export class PgRetentionStore implements AsyncRecordingRetentionStore {
  private readonly pool: pg.Pool;
  private readonly node: string | null;

  constructor(pool: pg.Pool, opts: { node?: string } = {}) {
    this.pool = pool;
    this.node = opts.node ?? null;
  }

  async listExpired(before: number, page: { afterCallId: number; limit: number }): Promise<ExpiredCallRecordings[]> {
    const calls = await this.pool.query<{ id: number; started_at: number; recording_path: string | null; node: string | null }>(
      `SELECT c.id, c.started_at, c.recording_path, c.node FROM calls c
        WHERE c.id > $1 AND c.started_at < $2 AND c.recording_deleted_at IS NULL
          AND (c.recording_path IS NOT NULL
               OR EXISTS (SELECT 1 FROM consent_ledger l WHERE l.call_id = c.id AND l.audio_path IS NOT NULL))
        ORDER BY c.id LIMIT $3`,
      [page.afterCallId, before, page.limit],
    );
    if (calls.rows.length === 0) return [];
    const paths = new Map<number, string[]>(calls.rows.map((r) => [r.id, r.recording_path === null ? [] : [r.recording_path]]));
    const audio = await this.pool.query<{ call_id: number; audio_path: string }>(
      'SELECT call_id, audio_path FROM consent_ledger WHERE audio_path IS NOT NULL AND call_id = ANY($1::bigint[]) ORDER BY id',
      [calls.rows.map((r) => r.id)],
    );
    for (const a of audio.rows) {
      const list = paths.get(a.call_id);
      if (list && !list.includes(a.audio_path)) list.push(a.audio_path);
    }
    return calls.rows.map((r) => ({
      callId: r.id,
      startedAt: r.started_at,
      paths: paths.get(r.id) ?? [],
      ...(this.node !== null && r.node !== null && r.node !== this.node ? { elsewhere: true } : {}),
    }));
  }

  async markDeleted(callId: number, at: number): Promise<void> {
    await this.pool.query('UPDATE calls SET recording_deleted_at = $1 WHERE id = $2 AND recording_deleted_at IS NULL', [at, callId]);
  }
}
