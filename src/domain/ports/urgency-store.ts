import type { UrgencyDecision, UrgencySettings } from '../urgency/urgency-judge.ts';

export interface StoredUrgencyDecision {
  readonly id: number;
  readonly callId: number | null;
  readonly businessId: number;
  readonly decidedAt: number;
  readonly decision: UrgencyDecision;
}

/** Per-business urgency settings and every decision with the rule that fired. */
export interface UrgencyStore {
  /** The business's settings, or undefined when it has none (the defaults apply). */
  settings(businessId: number): UrgencySettings | undefined;
  saveSettings(businessId: number, s: UrgencySettings): void;
  recordDecision(d: { callId: number | null; businessId: number; decision: UrgencyDecision; at: number }): number;
  decisionForCall(callId: number): StoredUrgencyDecision | undefined;
}
