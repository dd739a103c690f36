import type { CallCommand, CallConsentEvent } from '../../domain/call-flow/call-commands.ts';
import type { CallEvent, EngineOp } from '../../domain/call-flow/call-events.ts';
import type { AnswerUnheard, CallFlowState, RecordingPurpose } from '../../domain/call-flow/call-state.ts';
import { transition } from '../../domain/call-flow/call-transition.ts';
import { defaultFirstText } from '../../domain/call-flow/first-text.ts';
import { CONSENT_PROMPTS, type PromptKey } from '../../domain/call-flow/prompts.ts';
import { errorFields, isAppError } from '../../domain/errors.ts';
import type { ConsentEvent } from '../../domain/consent.ts';
import type { CallLeg, LegEvent, PromptRef } from '../../domain/ports/call-engine.ts';
import type { CallOutcome } from '../../domain/ports/call-log.ts';
import type { ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { withUrgentNote } from '../../domain/urgency/urgency-messages.ts';
import { CallEvidence, type CallIdentity } from './call-evidence.ts';
import { CallerMessage, handOff } from './caller-message.ts';
import { CallTimers, LegEventRouter } from './call-event-sources.ts';
import type { CallResult, CallRunnerDeps } from './call-types.ts';
import { CallPrompts } from '../prompts/prompt-source.ts';

interface Queued {
  readonly event: CallEvent;
  /** For timeouts: false when the timer was restarted after this one fired. */
  readonly stillValid?: () => boolean;
}

/**
 * Runs one call: feeds events into the pure `transition` one at a time and carries out the commands it
 * returns through the ports, one method per command. Engine operations and the writes of the ledger,
 * the outbox and the call row are awaited in order (quick REST/ESL requests, one statement each); slow
 * work (fetching and storing audio, transcription, the assist) runs in the background and reports back
 * as an event, so a hangup is never stuck behind a transcription. Results go back into the flow only as
 * events, never by changing the flow state directly. The session owns the call's evidence (`CallEvidence`).
 */
export class CallSession {
  readonly #deps: CallRunnerDeps;
  readonly #leg: CallLeg;
  readonly #log: Logger;
  readonly #timers: CallTimers;
  readonly #router: LegEventRouter;
  readonly #prompts: CallPrompts;
  readonly #ev: CallEvidence;
  readonly #message: CallerMessage;
  #state: CallFlowState;
  readonly #queue: Queued[] = [];
  #draining = false;
  /** True once the call's result has been handed back: late background work writes nothing more. */
  #finished = false;
  /** Events that were not valid in the state they arrived in. */
  #ignored = 0;
  #unsubscribe: (() => void) | null = null;
  /** The message's transcription and what follows it (stored, judged, the staff told): it may outlive the call. */
  #messageWork: Promise<void> = Promise.resolve();
  readonly #done: Promise<CallResult>;
  #resolve!: (r: CallResult) => void;

  constructor(deps: CallRunnerDeps, leg: CallLeg, call: CallIdentity, initial: CallFlowState, log: Logger) {
    this.#deps = deps;
    this.#leg = leg;
    this.#state = initial;
    this.#log = log;
    this.#ev = new CallEvidence(call);
    this.#prompts = new CallPrompts(deps.prompts, call.business);
    this.#timers = new CallTimers(deps.clock, (timer, generation) =>
      this.#enqueue({ event: { type: 'timeout', timer }, stillValid: () => this.#timers.isCurrent(timer, generation) }),
    );
    this.#router = new LegEventRouter((event, source) => this.#onLegEvent(event, source), log);
    this.#message = new CallerMessage(deps, this.#ev, log, {
      dispatch: (event) => this.dispatch(event),
      callOver: () => this.#finished,
      wantsUrgency: () => this.#state.urgency !== 'off',
    });
    this.#done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Subscribes to the leg, starts the flow, and resolves when the call row is closed. */
  run(): Promise<CallResult> {
    this.#unsubscribe = this.#leg.onEvent((e) => this.#router.handle(e));
    this.#prompts.prefetch(this.#state);
    this.dispatch({ type: 'start' });
    return this.#done;
  }

  /** Feeds an event into the flow (the runner uses it for `abort`). */
  dispatch(event: CallEvent): void {
    this.#enqueue({ event });
  }

  /** Resolves when the work that may outlive the call is done: the message's late transcript, stored and handed on. */
  lingering(): Promise<void> {
    return this.#messageWork;
  }

  get phase(): CallFlowState['phase'] {
    return this.#state.phase;
  }

  get #call(): CallIdentity {
    return this.#ev.call;
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

  #onLegEvent(event: CallEvent, source: LegEvent): void {
    if (source.type === 'recording-finished' && event.type === 'recording-finished') {
      if (event.purpose === 'message') this.#ev.messageDurationMs = source.durationMs;
      const answer = this.#ev.answers.find((a) => a.recordingId === source.recordingId);
      if (answer !== undefined) answer.endedAt = this.#deps.clock.now();
    }
    this.dispatch(event);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#queue.length = 0;
    this.#timers.cancelAll();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#resolve(this.#ev.result(this.#state, this.#ignored));
    this.#notifyCallEnded();
  }

  /** Carries out one command of the flow (engine operations awaited, slow work started). */
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
        return this.#record(c);
      case 'stopRecording': {
        const id = this.#router.takeCurrentRecording();
        if (id !== null) await this.#bestEffort('stopRecording', () => this.#leg.stopRecording(id));
        return;
      }
      case 'collectRecording': {
        // A recording we stopped ourselves (safety timer) has no end event: its end is now.
        const answer = c.purpose === 'answer' ? this.#ev.answers.at(-1) : undefined;
        if (answer !== undefined && answer.endedAt === null) answer.endedAt = this.#deps.clock.now();
        void this.#collectRecording(c.purpose);
        return;
      }
      case 'transcribe':
        if (c.purpose === 'message') this.#messageWork = this.#message.transcribe();
        else void this.#transcribeAnswer();
        return;
      case 'cancelTranscription':
        return this.#cancelTranscription(c.purpose);
      case 'classify':
        return this.#classify();
      case 'saveConsent':
        return this.#saveConsent(c.event, c.unheard);
      case 'queueSms':
        return this.#queueFirstText();
      case 'startTimer':
        return this.#timers.start(c.timer, c.ms);
      case 'cancelTimer':
        return this.#timers.cancel(c.timer);
      case 'hangup':
        return this.#engineOp('hangup', () => this.#leg.hangup());
      case 'closeCall':
        return this.#closeCall(c.outcome);
    }
  }

  /** Runs an engine operation; a gone channel becomes a hangup, any other failure `operation-failed`. */
  async #engineOp(op: EngineOp, fn: () => Promise<void>): Promise<void> {
    try {
      await fn();
    } catch (err) {
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) {
        this.dispatch({ type: 'hangup' });
      } else {
        this.#log.warn({ op, err: errorFields(err) }, 'call engine operation failed');
        this.dispatch({ type: 'operation-failed', op });
      }
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

  /** Plays a prompt, keeping the consent texts and what the caller was told as evidence. */
  async #play(key: PromptKey): Promise<void> {
    const text = this.#prompts.text(key);
    let prompt: PromptRef;
    try {
      prompt = await this.#prompts.get(key);
    } catch (err) {
      this.#log.error({ prompt: key, err: errorFields(err) }, 'prompt could not be prepared');
      this.dispatch({ type: 'operation-failed', op: 'play' });
      return;
    }
    await this.#engineOp('play', async () => {
      const id = await this.#leg.play(prompt);
      this.#router.playbackStarted(id, key);
      if (CONSENT_PROMPTS.includes(key)) this.#ev.consentTexts.push(text);
      if (key === 'emergency' || key.startsWith('goodbye-')) this.#ev.told.push(text);
    });
  }

  #record(c: Extract<CallCommand, { type: 'record' }>): Promise<void> {
    return this.#engineOp('record', async () => {
      const id = await this.#leg.record({
        name: `ck${this.#call.callId}-${c.purpose}${c.attempt}`,
        maxDurationMs: c.maxDurationMs,
        maxSilenceMs: c.maxSilenceMs,
        ...(c.speechStartTimeoutMs > 0 ? { speechStartTimeoutMs: c.speechStartTimeoutMs } : {}),
        beep: c.beep,
        terminateOnHash: c.terminateOnHash,
      });
      this.#router.recordingStarted(id, c.purpose);
      if (c.purpose === 'message') this.#ev.messageRecordingId = id;
      else this.#ev.answers.push({ recordingId: id, wav: null, audio: null, transcript: null, confidence: null, decision: null, endedAt: null });
    });
  }

  /** Fetches a finished recording from the engine and stores it (background work, reported as an event). */
  async #collectRecording(purpose: RecordingPurpose): Promise<void> {
    const ev = this.#ev;
    let ok = false;
    try {
      const id = purpose === 'message' ? ev.messageRecordingId : (ev.answers.at(-1)?.recordingId ?? null);
      if (id === null) throw new Error('no recording to collect');
      const wav = await this.#leg.fetchRecording(id);
      const name = `call-${this.#call.callId}-${purpose}${purpose === 'answer' ? ev.answers.length : ''}`;
      const audio = await this.#deps.recordings.save(name, wav);
      const answer = ev.answers.at(-1);
      if (purpose === 'message') await this.#message.recorded(wav, audio);
      else if (answer !== undefined) Object.assign(answer, { wav, audio });
      ok = true;
    } catch (err) {
      this.#log.error({ purpose, err: errorFields(err) }, 'recording could not be collected');
    }
    this.dispatch({ type: 'recording-collected', purpose, ok });
  }

  /** Transcribes the caller's answer (background work, reported as an event); the message is `CallerMessage`'s. */
  async #transcribeAnswer(): Promise<void> {
    const answer = this.#ev.answers.at(-1);
    const cancel = new AbortController();
    this.#ev.answerCancel = cancel;
    try {
      if (answer?.wav == null) throw new Error('no audio to transcribe');
      const t = await this.#deps.transcriber.transcribe(answer.wav, { purpose: 'consent-answer', signal: cancel.signal });
      answer.transcript = t.text;
      answer.confidence = t.confidence.score;
      this.dispatch({ type: 'transcribed', purpose: 'answer' });
    } catch (err) {
      // The flow stopped waiting (cancelTranscription has counted it): nothing left to report.
      if (cancel.signal.aborted) return;
      // The audio is kept either way; an answer that cannot be transcribed counts as unclear.
      const saturated = isAppError(err, 'SPEECH.SATURATED');
      this.#deps.metrics.transcriptionFailed('consent-answer', saturated ? 'saturated' : 'error');
      // A saturated recognizer is warned about once for all calls (recognizer-load-watch.ts).
      if (saturated) this.#log.info({ purpose: 'answer', err: errorFields(err) }, 'not transcribed: the recognizer is saturated');
      else this.#log.warn({ purpose: 'answer', err: errorFields(err) }, 'transcription failed');
      this.dispatch({ type: 'transcription-failed', purpose: 'answer', saturated });
    } finally {
      if (this.#ev.answerCancel === cancel) this.#ev.answerCancel = null;
    }
  }

  /** The flow gave up waiting for a transcription (its bound passed): take it out of the recognizer's line. */
  #cancelTranscription(purpose: RecordingPurpose): void {
    const cancel = this.#ev.answerCancel;
    // Only an answer is abandoned: a message goes on after the call stops waiting (`CallerMessage`).
    if (purpose !== 'answer' || cancel === null) return;
    this.#ev.answerCancel = null;
    this.#deps.metrics.transcriptionFailed('consent-answer', 'timeout');
    this.#log.info({ purpose }, 'not transcribed in time: gave up waiting for the recognizer');
    cancel.abort();
  }

  /**
   * The local classifier decides; only an `unclear` answer is shown to the assist, which may turn it into
   * `declined` (never `granted`) within its bounded deadline. A grant never waits for the assist.
   */
  #classify(): void {
    const answer = this.#ev.answers.at(-1);
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
    const refine = this.#deps.assist?.refineUnclear;
    const transcript = answer?.transcript ?? null;
    if (decision !== 'unclear' || refine === undefined || transcript === null || transcript.trim() === '') {
      this.#settleAnswer(decision);
      return;
    }
    void refine({ callId: this.#call.callId, businessId: this.#call.business?.id ?? null, transcript })
      .catch((err: unknown) => {
        this.#log.error({ err: errorFields(err) }, 'assisted consent check failed; answer stays unclear');
        return 'unclear' as const;
      })
      // Whatever came back, only unclear → declined can pass (the assist cannot grant).
      .then((refined) => this.#settleAnswer(refined === 'declined' ? 'declined' : 'unclear'));
  }

  #settleAnswer(decision: ConsentDecision): void {
    const answer = this.#ev.answers.at(-1);
    if (answer !== undefined) answer.decision = decision;
    this.dispatch({ type: 'classified', decision });
  }

  /**
   * Writes the call's decision to the consent ledger (with the decision latency for verbal answers). The
   * flow hears `consent-saved` only once the append has committed, and only then asks for the first text.
   */
  async #saveConsent(event: CallConsentEvent, unheard?: AnswerUnheard): Promise<void> {
    const ev = this.#ev;
    try {
      const now = this.#deps.clock.now();
      const record = ev.consentEvent(event, now, unheard);
      // A grant (verbal or implied) is judged in the append's transaction: a STOP that reached the ledger
      // after the call began (any node's bind) wins, and no grant is stored after it.
      const stopDuringCall = (latest: ConsentEvent | undefined): boolean => latest?.event === 'revoked' && latest.id > ev.call.ledgerIdAtStart;
      const stored = event === 'granted' || event === 'implied' ? await this.#deps.consentStore.appendUnless(record, stopDuringCall) : await this.#deps.consentStore.append(record);
      if (stored === undefined) {
        this.#log.warn({ event }, 'consent not stored: the caller revoked by text during the call');
        this.dispatch({ type: 'consent-superseded' });
        return;
      }
      ev.consentEventId = stored.id;
      if (event !== 'implied') {
        const endedAt = ev.answers.at(-1)?.endedAt ?? null;
        ev.decisionLatencyMs = endedAt === null ? null : now - endedAt;
        if (ev.decisionLatencyMs !== null) this.#deps.metrics.consentDecided(event, ev.decisionLatencyMs);
      }
      this.#log.info({ event, consentEventId: stored.id, latencyMs: ev.decisionLatencyMs, ...(unheard ? { unheard } : {}) }, 'consent event stored');
      this.dispatch({ type: 'consent-saved' });
    } catch (err) {
      this.#log.error({ event, err: errorFields(err) }, 'consent event could not be stored');
      this.dispatch({ type: 'consent-save-failed' });
    }
  }

  /** Queues the first text under the stored ledger event (the flow asks only once the ledger holds it). */
  async #queueFirstText(): Promise<void> {
    const ev = this.#ev;
    try {
      // The assist's checked phrase only if its intake has already settled: the text never waits for it.
      const assisted = this.#deps.assist?.settledProblem(this.#call.callId) ?? null;
      const render = this.#deps.renderFirstText ?? ((b, t) => defaultFirstText(b, t, assisted));
      const transcript = ev.messageTranscript;
      const urgency = ev.urgency;
      ev.outboundMessageId = await this.#deps.outbox.enqueue(ev.firstText((b) => withUrgentNote(render(b, transcript), urgency)));
      this.#log.info({ outboundId: ev.outboundMessageId }, 'first text queued');
      this.dispatch({ type: 'sms-queued' });
    } catch (err) {
      this.#log.error({ err: errorFields(err) }, 'first text could not be queued');
      this.dispatch({ type: 'sms-failed' });
    }
  }

  /** Closes the call row (the flow's `closeCall` command) and counts the outcome; the result is handed back after it. */
  async #closeCall(outcome: CallOutcome): Promise<void> {
    this.#ev.endedAt = this.#deps.clock.now();
    try {
      await this.#deps.callLog.close(this.#call.callId, { outcome, endedAt: this.#ev.endedAt });
    } catch (err) {
      this.#log.error({ outcome, err: errorFields(err) }, 'call row could not be closed');
    }
    this.#deps.metrics.callEnded(outcome);
    this.#log.info({ outcome, ignoredEvents: this.#ignored }, 'call ended');
  }

  /** Hands the staff summary to `onCallEnded` without waiting for it (the transcript may follow: `CallerMessage`). */
  #notifyCallEnded(): void {
    const summary = this.#message.summaryAtEnd(this.#ev.staffSummary(this.#state, this.#deps.clock.now()));
    handOff(this.#deps.onCallEnded, summary, this.#log, 'call-ended hook failed');
  }
}
