import type { Business } from '../business.ts';
import type { UrgencyDecision } from './urgency-judge.ts';

/**
 * What an urgent caller is told; the call flow and the first-reply text use these so the words
 * live in one place. GSM-7 only, so the note never turns a text into UCS-2.
 */
export const URGENT_FIRST_TEXT_NOTE = 'We flagged your call as urgent and alerted our on-call team.';

/** The business's emergency instruction, to be spoken before the goodbye, when the call is urgent and one is set. */
export function emergencyInstructionFor(business: Pick<Business, 'emergencyInstruction'>, decision: Pick<UrgencyDecision, 'urgent'> | null): string | null {
  const text = business.emergencyInstruction?.trim();
  return decision?.urgent && text ? text : null;
}

/** The caller's first text with the urgent note put first, when the call was flagged. */
export function withUrgentNote(body: string, decision: Pick<UrgencyDecision, 'urgent'> | null): string {
  return decision?.urgent ? `${URGENT_FIRST_TEXT_NOTE} ${body}` : body;
}
