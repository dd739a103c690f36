import type { Statement } from 'better-sqlite3';
import type { StoredUrgencyDecision, UrgencyStore } from '../domain/ports/urgency-store.ts';
import type { UrgencyDecision, UrgencySettings } from '../domain/urgency/urgency-judge.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';
import { toSettings, toStoredDecision, type DecisionRow, type SettingsRow } from './urgency-row.ts';
import { AppError } from '../domain/errors.ts';

/** Per-business urgency settings and urgency decisions on SQLite (migration 003). */
export class SqliteUrgencyStore implements UrgencyStore {
  private readonly now: () => number;
  private readonly s: Record<'settings' | 'save' | 'record' | 'forCall', Statement>;

  constructor(db: SqliteDb, opts: { clock?: { now(): number } } = {}) {
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
    this.s = {
      settings: db.prepare('SELECT trade, extra_json, disabled_json FROM business_urgency WHERE business_id = ?'),
      save: db.prepare(
        `INSERT INTO business_urgency (business_id, trade, extra_json, disabled_json, updated_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(business_id) DO UPDATE SET trade = excluded.trade, extra_json = excluded.extra_json,
           disabled_json = excluded.disabled_json, updated_at = excluded.updated_at`,
      ),
      record: db.prepare(
        `INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade, rule, phrase, matched, suppressed_json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      forCall: db.prepare('SELECT * FROM urgency_decisions WHERE call_id = ? ORDER BY id DESC LIMIT 1'),
    };
  }

  settings(businessId: number): UrgencySettings | undefined {
    const r = this.s.settings.get(businessId) as SettingsRow | undefined;
    return r && toSettings(r);
  }

  saveSettings(businessId: number, s: UrgencySettings): void {
    try {
      this.s.save.run(businessId, s.trade, JSON.stringify(s.extraPhrases), JSON.stringify(s.disabled), this.now());
    } catch (e) {
      if (isConstraintError(e, 'FOREIGNKEY')) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`, { cause: e });
      throw e;
    }
  }

  recordDecision(d: { callId: number | null; businessId: number; decision: UrgencyDecision; at: number }): number {
    const x = d.decision;
    const r = this.s.record.run(d.callId, d.businessId, d.at, x.urgent ? 1 : 0, x.trade, x.rule, x.phrase, x.matched, JSON.stringify(x.suppressed));
    return Number(r.lastInsertRowid);
  }

  decisionForCall(callId: number): StoredUrgencyDecision | undefined {
    const r = this.s.forCall.get(callId) as DecisionRow<number> | undefined;
    return r && toStoredDecision(r, r.urgent === 1);
  }
}
