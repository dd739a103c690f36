import type { CallFlowState } from './call-state.ts';
import { URGENCY_WAIT_MS } from './call-timeouts.ts';
import type { PromptKey } from './prompts.ts';
import { cancelTimer, messageBusy, play, startTimer, type Draft } from './transition-draft.ts';

/** The end of the conversation: the goodbye, preceded by the emergency instruction when urgent. */

/** The prompt that ends the call, from what was decided. */
export function goodbyePrompt(s: CallFlowState): PromptKey {
  switch (s.route) {
    case 'verbal':
      // Without a stored grant nothing will be texted, so the caller must not be promised a text.
      return s.decision === 'granted' && s.ledger === 'saved' ? 'goodbye-granted' : 'goodbye-declined';
    case 'implied':
      return 'goodbye-implied';
    case 'withheld':
    case 'unknown-did':
    case 'not-textable':
      return 'goodbye-message';
  }
}

/** The goodbye is due: the emergency instruction first when urgent, or a short wait to know. */
export function goodbye(d: Draft): void {
  const s = d.s;
  cancelTimer(d, 'urgency');
  if (s.urgency === 'urgent') {
    s.phase = 'emergency';
    play(d, 'emergency');
  } else if (s.urgency === 'unknown' && messageBusy(s) && s.phase !== 'awaiting-urgency') {
    s.phase = 'awaiting-urgency';
    startTimer(d, 'urgency', URGENCY_WAIT_MS);
  } else {
    s.phase = 'goodbye';
    play(d, goodbyePrompt(s));
  }
}

/** The message settled without a judgement (transcription failed or timed out): stop waiting. */
export function endUrgencyWait(d: Draft): void {
  if (d.s.phase === 'awaiting-urgency' && !messageBusy(d.s)) goodbye(d);
}

export function onUrgencyAssessed(d: Draft, urgent: boolean): boolean {
  const s = d.s;
  if (s.urgency !== 'unknown') return false;
  s.urgency = urgent ? 'urgent' : 'calm';
  if (s.phase === 'awaiting-urgency') goodbye(d);
  return true;
}
