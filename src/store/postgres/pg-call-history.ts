import type pg from 'pg';
import type { AsyncCallHistory } from '../../domain/ports/async-stores.ts';
import type { CallDetail, CallFilter, CallSummaryRow } from '../../domain/ports/call-history.ts';
import { sqliteColumnsOf } from './pg-call-record-reader.ts';

/**
 * `callkeeper calls list|show` on PostgreSQL: the queries of SqliteCallHistory (src/store/sqlite-call-history.ts)
 * over the same tables and columns (`calls` has SQLite's columns in SQLite's order: pg-001-core,
 * pg-004-transcript-backlog), so the same rows in the same order. `urgent` is a boolean column here
 * (SQLite: 0/1); bigint ids, times and counts come back as numbers (pg-database.ts).
 */
export class PgCallHistory implements AsyncCallHistory {
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

  async detail(id: number): Promise<CallDetail | null> {
    const row = (await this.pool.query<CallDetail['call']>('SELECT * FROM calls WHERE id = $1', [id])).rows[0];
    if (!row) return null;
    const call = sqliteColumnsOf(row);
    const consent = (await this.pool.query<CallDetail['consent'][number]>('SELECT id, at, event, method, transcript, source FROM consent_ledger WHERE call_id = $1 ORDER BY id', [id])).rows;
    const u = (await this.pool.query<{ urgent: boolean; rule: string | null; matched: string | null }>('SELECT urgent, rule, matched FROM urgency_decisions WHERE call_id = $1 ORDER BY id DESC LIMIT 1', [id])).rows[0];
    const texts = (
      await this.pool.query<CallDetail['texts'][number]>(
        `SELECT id, kind, state, state_reason AS "stateReason", parts, created_at AS "createdAt", body FROM outbound_messages WHERE call_id = $1 AND kind <> 'staff' ORDER BY id`,
        [id],
      )
    ).rows;
    const staff = (await this.pool.query<CallDetail['staff'][number]>('SELECT channel, state, attempts, last_error AS "lastError" FROM notification_deliveries WHERE call_id = $1 ORDER BY id', [id])).rows;
    return { call, consent, urgency: u ? { urgent: u.urgent, rule: u.rule, matched: u.matched } : null, texts, staff };
  }
}
