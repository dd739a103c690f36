import type pg from 'pg';
import type { AsyncCallHistoryList } from '../../domain/ports/async-stores.ts';
import type { CallFilter, CallSummaryRow } from '../../domain/ports/call-history.ts';

/**
 * `callkeeper calls list` on PostgreSQL: the query of SqliteCallHistory.list (src/store/sqlite-call-history.ts)
 * over the same tables and columns (migration pg-001-core), so the same rows in the same order, newest
 * call first. `urgent` is a boolean column here (SQLite: 0/1); bigint ids, times and the count come back
 * as numbers (pg-database.ts).
 */
export class PgCallHistory implements AsyncCallHistoryList {
  constructor(private readonly pool: pg.Pool) {}

  async list(f: CallFilter): Promise<CallSummaryRow[]> {
    const where: string[] = [];
    const args: Array<string | number | boolean> = [];
    const arg = (v: string | number | boolean): string => `$${args.push(v)}`;
    if (f.businessId !== undefined) where.push(`c.business_id = ${arg(f.businessId)}`);
    if (f.caller !== undefined) where.push(`c.caller_e164 = ${arg(f.caller)}`);
    if (f.outcome !== undefined) where.push(`c.outcome = ${arg(f.outcome)}`);
    if (f.since !== undefined) where.push(`c.started_at >= ${arg(f.since)}`);
    if (f.until !== undefined) where.push(`c.started_at < ${arg(f.until)}`);
    if (f.urgent !== undefined) where.push(`u.urgent = ${arg(f.urgent)}`);
    const sql = `
      SELECT c.id, c.engine, c.business_id AS "businessId", c.did, c.caller_e164 AS caller, c.started_at AS "startedAt",
             c.ended_at AS "endedAt", c.outcome,
             (SELECT l.event FROM consent_ledger l WHERE l.call_id = c.id ORDER BY l.id DESC LIMIT 1) AS consent,
             u.urgent AS urgent,
             (SELECT count(*) FROM outbound_messages o WHERE o.call_id = c.id AND o.kind <> 'staff') AS texts
      FROM calls c
      LEFT JOIN urgency_decisions u ON u.id = (SELECT max(id) FROM urgency_decisions WHERE call_id = c.id)
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.id DESC LIMIT ${arg(f.limit)}`;
    return (await this.pool.query<CallSummaryRow>(sql, args)).rows;
  }
}
