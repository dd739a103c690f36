import { buildUrgencyRules, DEFAULT_URGENCY_SETTINGS, judgeUrgency, type UrgencyDecision, type UrgencyRuleSet, type UrgencySettings } from '../../domain/urgency/urgency-judge.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { AsyncUrgencyStore } from '../../domain/ports/async-stores.ts';

/**
 * Judges and records a call's urgency: every urgency decision is stored with the rule that fired. The call flow calls `assess` once the message is transcribed, before the goodbye: an urgent
 * decision makes it play the business's emergency instruction and mention the flag in the caller's first
 * text, and is passed on to `notifyCall`.
 *
 * Settings are read on every call (one indexed row): a `callkeeper urgency` change applies to the next
 * call without a restart. A business with broken stored settings falls back to the defaults (logged),
 * since refusing to judge would be the worse failure.
 */
export interface AssessUrgency {
  /** Resolves once the decision is stored (SQLite in turns, or PostgreSQL: the async ports). */
  assess(input: { callId: number | null; businessId: number; transcript: string | null }): Promise<UrgencyDecision>;
}

export function createAssessUrgency(deps: { store: AsyncUrgencyStore; clock: Clock; logger: Logger; defaults?: UrgencySettings }): AssessUrgency {
  const fallback = deps.defaults ?? DEFAULT_URGENCY_SETTINGS;
  const cache = new Map<string, UrgencyRuleSet>();
  const rulesFor = async (businessId: number): Promise<UrgencyRuleSet> => {
    const s = (await deps.store.settings(businessId)) ?? fallback;
    const key = JSON.stringify(s);
    let rules = cache.get(key);
    if (!rules) {
      try {
        rules = buildUrgencyRules(s);
      } catch (e) {
        deps.logger.error({ businessId, error: (e as Error).message }, 'urgency settings invalid, using defaults');
        rules = buildUrgencyRules(fallback);
      }
      cache.set(key, rules);
    }
    return rules;
  };
  return {
    async assess({ callId, businessId, transcript }) {
      const decision = judgeUrgency(transcript, await rulesFor(businessId));
      await deps.store.recordDecision({ callId, businessId, decision, at: deps.clock.now() });
      deps.logger.info({ callId, businessId, urgent: decision.urgent, rule: decision.rule, suppressed: decision.suppressed.length }, 'urgency judged');
      return decision;
    },
  };
}
