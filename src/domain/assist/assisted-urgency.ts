import type { IntakeFields } from './intake-check.ts';

/**
 * The urgency staff are told: the transparent rules' decision, raised (never lowered) when the checked
 * intake says the caller needs someone now (`timeframe: emergency`, which passed the quote check). The
 * rule name `assist.emergency` says on the record that the assist raised it.
 */
export interface StaffUrgency {
  readonly urgent: boolean;
  readonly rule: string | null;
  readonly matched: string | null;
}

export const ASSIST_URGENCY_RULE = 'assist.emergency';

export function raiseUrgency(local: StaffUrgency | null, intake: Pick<IntakeFields, 'timeframe'> | null): StaffUrgency | null {
  if (local?.urgent === true) return local;
  if (intake?.timeframe !== 'emergency') return local;
  return { urgent: true, rule: ASSIST_URGENCY_RULE, matched: null };
}
