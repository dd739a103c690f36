import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { AsyncUrgencyStore } from '../../domain/ports/async-stores.ts';
import type { StoredUrgencyDecision } from '../../domain/ports/urgency-store.ts';
import type { UrgencyDecision, UrgencySettings } from '../../domain/urgency/urgency-judge.ts';
import { toSettings, toStoredDecision, type DecisionRow, type SettingsRow } from '../urgency-row.ts';
import { isForeignKeyViolation } from './pg-database.ts';

/** Per-business urgency settings and urgency decisions on PostgreSQL (migration 002-stores), as SqliteUrgencyStore. */
export class PgUrgencyStore implements AsyncUrgencyStore {
  private readonly pool: pg.Pool;
  private readonly now: () => number;

  constructor(pool: pg.Pool, opts: { clock?: { now(): number } } = {}) {
    this.pool = pool;
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
  }

  async settings(businessId: number): Promise<UrgencySettings | undefined> {
    const r = await this.pool.query<SettingsRow>(
      'SELECT trade, extra_json, disabled_json FROM business_urgency WHERE business_id = $1',
      [businessId],
    );
    const s = r.rows[0];
    return s && toSettings(s);
  }

  async saveSettings(businessId: number, s: UrgencySettings): Promise<void> {
    try {
      await this.pool.query(
        `INSERT INTO business_urgency (business_id, trade, extra_json, disabled_json, updated_at) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (business_id) DO UPDATE SET trade = excluded.trade, extra_json = excluded.extra_json,
           disabled_json = excluded.disabled_json, updated_at = excluded.updated_at`,
        [businessId, s.trade, JSON.stringify(s.extraPhrases), JSON.stringify(s.disabled), this.now()],
      );
    } catch (e) {
      if (isForeignKeyViolation(e)) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`, { cause: e });
      throw e;
    }
  }

  async recordDecision(d: { callId: number | null; businessId: number; decision: UrgencyDecision; at: number }): Promise<number> {
    const x = d.decision;
    const r = await this.pool.query<{ id: number }>(
      `INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade, rule, phrase, matched, suppressed_json)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
      [d.callId, d.businessId, d.at, x.urgent, x.trade, x.rule, x.phrase, x.matched, JSON.stringify(x.suppressed)],
    );
    return r.rows[0]!.id;
  }

  async decisionForCall(callId: number): Promise<StoredUrgencyDecision | undefined> {
    const r = await this.pool.query<DecisionRow<boolean>>('SELECT * FROM urgency_decisions WHERE call_id = $1 ORDER BY id DESC LIMIT 1', [callId]);
    const row = r.rows[0];
    return row && toStoredDecision(row, row.urgent);
  }
}
