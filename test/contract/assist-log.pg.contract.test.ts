/** The AssistLog contract over PostgreSQL (src/store/postgres/pg-assist-log.ts), a fresh database per test with a business, a call and an inbound text. */
import type { AssistRecord } from '../../src/domain/ports/assist-log.ts';
import { PgAssistLog } from '../../src/store/postgres/pg-assist-log.ts';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgMessageLog } from '../../src/store/postgres/pg-message-log.ts';
import { runAssistLogContract } from './assist-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

interface Row {
  use: AssistRecord['use']; business_id: number | null; call_id: number | null; inbound_id: number | null; model: string | null;
  prompt_version: string | null; outcome: AssistRecord['outcome']; error_code: string | null; latency_ms: number; checks_json: string | null;
  result_json: string | null; applied: string; at: number;
}

runAssistLogContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  const businessId = db.businessIds[0]!;
  const callId = await new PgCallLog(db.pool).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const inboundId = await new PgMessageLog(db.pool).saveInbound({
    businessId, recipient: '+15125559000', sender: '+15125550123', body: 'is 3pm ok?', keyword: null, callId, receivedAt: 1,
  });
  return {
    log: new PgAssistLog(db.pool),
    businessId,
    callId,
    inboundId,
    read: async (id): Promise<AssistRecord | undefined> => {
      const r = (await db.pool.query<Row>('SELECT * FROM assist_results WHERE id = $1', [id])).rows[0];
      return r && {
        use: r.use, businessId: r.business_id, callId: r.call_id, inboundId: r.inbound_id, model: r.model, promptVersion: r.prompt_version,
        outcome: r.outcome, errorCode: r.error_code, latencyMs: r.latency_ms,
        checks: r.checks_json === null ? null : (JSON.parse(r.checks_json) as AssistRecord['checks']),
        result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown), applied: r.applied, at: r.at,
      };
    },
    close: db.close,
  };
});
