import type { CallCommand, CallConsentEvent } from '../../domain/call-flow/call-commands.ts';
import type { CallEvent, EngineOp } from '../../domain/call-flow/call-events.ts';
import type { CallFlowState, RecordingPurpose } from '../../domain/call-flow/call-state.ts';
import { transition } from '../../domain/call-flow/call-transition.ts';
import { defaultFirstText } from '../../domain/call-flow/first-text.ts';
import { CONSENT_PROMPTS, renderPrompt, type PromptKey } from '../../domain/call-flow/prompts.ts';
import { isAppError } from '../../domain/errors.ts';
import type { CallLeg, LegEvent, PromptRef } from '../../domain/ports/call-engine.ts';
import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { StoredAudio } from '../../domain/ports/recording-store.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';
import { emergencyInstructionFor, withUrgentNote } from '../../domain/urgency/urgency-messages.ts';
import type { CallDeps, CallResult } from './call-deps.ts';
import { consentOutcomeOf, type CallEndSummary } from './call-end-summary.ts';
import { consentEventForCall, firstTextForCall, type CallFacts } from './call-records.ts';
import { CallTimers } from './call-timers.ts';
import { LegEventRouter } from './leg-event-router.ts';

interface Answer {
  recordingId: string;
  wav: Buffer | null;
  audio: StoredAudio | null;
  transcript: string | null;
  confidence: number | null;
  decision: ConsentDecision | null;
  /** When the engine reported the end of this answer (the start of the decision latency). */
  endedAt: number | null;
}

interface Queued {
  readonly event: CallEvent;
  /** For timeouts: false when the timer was restarted after this one fired. */
  readonly stillValid?: () => boolean;
}

/**
 * Runs one call: feeds events into the pure `transition` one at a time and carries out the commands it
 * returns through the ports. Engine operations are awaited in order (they are quick REST/ESL requests);
 * slow work (fetching and storing audio, transcription) runs in the background and reports back as an
 * event, so a hangup is never stuck behind a transcription. This class is the only place that holds the
 * call's evidence (audio, transcripts, the consent texts played).
 */
export class CallSession {
  readonly #deps: CallDeps;
  readonly #leg: CallLeg;
  readonly #facts: CallFacts;
  readonly #log: Logger;
  readonly #timers: CallTimers;
  #state: CallFlowState;
  readonly #queue: Queued[] = [];
  #draining = false;
  #finished = false;
  #unsubscribe: (() => void) | null = null;
  readonly #done: Promise<CallResult>;
  #resolve!: (r: CallResult) => void;

  readonly #router: LegEventRouter;

  // Evidence.
  readonly #prompts = new Map<PromptKey, Promise<PromptRef>>();
  readonly #consentTexts: string[] = [];
  #messageRecordingId: string | null = null;
  #messageWav: Buffer | null = null;
  #messageDurationMs: number | null = null;
  #message: StoredAudio | null = null;
  #messageTranscript: string | null = null;
  readonly #answers: Answer[] = [];
  #consentEventId: number | null = null;
  #outboundMessageId: number | null = null;
  #decisionLatencyMs: number | null = null;
  #urgency: UrgencyDecision | null = null;
  /** The emergency instruction and goodbye as played: what the caller was told. */
  readonly #told: string[] = [];
  #endedAt: number | null = null;
  #ignored = 0;

  constructor(deps: CallDeps, leg: CallLeg, facts: CallFacts, initial: CallFlowState, log: Logger) {
    this.#deps = deps;
    this.#leg = leg;
    this.#facts = facts;
    this.#state = initial;
    this.#log = log;
    this.#timers = new CallTimers(deps.clock, (timer, generation) =>
      this.#enqueue({ event: { type: 'timeout', timer }, stillValid: () => this.#timers.isCurrent(timer, generation) }),
    );
    this.#router = new LegEventRouter((event, source) => this.#onLegEvent(event, source), log);
    this.#done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Subscribes to the leg, starts the flow, and resolves when the call row is closed. */
  run(): Promise<CallResult> {
    this.#unsubscribe = this.#leg.onEvent((e) => this.#router.handle(e));
    this.#prefetchPrompts();
    this.dispatch({ type: 'start' });
    return this.#done;
  }

  /** Feeds an event into the flow (the runner uses it for `abort`). */
  dispatch(event: CallEvent): void {
    this.#enqueue({ event });
  }

  get phase(): CallFlowState['phase'] {
    return this.#state.phase;
  }

