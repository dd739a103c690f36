import type { CallRecord, CallRecordReader } from '../domain/ports/call-record-reader.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** Call rows for evidence bundles: every column, so that a bundle shows the call exactly as stored. */
export class SqliteCallRecordReader implements CallRecordReader {
  private readonly byId;

  constructor(db: SqliteDb) {
    this.byId = db.prepare<[number], CallRecord>('SELECT * FROM calls WHERE id = ?');
  }

  callRecord(id: number): CallRecord | undefined {
    return this.byId.get(id);
  }
}
