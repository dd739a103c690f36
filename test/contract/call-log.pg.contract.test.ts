/** The CallLog contract over PostgreSQL (src/store/postgres/pg-call-log.ts), a fresh database per test. */
import type { CallOutcome, TranscriptStatus } from '../../src/domain/ports/call-log.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { runCallLogContract, type CallLogRow } from './call-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

interface CallsRow {
  engine: string; channel_id: string; business_id: number | null; did: string; caller_raw: string; caller_e164: string | null; started_at: number;
  outcome: CallOutcome | null; ended_at: number | null; recording_path: string | null; recording_sha256: string | null; recording_ms: number | null;
  transcript: string | null; summary: string | null; transcript_status: TranscriptStatus | null; transcript_attempts: number; transcript_error: string | null;
}

runCallLogContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  return {
    log: new PgCallLog(db.pool),
    businessId: db.businessIds[0]!,
    read: async (id): Promise<CallLogRow | undefined> => {
      const r = (await db.pool.query<CallsRow>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];
      return r && {
        engine: r.engine, channelId: r.channel_id, businessId: r.business_id, did: r.did, callerRaw: r.caller_raw, callerE164: r.caller_e164,
        startedAt: r.started_at, outcome: r.outcome, endedAt: r.ended_at, recordingPath: r.recording_path, recordingSha256: r.recording_sha256,
        recordingMs: r.recording_ms, transcript: r.transcript, summary: r.summary,
        transcriptStatus: r.transcript_status, transcriptAttempts: r.transcript_attempts, transcriptError: r.transcript_error,
      };
    },
    close: db.close,
  };
});
