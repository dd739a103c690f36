import type pg from 'pg';
import type { AsyncCallRecordReader, CallRecord } from '../../domain/ports/call-record-reader.ts';

/**
 * Call rows for evidence bundles on PostgreSQL, every column as SqliteCallRecordReader reads them:
 * `calls` has SQLite's columns in SQLite's order (pg-001-core, pg-004-transcript-backlog) and its bigints
 * come back as numbers (pg-database.ts), so call.json is the same for the same row.
 */
export class PgCallRecordReader implements AsyncCallRecordReader {
  constructor(private readonly pool: pg.Pool) {}

  async callRecord(id: number): Promise<CallRecord | undefined> {
    return (await this.pool.query<CallRecord>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];
  }
}
