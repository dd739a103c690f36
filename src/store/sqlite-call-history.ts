import type { SqliteDb } from './sqlite-database.ts';
import type { CallDetail, CallFilter, CallHistory, CallSummaryRow } from '../domain/ports/call-history.ts';

export type { CallDetail, CallFilter, CallSummaryRow };

/**
 * The calls an admin looks up (`callkeeper calls list|show`): read-only queries over `calls` and the
 * rows that point at a call (ledger, outbox, urgency decisions, staff deliveries).
 */
export class SqliteCallHistory implements CallHistory {
  constructor(private readonly db: SqliteDb) {}

  list(f: CallFilter): CallSummaryRow[] {
    const where: string[] = [];
    const args: Array<string | number> = [];
    if (f.businessId !== undefined) (where.push('c.business_id = ?'), args.push(f.businessId));
    if (f.caller !== undefined) (where.push('c.caller_e164 = ?'), args.push(f.caller));
    if (f.outcome !== undefined) (where.push('c.outcome = ?'), args.push(f.outcome));
    if (f.since !== undefined) (where.push('c.started_at >= ?'), args.push(f.since));
    if (f.until !== undefined) (where.push('c.started_at < ?'), args.push(f.until));
    if (f.urgent !== undefined) (where.push('u.urgent = ?'), args.push(f.urgent ? 1 : 0));
    const sql = `
      SELECT c.id, c.engine, c.business_id AS businessId, c.did, c.caller_e164 AS caller, c.started_at AS startedAt,
             c.ended_at AS endedAt, c.outcome,
             (SELECT l.event FROM consent_ledger l WHERE l.call_id = c.id ORDER BY l.id DESC LIMIT 1) AS consent,
             u.urgent AS urgent,
             (SELECT count(*) FROM outbound_messages o WHERE o.call_id = c.id AND o.kind <> 'staff') AS texts
      FROM calls c
      LEFT JOIN urgency_decisions u ON u.id = (SELECT max(id) FROM urgency_decisions WHERE call_id = c.id)
      ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      ORDER BY c.id DESC LIMIT ?`;
    const rows = this.db.prepare(sql).all(...args, f.limit) as Array<Omit<CallSummaryRow, 'urgent'> & { urgent: number | null }>;
    return rows.map((r) => ({ ...r, urgent: r.urgent === null ? null : r.urgent === 1 }));
  }

  detail(id: number): CallDetail | null {
    const call = this.db.prepare('SELECT * FROM calls WHERE id = ?').get(id) as CallDetail['call'] | undefined;
    if (!call) return null;
    const consent = this.db
      .prepare('SELECT id, at, event, method, transcript, source FROM consent_ledger WHERE call_id = ? ORDER BY id')
      .all(id) as CallDetail['consent'][number][];
    const u = this.db
      .prepare('SELECT urgent, rule, matched FROM urgency_decisions WHERE call_id = ? ORDER BY id DESC LIMIT 1')
      .get(id) as { urgent: number; rule: string | null; matched: string | null } | undefined;
    const texts = this.db
      .prepare(
        "SELECT id, kind, state, state_reason AS stateReason, parts, created_at AS createdAt, body FROM outbound_messages WHERE call_id = ? AND kind <> 'staff' ORDER BY id",
      )
      .all(id) as CallDetail['texts'][number][];
    const staff = this.db
      .prepare('SELECT channel, state, attempts, last_error AS lastError FROM notification_deliveries WHERE call_id = ? ORDER BY id')
      .all(id) as CallDetail['staff'][number][];
    return { call, consent, urgency: u ? { urgent: u.urgent === 1, rule: u.rule, matched: u.matched } : null, texts, staff };
  }
}
