import type { Business } from '../../domain/business.ts';
import type { CallConsentEvent } from '../../domain/call-flow/call-commands.ts';
import type { AnswerUnheard, CallFlowState } from '../../domain/call-flow/call-state.ts';
import type { NewConsentEvent } from '../../domain/consent.ts';
import { CONSENT_SCRIPT_VERSION } from '../../domain/consent-script.ts';
import { AppError } from '../../domain/errors.ts';
import type { ConsentOutcome } from '../../domain/notify/staff-notification.ts';
import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { OutboundRequest } from '../../domain/ports/outbox.ts';
import type { StoredAudio } from '../../domain/ports/recording-store.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';
import type { CallResult, StaffCallSummary } from './call-types.ts';

/** Who and what the call is, fixed when it arrived. */
export interface CallIdentity {
  readonly callId: number;
  readonly business: Business | null;
  /** The business DID as called (E.164 when it could be normalized). */
  readonly did: string;
  /** The caller's number, when it is one. */
  readonly callerE164: string | null;
  /**
   * The id of the pair's latest ledger event when the call began (0: none). A `revoked` after it came
   * during the call, and wins over the grant the call would store.
   */
  readonly ledgerIdAtStart: number;
}

/** One recorded consent answer (the caller may be asked twice). */
export interface Answer {
  recordingId: string;
  wav: Buffer | null;
  audio: StoredAudio | null;
  transcript: string | null;
  confidence: number | null;
  decision: ConsentDecision | null;
  /** When the engine reported the end of this answer (the start of the decision latency). */
  endedAt: number | null;
}

/**
 * What one call has gathered so far (audio, transcripts, the consent texts played, the ids of what was
 * written) and the records made from it: the ledger event, the first text, the call's result and the
 * staff summary. Filled in only by the call's `CallSession`.
 */
export class CallEvidence {
  readonly call: CallIdentity;
  readonly consentTexts: string[] = [];
  messageRecordingId: string | null = null;
  messageWav: Buffer | null = null;
  messageDurationMs: number | null = null;
  message: StoredAudio | null = null;
  messageTranscript: string | null = null;
  /** Aborted when the flow stops waiting for the answer's transcription (`cancelTranscription`). */
  answerCancel: AbortController | null = null;
  readonly answers: Answer[] = [];
  consentEventId: number | null = null;
  outboundMessageId: number | null = null;
  decisionLatencyMs: number | null = null;
  urgency: UrgencyDecision | null = null;
  /** The emergency instruction and goodbye as played: what the caller was told. */
  readonly told: string[] = [];
  endedAt: number | null = null;

  constructor(call: CallIdentity) {
    this.call = call;
  }

  /** A textable call: the only kind that gets a ledger event or a text. */
  #textable(): { business: Business; consumer: string } {
    const c = this.call;
    if (c.business === null || c.callerE164 === null) {
      throw new AppError('INTERNAL', 'consent and texts need a business and a caller number', { details: { callId: c.callId } });
    }
    return { business: c.business, consumer: c.callerE164 };
  }

  /**
   * The ledger event for a call's decision. Verbal events carry the consent prompt text(s) exactly as
   * played (the script, then the reprompt when it was asked, one per line) and the final answer's
   * transcript and audio: the answer the decision rests on. An answer the recognizer had no capacity for
   * is `unclear` with source `call: answer not transcribed (recognizer-saturated|recognizer-timeout)`.
   */
  consentEvent(event: CallConsentEvent, at: number, unheard?: AnswerUnheard): NewConsentEvent {
    const { business, consumer } = this.#textable();
    const verbal = event !== 'implied';
    const answer = verbal ? this.answers.at(-1) : undefined;
    return {
      event,
      businessId: business.id,
      did: this.call.did,
      consumer,
      method: verbal ? 'verbal' : 'implied',
      scriptVersion: verbal ? CONSENT_SCRIPT_VERSION : null,
      scriptText: verbal ? this.consentTexts.join('\n') : null,
      transcript: answer?.transcript ?? null,
      audioPath: answer?.audio?.path ?? null,
      audioSha256: answer?.audio?.sha256 ?? null,
      callId: this.call.callId,
      source: unheard === undefined ? 'call' : `call: answer not transcribed (${unheard})`,
      at,
    };
  }

  /** The first text after the call, sent from the DID the caller dialed, under the stored event. */
  firstText(body: (business: Business) => string): OutboundRequest {
    const { business, consumer } = this.#textable();
    return {
      businessId: business.id,
      from: this.call.did,
      to: consumer,
      body: body(business),
      kind: 'first-reply',
      callId: this.call.callId,
      consentEventId: this.consentEventId,
    };
  }

  /** What the call came to, from the final flow state. */
  result(s: CallFlowState, ignoredEvents: number): CallResult {
    return {
      callId: this.call.callId,
      route: s.route,
      outcome: s.outcome ?? 'failed',
      decision: s.ledger === 'saved' ? s.decision : null,
      consentEventId: this.consentEventId,
      outboundMessageId: this.outboundMessageId,
      decisionLatencyMs: this.decisionLatencyMs,
      message: this.message,
      messageTranscript: this.messageTranscript,
      ignoredEvents,
    };
  }

  /** What the staff are told, from the final flow state. */
  staffSummary(s: CallFlowState, now: number): StaffCallSummary {
    const b = this.call.business;
    const u = this.urgency;
    return {
      business: b === null ? null : { id: b.id, name: b.name, timezone: b.timezone },
      callId: this.call.callId,
      did: this.call.did,
      callerE164: this.call.callerE164,
      endedAt: this.endedAt ?? now,
      transcript: this.messageTranscript,
      summary: null,
      consent: consentOutcomeOf(s),
      recordingRef: this.message?.path ?? null,
      callerWasTold: this.told.length > 0 ? this.told.join(' ') : null,
      urgency: u === null ? null : { urgent: u.urgent, rule: u.rule, matched: u.matched },
      outcome: s.outcome ?? 'failed',
    };
  }
}

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
