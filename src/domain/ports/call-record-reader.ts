/**
 * A call row as stored (migration 001 `calls`, column names, times in UTC ms), for evidence bundles.
 * The named columns are the ones the app reads; the rest are carried as they are.
 */
export interface CallRecord {
  readonly id: number;
  readonly recording_path: string | null;
  readonly recording_sha256: string | null;
  readonly [column: string]: string | number | null;
}

/** Reads one call row by id. */
export interface CallRecordReader {
  callRecord(id: number): CallRecord | undefined;
}

/** The same read behind a promise (PostgreSQL: src/store/postgres/pg-call-record-reader.ts). */
export interface AsyncCallRecordReader {
  callRecord(id: number): Promise<CallRecord | undefined>;
}
