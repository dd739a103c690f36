import type { Business } from '../business.ts';
import type { ConsentState } from '../consent.ts';
import type { CallerId } from '../phone-number.ts';
import type { CallRoute } from './call-state.ts';

/**
 * How a call is handled, decided once when it arrives:
 * - no business owns the DID → `unknown-did` (generic greeting, message only);
 * - anonymous, withheld or invalid caller ID → `withheld` (nothing can be texted, so no question);
 * - a number that cannot receive texts (known landline, toll-free) → `not-textable`;
 * - implied mode → `implied`, unless the consumer has opted out with STOP: a new call is not a new
 *   consent to text (the ledger's latest event decides what may be sent, and an `implied` event
 *   appended after a `revoked` one would silently undo the opt-out);
 * - otherwise `verbal`. A verbal "yes" after a STOP is fine: it is a new, explicit consent.
 */
export function routeCall(input: {
  readonly business: Business | undefined;
  readonly callerId: CallerId;
  /** The consumer's current consent with this business, when the caller ID is a number. */
  readonly priorConsent: ConsentState | null;
}): CallRoute {
  const { business, callerId } = input;
  if (business === undefined) return 'unknown-did';
  if (callerId.kind !== 'number') return 'withheld';
  if (!callerId.mobileCapable) return 'not-textable';
  if (business.consentMode === 'implied') return input.priorConsent === 'revoked' ? 'not-textable' : 'implied';
  return 'verbal';
}
