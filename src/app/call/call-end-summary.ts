import type { CallFlowState } from '../../domain/call-flow/call-state.ts';
import type { CallNotificationInput, ConsentOutcome } from '../../domain/notify/staff-notification.ts';
import type { CallOutcome } from '../../domain/ports/call-log.ts';

/**
 * What the staff are told about a call when it ends, handed to `CallDeps.onCallEnded`. It is
 * `notifyCall`'s input (`CallNotificationInput`) with two differences: `business` is null for a call to
 * a DID no business owns (nobody to notify), and `outcome` is the call row's outcome. Wiring:
 * `onCallEnded: (s) => { if (s.business !== null) void notify.notifyCall({ ...s, business: s.business }); }`.
 */
export type CallEndSummary = Omit<CallNotificationInput, 'business'> & {
  readonly business: CallNotificationInput['business'] | null;
  readonly outcome: CallOutcome;
};

/**
 * The consent outcome as the staff should read it: the stored decision when there is one; `unclear` when
 * the question was asked but no decision could be stored (the caller hung up mid-question, or the ledger
 * refused it), since the staff must treat that as "do not text"; `not-asked` otherwise (a withheld or
 * non-textable caller, a hangup before the question).
 */
export function consentOutcomeOf(state: Pick<CallFlowState, 'route' | 'decision' | 'ledger' | 'attempts'>): ConsentOutcome {
  if (state.ledger === 'saved' && state.decision !== null) return state.decision;
  if (state.route === 'verbal' && state.attempts > 0) return 'unclear';
  return 'not-asked';
}
