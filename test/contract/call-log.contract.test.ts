import { join } from 'node:path';
import type { CallOutcome, TranscriptStatus } from '../../src/domain/ports/call-log.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { createBusiness } from '../sms/fixtures/messaging-db.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { runCallLogContract, type CallLogRow } from './call-log-contract.ts';

runCallLogContract('in-memory fake', () => {
  const log = new InMemoryCallLog();
  return {
    log,
    businessId: 1,
    read: (id) => {
      const r = log.rows.get(id);
      if (!r) return undefined;
      const { id: _id, closes: _closes, recordingDeletedAt: _deleted, ...row } = r;
      return row;
    },
    close: () => {},
  };
});

interface CallsRow {
  engine: string; channel_id: string; business_id: number | null; did: string; caller_raw: string; caller_e164: string | null; started_at: number;
  outcome: CallOutcome | null; ended_at: number | null; recording_path: string | null; recording_sha256: string | null; recording_ms: number | null;
  transcript: string | null; summary: string | null; transcript_status: TranscriptStatus | null; transcript_attempts: number; transcript_error: string | null;
}

runCallLogContract('SQLite on a temp file', () => {
  const { dir, cleanup } = tempDir('ck-contract-calls-');
  const db = openDatabase(join(dir, 'calls.db'));
  migrate(db);
  const businessId = createBusiness(db);
  const select = db.prepare('SELECT * FROM calls WHERE id = ?');
  return {
    log: new SqliteCallLog(db),
    businessId,
    read: (id): CallLogRow | undefined => {
      const r = select.get(id) as CallsRow | undefined;
      return r && {
        engine: r.engine, channelId: r.channel_id, businessId: r.business_id, did: r.did, callerRaw: r.caller_raw, callerE164: r.caller_e164,
        startedAt: r.started_at, outcome: r.outcome, endedAt: r.ended_at, recordingPath: r.recording_path, recordingSha256: r.recording_sha256,
        recordingMs: r.recording_ms, transcript: r.transcript, summary: r.summary,
        transcriptStatus: r.transcript_status, transcriptAttempts: r.transcript_attempts, transcriptError: r.transcript_error,
      };
    },
    close: () => {
      db.close();
      cleanup();
    },
  };
});
