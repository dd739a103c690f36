import type pg from 'pg';
import type { AssistRecord } from '../../domain/ports/assist-log.ts';
import type { AsyncAssistLog } from '../../domain/ports/async-stores.ts';
import { assistValues } from '../assist-row.ts';

/** Assisted steps on PostgreSQL (`assist_results`, migration 002-stores), as SqliteAssistLog. */
export class PgAssistLog implements AsyncAssistLog {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  async record(r: AssistRecord): Promise<number> {
    const res = await this.pool.query<{ id: number }>(
      `INSERT INTO assist_results (use, business_id, call_id, inbound_id, model, prompt_version, outcome, error_code, latency_ms,
         checks_json, result_json, applied, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
      assistValues(r),
    );
    return res.rows[0]!.id;
  }
}