  #enqueue(q: Queued): void {
    if (this.#finished) return;
    this.#queue.push(q);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (let q = this.#queue.shift(); q !== undefined && !this.#finished; q = this.#queue.shift()) {
        if (q.stillValid !== undefined && !q.stillValid()) continue;
        const from = this.#state.phase;
        const r = transition(this.#state, q.event);
        if (r.ignored !== undefined) {
          this.#ignored++;
          this.#log.debug({ event: q.event.type, phase: from, reason: r.ignored }, 'call event ignored');
          continue;
        }
        this.#state = r.next;
        if (from !== r.next.phase) this.#log.debug({ event: q.event.type, from, to: r.next.phase }, 'call phase');
        for (const c of r.commands) await this.#execute(c);
        if (this.#state.phase === 'ended') this.#finish();
      }
    } finally {
      this.#draining = false;
    }
  }

  // ---- leg events ------------------------------------------------------------------------------

  #onLegEvent(event: CallEvent, source: LegEvent): void {
    if (source.type === 'recording-finished' && event.type === 'recording-finished') {
      if (event.purpose === 'message') this.#messageDurationMs = source.durationMs;
      const answer = this.#answers.find((a) => a.recordingId === source.recordingId);
      if (answer !== undefined) answer.endedAt = this.#deps.clock.now();
    }
    this.dispatch(event);
  }

  // ---- commands --------------------------------------------------------------------------------

  async #execute(c: CallCommand): Promise<void> {
    switch (c.type) {
      case 'answer':
        return this.#engineOp('answer', async () => {
          await this.#leg.answer();
          this.dispatch({ type: 'answered' });
        });
      case 'play':
        return this.#play(c.prompt);
      case 'stopPlayback': {
        const id = this.#router.takeCurrentPlayback();
        if (id !== null) await this.#bestEffort('stopPlayback', () => this.#leg.stopPlayback(id));
        return;
      }
      case 'record':
        return this.#engineOp('record', async () => {
          const name = `ck${this.#facts.callId}-${c.purpose}${c.attempt}`;
          const id = await this.#leg.record({
            name,
            maxDurationMs: c.maxDurationMs,
            maxSilenceMs: c.maxSilenceMs,
            beep: c.beep,
            terminateOnHash: c.terminateOnHash,
          });
          this.#router.recordingStarted(id, c.purpose);
          if (c.purpose === 'message') this.#messageRecordingId = id;
          else this.#answers.push({ recordingId: id, wav: null, audio: null, transcript: null, confidence: null, decision: null, endedAt: null });
        });
      case 'stopRecording': {
        const id = this.#router.takeCurrentRecording();
        if (id !== null) await this.#bestEffort('stopRecording', () => this.#leg.stopRecording(id));
        return;
      }
      case 'collectRecording': {
        // A recording we stopped ourselves (safety timer) has no end event: its end is now.
        const answer = c.purpose === 'answer' ? this.#answers.at(-1) : undefined;
        if (answer !== undefined && answer.endedAt === null) answer.endedAt = this.#deps.clock.now();
        void this.#collect(c.purpose);
        return;
      }
      case 'transcribe':
        void this.#transcribe(c.purpose);
        return;
      case 'classify':
        return this.#classify();
      case 'saveConsent':
        return this.#saveConsent(c.event);
      case 'queueSms':
        return this.#queueSms();
      case 'startTimer':
        this.#timers.start(c.timer, c.ms);
        return;
      case 'cancelTimer':
        this.#timers.cancel(c.timer);
        return;
      case 'hangup':
        return this.#engineOp('hangup', () => this.#leg.hangup());
      case 'closeCall':
        return this.#close(c.outcome);
    }
  }

  /** Runs an engine operation; a gone channel becomes a hangup, any other failure `operation-failed`. */
  async #engineOp(op: EngineOp, fn: () => Promise<void>): Promise<void> {
    this.#router.opStarted();
    try {
      await fn();
    } catch (err) {
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) {
        this.dispatch({ type: 'hangup' });
      } else {
        this.#log.warn({ op, err: errorFields(err) }, 'call engine operation failed');
        this.dispatch({ type: 'operation-failed', op });
      }
    } finally {
      this.#router.opSettled();
    }
  }

  async #bestEffort(op: string, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      // Cleanup on a channel that is already gone fails (ARI answers 404); that is expected.
      this.#log.debug({ op, err: errorFields(err) }, 'cleanup operation failed');
    }
  }

  async #play(key: PromptKey): Promise<void> {
    const text = renderPrompt(key, this.#facts.business);
    let prompt: PromptRef;
    try {
      prompt = await this.#promptFor(key, text);
    } catch (err) {
      this.#log.error({ prompt: key, err: errorFields(err) }, 'prompt could not be prepared');
      this.dispatch({ type: 'operation-failed', op: 'play' });
      return;
    }
    await this.#engineOp('play', async () => {
      const id = await this.#leg.play(prompt);
      this.#router.playbackStarted(id, key);
      if (CONSENT_PROMPTS.includes(key)) this.#consentTexts.push(text);
      if (key === 'emergency' || key.startsWith('goodbye-')) this.#told.push(text);
    });
  }

  #promptFor(key: PromptKey, text: string): Promise<PromptRef> {
    let p = this.#prompts.get(key);
    if (p === undefined) {
      p = this.#deps.prompts({ key, text, business: this.#facts.business });
      this.#prompts.set(key, p);
    }
    return p;
  }

  /** Prepare the prompts this call will need while the caller listens, so there is no dead air. */
  #prefetchPrompts(): void {
    const keys: PromptKey[] =
      this.#state.route === 'verbal'
        ? ['greeting', 'consent', 'goodbye-granted', 'goodbye-declined', 'reprompt']
        : this.#state.route === 'implied'
          ? ['greeting', 'goodbye-implied']
          : ['greeting', 'goodbye-message'];
    if (this.#state.urgency !== 'off') keys.push('emergency');
    for (const key of keys) {
      this.#promptFor(key, renderPrompt(key, this.#facts.business)).catch(() => {
        // Reported when the prompt is actually played.
      });
    }
  }

  async #collect(purpose: RecordingPurpose): Promise<void> {
    let ok = false;
    try {
      const id = purpose === 'message' ? this.#messageRecordingId : (this.#answers.at(-1)?.recordingId ?? null);
      if (id === null) throw new Error('no recording to collect');
      const wav = await this.#leg.fetchRecording(id);
      const name = `call-${this.#facts.callId}-${purpose}${purpose === 'answer' ? this.#answers.length : ''}`;
      const audio = await this.#deps.recordings.save(name, wav);
      if (purpose === 'message') {
        this.#messageWav = wav;
        this.#message = audio;
        this.#deps.callLog.saveMessage(this.#facts.callId, { recordingPath: audio.path, sha256: audio.sha256, durationMs: this.#messageDurationMs });
      } else {
        const answer = this.#answers.at(-1);
        if (answer !== undefined) {
          answer.wav = wav;
          answer.audio = audio;
        }
      }
      ok = true;
    } catch (err) {
      this.#log.error({ purpose, err: errorFields(err) }, 'recording could not be collected');
    }
    this.dispatch({ type: 'recording-collected', purpose, ok });
  }

  async #transcribe(purpose: RecordingPurpose): Promise<void> {
    const answer = purpose === 'answer' ? this.#answers.at(-1) : undefined;
    const wav = purpose === 'message' ? this.#messageWav : (answer?.wav ?? null);
    try {
      if (wav === null) throw new Error('no audio to transcribe');
      const t = await this.#deps.transcriber.transcribe(wav, { purpose: purpose === 'message' ? 'message' : 'consent-answer' });
      if (purpose === 'message') {
        this.#messageTranscript = t.text;
        if (!this.#finished) this.#deps.callLog.saveTranscript(this.#facts.callId, { transcript: t.text, summary: null });
        this.#judgeUrgency(t.text);
      } else if (answer !== undefined) {
        answer.transcript = t.text;
        answer.confidence = t.confidence.score;
      }
      this.dispatch({ type: 'transcribed', purpose });
    } catch (err) {
      // The audio is kept either way; an answer that cannot be transcribed counts as unclear.
      this.#log.warn({ purpose, err: errorFields(err) }, 'transcription failed');
      this.dispatch({ type: 'transcription-failed', purpose });
    }
  }

  /** Judges the message (stored by the assessor); the flow hears of it only when there is an instruction to play. */
  #judgeUrgency(transcript: string): void {
    const business = this.#facts.business;
    if (this.#deps.assessUrgency === undefined || business === null || this.#finished) return;
    try {
      this.#urgency = this.#deps.assessUrgency({ callId: this.#facts.callId, businessId: business.id, transcript });
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'urgency could not be judged');
      return;
    }
    if (this.#urgency?.urgent === true) this.#log.info({ rule: this.#urgency.rule }, 'call judged urgent');
    if (this.#state.urgency !== 'off') {
      this.dispatch({ type: 'urgency-assessed', urgent: emergencyInstructionFor(business, this.#urgency) !== null });
    }
  }

  #classify(): void {
    const answer = this.#answers.at(-1);
    let decision: ConsentDecision = 'unclear';
    try {
      if (answer?.transcript != null) {
        const c = this.#deps.classifier.classify({ transcript: answer.transcript, confidence: answer.confidence });
        decision = c.decision;
        this.#log.info({ decision, reason: c.reason, transcript: answer.transcript }, 'consent answer classified');
      }
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'consent classifier failed; answer counts as unclear');
    }
    if (answer !== undefined) answer.decision = decision;
    this.dispatch({ type: 'classified', decision });
  }

  #saveConsent(event: CallConsentEvent): void {
    try {
      const answer = this.#answers.at(-1);
      const now = this.#deps.clock.now();
      const stored = this.#deps.consentStore.append(
        consentEventForCall({ event, facts: this.#facts, consentTextsPlayed: this.#consentTexts, answer, at: now }),
      );
      this.#consentEventId = stored.id;
      if (event !== 'implied') {
        const endedAt = answer?.endedAt ?? null;
        this.#decisionLatencyMs = endedAt === null ? null : now - endedAt;
        if (this.#decisionLatencyMs !== null) this.#deps.metrics.consentDecided(event, this.#decisionLatencyMs);
      }
      this.#log.info({ event, consentEventId: stored.id, latencyMs: this.#decisionLatencyMs }, 'consent event stored');
      this.dispatch({ type: 'consent-saved' });
    } catch (err) {
      this.#log.error({ event, err: errorFields(err) }, 'consent event could not be stored');
      this.dispatch({ type: 'consent-save-failed' });
    }
  }

  #queueSms(): void {
    try {
      const render = this.#deps.renderFirstText ?? defaultFirstText;
      const transcript = this.#messageTranscript;
      const urgency = this.#urgency;
      this.#outboundMessageId = this.#deps.outbox.enqueue(
        firstTextForCall({ facts: this.#facts, body: (b) => withUrgentNote(render(b, transcript), urgency), consentEventId: this.#consentEventId }),
      );
      this.#log.info({ outboundId: this.#outboundMessageId }, 'first text queued');
      this.dispatch({ type: 'sms-queued' });
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'first text could not be queued');
      this.dispatch({ type: 'sms-failed' });
    }
  }

  #close(outcome: CallResult['outcome']): void {
    this.#endedAt = this.#deps.clock.now();
    try {
      this.#deps.callLog.close(this.#facts.callId, { outcome, endedAt: this.#endedAt });
    } catch (err) {
      this.#log.error({ outcome, err: errorFields(err) }, 'call row could not be closed');
    }
    this.#deps.metrics.callEnded(outcome);
    this.#log.info({ outcome, ignoredEvents: this.#ignored }, 'call ended');
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#queue.length = 0;
    this.#timers.cancelAll();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    const s = this.#state;
    this.#resolve({
      callId: this.#facts.callId,
      route: s.route,
      outcome: s.outcome ?? 'failed',
      decision: s.ledger === 'saved' ? s.decision : null,
      consentEventId: this.#consentEventId,
      outboundMessageId: this.#outboundMessageId,
      decisionLatencyMs: this.#decisionLatencyMs,
      message: this.#message,
      messageTranscript: this.#messageTranscript,
      ignoredEvents: this.#ignored,
    });
    this.#notifyEnded();
  }

  /** Hands the call's summary to `onCallEnded` without waiting for it; its failures are only logged. */
  #notifyEnded(): void {
    const hook = this.#deps.onCallEnded;
    if (hook === undefined) return;
    const s = this.#state;
    const b = this.#facts.business;
    const u = this.#urgency;
    const summary: CallEndSummary = {
      business: b === null ? null : { id: b.id, name: b.name, timezone: b.timezone },
      callId: this.#facts.callId,
      did: this.#facts.did,
      callerE164: this.#facts.callerE164,
      endedAt: this.#endedAt ?? this.#deps.clock.now(),
      transcript: this.#messageTranscript,
      summary: null,
      consent: consentOutcomeOf(s),
      recordingRef: this.#message?.path ?? null,
      callerWasTold: this.#told.length > 0 ? this.#told.join(' ') : null,
      urgency: u === null ? null : { urgent: u.urgent, rule: u.rule, matched: u.matched },
      outcome: s.outcome ?? 'failed',
    };
    const failed = (err: unknown) => this.#log.error({ err: errorFields(err) }, 'call-ended hook failed');
    try {
      const r = hook(summary);
      if (r instanceof Promise) r.catch(failed);
    } catch (err) {
      failed(err);
    }
  }
}

/** Error details for a structured log field (never the message string). */
export function errorFields(err: unknown): Record<string, unknown> {
  if (isAppError(err)) return { code: err.code, message: err.message };
  if (err instanceof Error) return { name: err.name, message: err.message };
  return { value: String(err) };
}
