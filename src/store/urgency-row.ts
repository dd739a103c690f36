import type { StoredUrgencyDecision } from '../domain/ports/urgency-store.ts';
import type { UrgencyDecision, UrgencySettings } from '../domain/urgency/urgency-judge.ts';
import type { Trade } from '../domain/urgency/urgency-rules.ts';

/**
 * What SqliteUrgencyStore and PgUrgencyStore (postgres/pg-urgency-store.ts) share: the rows they read
 * and their mapping. `urgent` is stored as 0/1 on SQLite and as a boolean on PostgreSQL, so each store
 * says what its row holds and passes the flag already read.
 */
export interface DecisionRow<Urgent> {
  id: number;
  call_id: number | null;
  business_id: number;
  decided_at: number;
  urgent: Urgent;
  trade: Trade;
  rule: string | null;
  phrase: string | null;
  matched: string | null;
  suppressed_json: string;
}

export interface SettingsRow {
  trade: Trade;
  extra_json: string;
  disabled_json: string;
}

export function toSettings(r: SettingsRow): UrgencySettings {
  return { trade: r.trade, extraPhrases: JSON.parse(r.extra_json) as string[], disabled: JSON.parse(r.disabled_json) as string[] };
}

export function toStoredDecision(r: DecisionRow<unknown>, urgent: boolean): StoredUrgencyDecision {
  return {
    id: r.id,
    callId: r.call_id,
    businessId: r.business_id,
    decidedAt: r.decided_at,
    decision: {
      urgent,
      rule: r.rule,
      phrase: r.phrase,
      matched: r.matched,
      trade: r.trade,
      suppressed: JSON.parse(r.suppressed_json) as UrgencyDecision['suppressed'],
    },
  };
}
