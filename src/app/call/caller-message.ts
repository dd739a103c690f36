import type { CallEvent } from '../../domain/call-flow/call-events.ts';
import { errorFields, isAppError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { StoredAudio } from '../../domain/ports/recording-store.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';
import { emergencyInstructionFor } from '../../domain/urgency/urgency-messages.ts';
import type { CallEvidence } from './call-evidence.ts';
import type { CallRunnerDeps, StaffCallSummary } from './call-types.ts';

/** What the message reports back to its call: events into the flow, and whether the call is still on. */
export interface CallerMessageHooks {
  readonly dispatch: (event: CallEvent) => void;
  readonly callOver: () => boolean;
  /** Whether the flow listens for the urgency (a business with an emergency instruction). */
  readonly wantsUrgency: () => boolean;
}

/**
 * The caller's message once recorded: its audio kept on the call row, transcribed in the background as
 * a message job (it never holds up a consent answer: src/speech/README.md, "Scheduling"), the
 * transcript kept on the call row, judged for urgency and handed to the assist. The call waits for it at most `transcribeMessageTimeoutMs`; past
 * that the call closes and the staff summary says the transcript is pending, while the transcription
 * goes on. When it lands after the call it is kept and judged all the same, and reaches the staff
 * through `onLateTranscript` (or word that it failed). With a message backlog (`deps.messageBacklog`), a
 * transcription that fails (saturated recognizer, engine error) is not the end: the row stays pending,
 * the staff are told "transcript pending", and the backlog makes it later (message-backlog.ts).
 */
export class CallerMessage {
  readonly #deps: CallRunnerDeps;
  readonly #ev: CallEvidence;
  readonly #log: Logger;
  readonly #hooks: CallerMessageHooks;
  #transcribing = false;
  /** The transcription failed and the message was left to the backlog: the staff hear "pending", not "failed". */
  #leftPending = false;
  /** Set when the call ended while the transcription was still running: its summary, to send again. */
  #pendingSummary: StaffCallSummary | null = null;

  constructor(deps: CallRunnerDeps, ev: CallEvidence, log: Logger, hooks: CallerMessageHooks) {
    this.#deps = deps;
    this.#ev = ev;
    this.#log = log;
    this.#hooks = hooks;
  }

  /** The recording, fetched and stored: kept on the call row (resolves once the row has it). */
  async recorded(wav: Buffer, audio: StoredAudio): Promise<void> {
    this.#ev.messageWav = wav;
    this.#ev.message = audio;
    await this.#deps.callLog.saveMessage(this.#ev.call.callId, { recordingPath: audio.path, sha256: audio.sha256, durationMs: this.#ev.messageDurationMs });
  }

  /** Transcribes the collected message (background work, reported to the flow as an event). */
  async transcribe(): Promise<void> {
    const wav = this.#ev.messageWav;
    const backlog = wav === null ? undefined : this.#deps.messageBacklog;
    const callId = this.#ev.call.callId;
    this.#transcribing = true;
    backlog?.hold(callId);
    let text: string | null = null;
    try {
      if (wav === null) throw new Error('no audio to transcribe');
      text = (await this.#deps.transcriber.transcribe(wav, { purpose: 'message' })).text;
    } catch (err) {
      const saturated = isAppError(err, 'SPEECH.SATURATED');
      this.#deps.metrics.transcriptionFailed('message', saturated ? 'saturated' : 'error');
      // A saturated recognizer is warned about once for all calls (recognizer-load-watch.ts).
      if (saturated) this.#log.info({ purpose: 'message', err: errorFields(err) }, 'not transcribed: the recognizer is saturated');
      else this.#log.warn({ purpose: 'message', err: errorFields(err) }, 'transcription failed');
      this.#transcribing = false;
      this.#hooks.dispatch({ type: 'transcription-failed', purpose: 'message', saturated });
      if (backlog !== undefined) {
        // Its row stays pending: the backlog takes it once the row is closed, and sends the late transcript.
        this.#leftPending = true;
        this.#pendingSummary = null;
        this.#log.info({ transcriptStatus: 'pending' }, 'message left to the transcription backlog');
        backlog.release(callId, 'pending');
        return;
      }
      this.#reportLate(null);
      return;
    }
    // Still `#transcribing` while the transcript is stored and judged: a call that ends meanwhile tells
    // the staff it is pending, and the transcript follows with its urgency (`#reportLate`).
    let stored = true;
    try {
      await this.#deps.callLog.saveTranscript(callId, { transcript: text, summary: null });
    } catch (err) {
      stored = false;
      this.#log.error({ err: errorFields(err) }, 'message transcript could not be stored');
    }
    // Not stored: the row is still pending, and the backlog makes it again (staff may then hear it twice).
    backlog?.release(callId, stored ? 'done' : 'pending');
    const judged = await this.#judgeUrgency(text);
    // From here on in one turn, as the flow and the summary expect: the transcript, its urgency, then the events.
    this.#transcribing = false;
    this.#ev.messageTranscript = text;
    if (judged !== null) this.#reportUrgency(judged.decision);
    this.#beginIntake(text);
    this.#hooks.dispatch({ type: 'transcribed', purpose: 'message' });
    this.#reportLate(text);
  }

  /**
   * The staff summary as the call ends: when the transcript is still coming, it says so
   * (`transcriptStatus: 'pending'`) and the transcript follows through `onLateTranscript` (from this
   * call, or from the backlog when the message was left to it).
   */
  summaryAtEnd(summary: StaffCallSummary): StaffCallSummary {
    if (this.#leftPending) {
      // The row is closed now: the backlog may take it (this wakes it).
      this.#deps.messageBacklog?.release(this.#ev.call.callId, 'pending');
      return { ...summary, transcriptStatus: 'pending' };
    }
    if (!this.#transcribing) return summary;
    this.#pendingSummary = summary;
    this.#log.info({ transcriptStatus: 'pending' }, 'call ended before its message was transcribed: the transcript will follow');
    return { ...summary, transcriptStatus: 'pending' };
  }

  /** Judges the message (the assessor stores the decision); null when it was not judged (no assessor, or it failed). */
  async #judgeUrgency(transcript: string): Promise<{ readonly decision: UrgencyDecision | null } | null> {
    const business = this.#ev.call.business;
    if (this.#deps.assessUrgency === undefined || business === null) return null;
    try {
      return { decision: await this.#deps.assessUrgency({ callId: this.#ev.call.callId, businessId: business.id, transcript }) };
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'urgency could not be judged');
      return null;
    }
  }

  /** Keeps the judgement; the flow hears of it only when there is an instruction to play. */
  #reportUrgency(urgency: UrgencyDecision | null): void {
    const business = this.#ev.call.business;
    this.#ev.urgency = urgency;
    if (business === null) return;
    if (urgency?.urgent === true) this.#log.info({ rule: urgency.rule }, 'call judged urgent');
    if (this.#hooks.wantsUrgency() && !this.#hooks.callOver()) {
      this.#hooks.dispatch({ type: 'urgency-assessed', urgent: emergencyInstructionFor(business, urgency) !== null });
    }
  }

  /**
   * Starts the assisted intake of the message; the call never waits for it (src/app/assist/call-intake.ts).
   * Not after the call: its fields go into the call's summary and first text, both gone by then.
   */
  #beginIntake(transcript: string): void {
    const business = this.#ev.call.business;
    if (this.#deps.assist === undefined || business === null || this.#hooks.callOver()) return;
    try {
      this.#deps.assist.beginIntake({ callId: this.#ev.call.callId, businessId: business.id, transcript });
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'assisted intake could not be started');
    }
  }

  /** The transcript (or its failure) for the staff, when the call's summary went out without it. */
  #reportLate(transcript: string | null): void {
    const summary = this.#pendingSummary;
    if (summary === null) return;
    this.#pendingSummary = null;
    const u = this.#ev.urgency;
    const late: StaffCallSummary = {
      ...summary,
      transcript,
      urgency: u === null ? summary.urgency : { urgent: u.urgent, rule: u.rule, matched: u.matched },
      ...(transcript === null ? { transcriptStatus: 'failed' as const } : {}),
    };
    this.#log.info({ transcribed: transcript !== null }, 'message transcript after the call: staff told');
    handOff(this.#deps.onLateTranscript, late, this.#log, 'late-transcript hook failed');
  }
}

/** Hands a summary to a staff hook without waiting for it; a throw or a rejection is only logged. */
export function handOff(hook: ((s: StaffCallSummary) => void | Promise<unknown>) | undefined, summary: StaffCallSummary, log: Logger, failure: string): void {
  if (hook === undefined) return;
  const failed = (err: unknown) => log.error({ err: errorFields(err) }, failure);
  try {
    const r = hook(summary);
    if (r instanceof Promise) r.catch(failed);
  } catch (err) {
    failed(err);
  }
}
