import type { AssistRecord } from '../../src/domain/ports/assist-log.ts';
import { SqliteAssistLog } from '../../src/store/sqlite-assist-log.ts';
import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import { runAssistLogContract } from './assist-log-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

interface Row {
  use: AssistRecord['use']; business_id: number | null; call_id: number | null; inbound_id: number | null; model: string | null;
  prompt_version: string | null; outcome: AssistRecord['outcome']; error_code: string | null; latency_ms: number; checks_json: string | null;
  result_json: string | null; applied: string; at: number;
}

runAssistLogContract('SQLite on a temp file', () => {
  const c = contractDb('assist', 1);
  const businessId = c.businessIds[0]!;
  const callId = new SqliteCallLog(c.db).open({
    engine: 'asterisk', channelId: 'c1', businessId, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 0,
  });
  const inboundId = new SqliteMessageLog(c.db).saveInbound({
    businessId, recipient: '+15125559000', sender: '+15125550123', body: 'is 3pm ok?', keyword: null, callId, receivedAt: 1,
  });
  const select = c.db.prepare('SELECT * FROM assist_results WHERE id = ?');
  return {
    log: new SqliteAssistLog(c.db),
    businessId,
    callId,
    inboundId,
    read: (id): AssistRecord | undefined => {
      const r = select.get(id) as Row | undefined;
      return r && {
        use: r.use, businessId: r.business_id, callId: r.call_id, inboundId: r.inbound_id, model: r.model, promptVersion: r.prompt_version,
        outcome: r.outcome, errorCode: r.error_code, latencyMs: r.latency_ms,
        checks: r.checks_json === null ? null : (JSON.parse(r.checks_json) as AssistRecord['checks']),
        result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown), applied: r.applied, at: r.at,
      };
    },
    close: c.close,
  };
});
