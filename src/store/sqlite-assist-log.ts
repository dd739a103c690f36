import type { Statement } from 'better-sqlite3';
import type { AssistLog, AssistRecord } from '../domain/ports/assist-log.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** Assisted steps on SQLite (`assist_results`, migration 006). */
export class SqliteAssistLog implements AssistLog {
  private readonly insert: Statement;

  constructor(db: SqliteDb) {
    this.insert = db.prepare(
      `INSERT INTO assist_results (use, business_id, call_id, inbound_id, model, prompt_version, outcome, error_code, latency_ms,
         checks_json, result_json, applied, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  record(r: AssistRecord): number {
    const res = this.insert.run(
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
    );
    return Number(res.lastInsertRowid);
  }
}
