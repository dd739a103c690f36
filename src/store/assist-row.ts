import type { AssistRecord } from '../domain/ports/assist-log.ts';

/**
 * An assisted step's values in the column order both stores' INSERT names (use, business_id, call_id,
 * inbound_id, model, prompt_version, outcome, error_code, latency_ms, checks_json, result_json, applied,
 * at): the one mapping SqliteAssistLog and PgAssistLog share; each keeps its own SQL.
 */
export function assistValues(r: AssistRecord): unknown[] {
  return [
    r.use,
    r.businessId,
    r.callId,
    r.inboundId,
    r.model,
    r.promptVersion,
    r.outcome,
    r.errorCode,
    Math.round(r.latencyMs),
    r.checks === null ? null : JSON.stringify(r.checks),
    r.result === null || r.result === undefined ? null : JSON.stringify(r.result),
    r.applied,
    r.at,
  ];
}
