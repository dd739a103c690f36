import type { CallOutcome } from '../ports/call-log.ts';
import type { CallFlowState } from './call-state.ts';

/**
 * The outcome a call row is closed with, from the flow's final state. The route wins for calls that
 * could never be texted (the operator reads "withheld caller" before anything else); then anything that
 * lost data; then the stored decision; then how the call ended.
 */
export function callOutcome(s: CallFlowState): CallOutcome {
  if (s.route === 'unknown-did') return 'unknown-did';
  if (s.route === 'withheld') return 'withheld-caller';
  if (s.storeFailed) return 'failed';
  if (s.ledger === 'saved') {
    switch (s.decision) {
      case 'granted':
        return 'consent-granted';
      case 'declined':
        return 'consent-declined';
      case 'unclear':
        return s.answerUnheard === null ? 'consent-unclear' : 'consent-unheard';
      case 'implied':
        if (s.sms === 'queued') return 'implied-texted';
        break;
      case null:
        break;
    }
  }
  if (s.interrupted) return 'interrupted';
  if (s.failed) return 'failed';
  if (!s.messageTaken) return 'no-message';
  if (s.route === 'verbal' && s.callerHungUp) return 'caller-hung-up';
  return 'message-only';
}
