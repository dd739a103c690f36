import type { Statement } from 'better-sqlite3';
import type { AssistLog, AssistRecord } from '../domain/ports/assist-log.ts';
import { assistValues } from './assist-row.ts';
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
    const res = this.insert.run(...assistValues(r));
    return Number(res.lastInsertRowid);
  }
}
