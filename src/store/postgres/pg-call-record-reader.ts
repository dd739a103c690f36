import type pg from 'pg';
import type { AsyncCallRecordReader, CallRecord } from '../../domain/ports/call-record-reader.ts';

/**
 * Call rows for evidence bundles on PostgreSQL, every column as SqliteCallRecordReader reads them:
 * `calls` has SQLite's columns in SQLite's order (pg-001-core, pg-004-transcript-backlog; the one column
 * only PostgreSQL has, `node`, is left out: sqliteColumnsOf) and its bigints
 * come back as numbers (pg-database.ts), so call.json is the same for the same row.
 */
export class PgCallRecordReader implements AsyncCallRecordReader {
  constructor(private readonly pool: pg.Pool) {}

  async callRecord(id: number): Promise<CallRecord | undefined> {
    const row = (await this.pool.query<CallRecord>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];
    return row === undefined ? undefined : sqliteColumnsOf(row);
  }

  /** The node that took the call (`calls.node`, pg-006-call-node), or null: unknown call, or none named. */
  async nodeOf(id: number): Promise<string | null> {
    return (await this.pool.query<{ node: string | null }>('SELECT node FROM calls WHERE id = $1', [id])).rows[0]?.node ?? null;
  }
}

/**
 * A `calls` row without the PostgreSQL-only `node` (pg-006-call-node: which node took the call, for the
 * recordings purge), so call.json and `calls show` are the same as SQLite's for the same row.
 */
export function sqliteColumnsOf<T extends object>(row: T): T {
  const { node: _node, ...rest } = row as T & { node?: unknown };
  return rest as T;
}
