import type { Business } from '../../domain/business.ts';
import type { CallConsentEvent } from '../../domain/call-flow/call-commands.ts';
import type { AnswerUnheard } from '../../domain/call-flow/call-state.ts';
import type { NewConsentEvent } from '../../domain/consent.ts';
import { CONSENT_SCRIPT_VERSION } from '../../domain/consent-script.ts';
import { AppError } from '../../domain/errors.ts';
import type { OutboundRequest } from '../../domain/ports/outbox.ts';
import type { StoredAudio } from '../../domain/ports/recording-store.ts';

/** Facts about the call fixed when it arrived. */
export interface CallFacts {
  readonly callId: number;
  readonly business: Business | null;
  /** The business DID as called (E.164 when it could be normalized). */
  readonly did: string;
  /** The caller's number, when it is one. */
  readonly callerE164: string | null;
}

/** A textable call: the only kind that gets a ledger event or a text. */
function textable(facts: CallFacts): { business: Business; consumer: string } {
  if (facts.business === null || facts.callerE164 === null) {
    throw new AppError('INTERNAL', 'consent and texts need a business and a caller number', { details: { callId: facts.callId } });
  }
  return { business: facts.business, consumer: facts.callerE164 };
}

/**
 * The ledger event for a call's decision. Verbal events carry the consent prompt text(s) exactly as
 * played (the script, then the reprompt when it was asked, one per line) and the final answer's
 * transcript and audio: the answer the decision rests on. An answer the recognizer had no capacity for is
 * `unclear` with source `call: answer not transcribed (recognizer-saturated|recognizer-timeout)`.
 */
export function consentEventForCall(input: {
  readonly event: CallConsentEvent;
  readonly facts: CallFacts;
  readonly consentTextsPlayed: readonly string[];
  readonly answer: { readonly transcript: string | null; readonly audio: StoredAudio | null } | undefined;
  readonly at: number;
  /** Why the answer was never transcribed (recognizer capacity), recorded in the event's source. */
  readonly unheard?: AnswerUnheard;
}): NewConsentEvent {
  const { business, consumer } = textable(input.facts);
  const verbal = input.event !== 'implied';
  const answer = verbal ? input.answer : undefined;
  return {
    event: input.event,
    businessId: business.id,
    did: input.facts.did,
    consumer,
    method: verbal ? 'verbal' : 'implied',
    scriptVersion: verbal ? CONSENT_SCRIPT_VERSION : null,
    scriptText: verbal ? input.consentTextsPlayed.join('\n') : null,
    transcript: answer?.transcript ?? null,
    audioPath: answer?.audio?.path ?? null,
    audioSha256: answer?.audio?.sha256 ?? null,
    callId: input.facts.callId,
    source: input.unheard === undefined ? 'call' : `call: answer not transcribed (${input.unheard})`,
    at: input.at,
  };
}

/** The first text after the call, sent from the DID the caller dialed, under the stored event. */
export function firstTextForCall(input: { readonly facts: CallFacts; readonly body: (business: Business) => string; readonly consentEventId: number | null }): OutboundRequest {
  const { business, consumer } = textable(input.facts);
  return {
    businessId: business.id,
    from: input.facts.did,
    to: consumer,
    body: input.body(business),
    kind: 'first-reply',
    callId: input.facts.callId,
    consentEventId: input.consentEventId,
  };
}
