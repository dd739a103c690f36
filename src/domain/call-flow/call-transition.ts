import type { ConsentDecision } from '../ports/consent-classifier.ts';
import type { RecordingEnd } from '../ports/call-engine.ts';
import type { CallCommand, CallConsentEvent } from './call-commands.ts';
import type { CallEvent, EngineOp } from './call-events.ts';
import { callOutcome } from './call-outcome.ts';
import { ANSWER_PIPELINE, type CallFlowState, type RecordingPurpose, type TimerName } from './call-state.ts';
import { CALL_LINE_BOUND_MS, HANGUP_CONFIRM_MS, PROMPT_SAFETY_MS, RECORDING_MARGIN_MS, SETTLE_MS, URGENCY_WAIT_MS } from './call-timeouts.ts';
import type { PromptKey } from './prompts.ts';

/**
 * The call flow (issue 3) as a pure function: `transition(state, event) → { next, commands }`.
 *
 * Rules worth knowing before reading the code:
 * - A hangup is valid in every phase. It stops what is playing or recording, keeps a message that was
 *   being recorded, and the call is closed once the background work (message transcription, ledger,
 *   outbox) has settled. A second hangup is a no-op.
 * - A hangup during the consent question or while the answer is being recorded means no consent and
 *   no ledger event: nothing was answered, and an `unclear` event would override an earlier grant.
 *   A hangup after the answer recording ended normally does not stop the decision: the caller answered.
 *   Only the final attempt is a decision; an unclear first answer with the caller gone writes nothing.
 * - The ledger event is always saved before `queueSms`, which is only issued after `consent-saved` for
 *   `granted` or `implied`, and after the message transcription settled (the text may quote it).
 * - Implied mode texts even when the caller hung up early: the consent comes from placing the call
 *   (seed 003), not from listening to the end.
 * - Urgency (issue 8), when the business has an emergency instruction: the goodbye is preceded by the
 *   instruction if the message was judged urgent. If the message is still being transcribed when the
 *   goodbye is due, the flow waits for it at most `URGENCY_WAIT_MS`; a judgement that arrives after the
 *   goodbye started plays nothing (the text and the staff alert are the orchestrator's and still apply).
 * - An event that is not valid in the current state changes nothing and is returned as `ignored`.
 */
export interface TransitionResult {
  readonly next: CallFlowState;
  readonly commands: readonly CallCommand[];
  /** Present when the event was not valid here: `next` is the same state and there are no commands. */
  readonly ignored?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface Draft {
  s: Mutable<CallFlowState>;
  readonly cmds: CallCommand[];
}

export function transition(state: CallFlowState, event: CallEvent): TransitionResult {
  if (state.phase === 'ended') {
    return event.type === 'hangup' ? { next: state, commands: [] } : ignore(state, event);
  }
  const d: Draft = { s: { ...state }, cmds: [] };
  if (!handle(d, event)) return ignore(state, event);
  return { next: d.s, commands: d.cmds };
}

function ignore(state: CallFlowState, event: CallEvent): TransitionResult {
  return { next: state, commands: [], ignored: `${event.type} is not valid in ${state.phase}` };
}

/** Returns false when the event is not valid in the current state. */
function handle(d: Draft, e: CallEvent): boolean {
  const s = d.s;
  switch (e.type) {
    case 'hangup':
      if (s.line === 'down') return true;
      // With our own hangup under way, the hangup that follows is its confirmation.
      lineDown(d, !s.timers.includes('hangup'));
      return true;
    case 'timeout':
      if (!s.timers.includes(e.timer)) return false;
      s.timers = s.timers.filter((t) => t !== e.timer);
      return onTimeout(d, e.timer);
    case 'abort':
      if (leaving(s)) return false;
      fail(d, 'interrupted');
      return true;
    case 'operation-failed':
      return onOperationFailed(d, e.op);
    case 'recording-collected':
      if (e.purpose === 'message') return onMessageCollected(d, e.ok);
      if (s.phase !== 'collecting-answer') return false;
      if (!e.ok) {
        decide(d, 'unclear');
        return true;
      }
      s.phase = 'transcribing-answer';
      d.cmds.push({ type: 'transcribe', purpose: 'answer' });
      startTimer(d, 'transcribe-answer', s.settings.transcribeAnswerTimeoutMs);
      return true;
    case 'transcribed':
    case 'transcription-failed':
      if (e.purpose === 'message') return onMessageTranscribed(d);
      if (s.phase !== 'transcribing-answer') return false;
      cancelTimer(d, 'transcribe-answer');
      if (e.type === 'transcription-failed') {
        // A failed transcription is never a yes.
        decide(d, 'unclear');
      } else {
        s.phase = 'classifying';
        d.cmds.push({ type: 'classify' });
      }
      return true;
    case 'classified':
      if (s.phase !== 'classifying') return false;
      decide(d, e.decision);
      return true;
    case 'urgency-assessed':
      if (s.urgency !== 'unknown') return false;
      s.urgency = e.urgent ? 'urgent' : 'calm';
      if (s.phase === 'awaiting-urgency') goodbye(d);
      return true;
    case 'consent-saved':
    case 'consent-save-failed':
      return onLedger(d, e.type === 'consent-saved');
    case 'sms-queued':
    case 'sms-failed':
      if (s.sms !== 'queuing') return false;
      s.sms = e.type === 'sms-queued' ? 'queued' : 'failed';
      if (s.sms === 'failed') s.storeFailed = true;
      maybeFinish(d);
      return true;
    case 'start':
      if (s.phase !== 'ringing') return false;
      s.phase = 'answering';
      startTimer(d, 'call', CALL_LINE_BOUND_MS + s.settings.transcribeMessageTimeoutMs);
      d.cmds.push({ type: 'answer' });
      return true;
    case 'answered':
      if (s.phase !== 'answering') return false;
      s.phase = 'greeting';
      play(d, 'greeting');
      return true;
    case 'playback-finished':
      if (s.playing !== e.prompt) return false;
      onPromptEnded(d, e.prompt, e.outcome);
      return true;
    case 'recording-finished':
      if (s.recording !== e.purpose) return false;
      onRecordingEnded(d, e.purpose, e.end);
      return true;
    case 'dtmf':
      // The engine ends a message recording on `#` itself (terminateOnHash); digits mean nothing else.
      return s.recording !== null;
  }
}

function onTimeout(d: Draft, timer: TimerName): boolean {
  const s = d.s;
  switch (timer) {
    case 'call':
      // Watchdog: end everything now, whatever is still pending.
      s.failed = true;
      stopActive(d);
      if (s.line === 'up') d.cmds.push({ type: 'hangup' });
      s.line = 'down';
      closeCall(d);
      return true;
    case 'hangup':
      lineDown(d, false);
      return true;
    case 'settle':
      fail(d, 'failed');
      return true;
    case 'prompt':
      if (s.playing === null) return false;
      onPromptEnded(d, s.playing, 'timeout');
      return true;
    case 'recording':
      if (s.recording === null) return false;
      d.cmds.push({ type: 'stopRecording' });
      onRecordingEnded(d, s.recording, 'max-duration');
      return true;
    case 'transcribe-message':
      return onMessageTranscribed(d);
    case 'transcribe-answer':
      if (s.phase !== 'transcribing-answer') return false;
      decide(d, 'unclear');
      return true;
    case 'urgency':
      // Waited long enough: the goodbye plays without the instruction.
      if (s.phase !== 'awaiting-urgency') return false;
      goodbye(d);
      return true;
  }
}

function onPromptEnded(d: Draft, prompt: PromptKey, outcome: 'done' | 'stopped' | 'failed' | 'timeout'): void {
  const s = d.s;
  if (outcome === 'timeout') d.cmds.push({ type: 'stopPlayback' });
  s.playing = null;
  cancelTimer(d, 'prompt');
  switch (prompt) {
    case 'greeting':
      // Even a failed greeting is followed by the beep: taking the message matters more than the words.
      s.phase = 'recording-message';
      record(d, 'message');
      return;
    case 'consent':
    case 'reprompt':
      if (outcome === 'done' || outcome === 'stopped') {
        s.phase = 'recording-answer';
        record(d, 'answer');
      } else if (outcome === 'failed') {
        // Usually a hangup arriving right behind; wait for it before calling the prompt broken.
        s.phase = 'prompt-failed';
        startTimer(d, 'settle', SETTLE_MS);
      } else {
        // The question was not heard to its end: no answer can be taken.
        fail(d, 'failed');
      }
      return;
    case 'emergency':
      // Whatever became of the instruction, the goodbye follows (a hangup stops it like any prompt).
      s.phase = 'goodbye';
      play(d, goodbyePrompt(s));
      return;
    case 'goodbye-granted':
    case 'goodbye-declined':
    case 'goodbye-implied':
    case 'goodbye-message':
      hangUp(d);
      return;
  }
}

function onRecordingEnded(d: Draft, purpose: RecordingPurpose, end: RecordingEnd): void {
  const s = d.s;
  s.recording = null;
  cancelTimer(d, 'recording');
  if (end === 'hangup') {
    if (purpose === 'message') collectMessage(d);
    lineDown(d, true);
    return;
  }
  if (purpose === 'answer') {
    if (end === 'failed') {
      decide(d, 'unclear');
    } else {
      s.phase = 'collecting-answer';
      d.cmds.push({ type: 'collectRecording', purpose: 'answer' });
    }
    return;
  }
  if (end === 'failed') s.message = 'settled';
  else collectMessage(d);
  switch (s.route) {
    case 'verbal':
      s.attempts = 1;
      s.phase = 'asking';
      play(d, 'consent');
      return;
    case 'implied':
      saveConsent(d, 'implied');
      goodbye(d);
      return;
    case 'withheld':
    case 'unknown-did':
    case 'not-textable':
      goodbye(d);
      return;
  }
}

/** A verbal decision from the classifier (or `unclear` when there is nothing to classify). */
function decide(d: Draft, decision: ConsentDecision): void {
  const s = d.s;
  if (decision === 'unclear' && s.attempts < 2) {
    if (!leaving(s)) {
      s.attempts = 2;
      s.phase = 'asking';
      play(d, 'reprompt');
    } else {
      // Gone before the reprompt: an unclear first answer is not a decision, so nothing is stored.
      afterPipeline(d);
    }
    return;
  }
  s.phase = 'storing-decision';
  saveConsent(d, decision);
}

function onLedger(d: Draft, ok: boolean): boolean {
  const s = d.s;
  if (s.ledger !== 'saving') return false;
  s.ledger = ok ? 'saved' : 'failed';
  if (!ok) s.storeFailed = true;
  // Queue before anything can close the call.
  maybeQueue(d);
  if (s.phase === 'storing-decision') {
    if (leaving(s)) {
      afterPipeline(d);
    } else {
      goodbye(d);
    }
  }
  maybeFinish(d);
  return true;
}

function onMessageCollected(d: Draft, ok: boolean): boolean {
  const s = d.s;
  if (s.message !== 'collecting') return false;
  if (ok) {
    s.messageTaken = true;
    s.message = 'transcribing';
    d.cmds.push({ type: 'transcribe', purpose: 'message' });
    startTimer(d, 'transcribe-message', s.settings.transcribeMessageTimeoutMs);
  } else {
    s.message = 'settled';
  }
  maybeQueue(d);
  endUrgencyWait(d);
  maybeFinish(d);
  return true;
}

/** Transcribed, failed, or timed out: the call goes on either way (the audio is kept). */
function onMessageTranscribed(d: Draft): boolean {
  const s = d.s;
  if (s.message !== 'transcribing') return false;
  cancelTimer(d, 'transcribe-message');
  s.message = 'settled';
  maybeQueue(d);
  endUrgencyWait(d);
  maybeFinish(d);
  return true;
}

function onOperationFailed(d: Draft, op: EngineOp): boolean {
  const s = d.s;
  if (op === 'hangup' && s.line === 'up' && s.timers.includes('hangup')) {
    // We could not hang up; there is nothing more we can do with this channel.
    lineDown(d, false);
    return true;
  }
  if (leaving(s)) return false;
  fail(d, 'failed');
  return true;
}

// ---- building blocks -------------------------------------------------------------------------

/** The line is down or our hangup is under way: no more prompts. */
function leaving(s: CallFlowState): boolean {
  return s.line === 'down' || s.timers.includes('hangup');
}

function messageBusy(s: CallFlowState): boolean {
  return s.message === 'recording' || s.message === 'collecting' || s.message === 'transcribing';
}

function startTimer(d: Draft, timer: TimerName, ms: number): void {
  d.cmds.push({ type: 'startTimer', timer, ms });
  if (!d.s.timers.includes(timer)) d.s.timers = [...d.s.timers, timer];
}

function cancelTimer(d: Draft, timer: TimerName): void {
  if (!d.s.timers.includes(timer)) return;
  d.cmds.push({ type: 'cancelTimer', timer });
  d.s.timers = d.s.timers.filter((t) => t !== timer);
}

function play(d: Draft, prompt: PromptKey): void {
  d.s.playing = prompt;
  d.cmds.push({ type: 'play', prompt });
  startTimer(d, 'prompt', PROMPT_SAFETY_MS);
}

function record(d: Draft, purpose: RecordingPurpose): void {
  const st = d.s.settings;
  const message = purpose === 'message';
  const maxDurationMs = message ? st.messageMaxMs : st.answerMaxMs;
  d.s.recording = purpose;
  if (message) d.s.message = 'recording';
  d.cmds.push({
    type: 'record',
    purpose,
    attempt: message ? 1 : d.s.attempts,
    maxDurationMs,
    maxSilenceMs: message ? st.messageSilenceMs : st.answerSilenceMs,
    // The beep cues the message; after "Sound good?" the caller simply answers, and `#` is no answer.
    beep: message,
    terminateOnHash: message,
  });
  startTimer(d, 'recording', maxDurationMs + RECORDING_MARGIN_MS);
}

/** The prompt that ends the call, from what was decided. */
function goodbyePrompt(s: CallFlowState): PromptKey {
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
function goodbye(d: Draft): void {
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
function endUrgencyWait(d: Draft): void {
  if (d.s.phase === 'awaiting-urgency' && !messageBusy(d.s)) goodbye(d);
}

function collectMessage(d: Draft): void {
  d.s.message = 'collecting';
  d.cmds.push({ type: 'collectRecording', purpose: 'message' });
}

/** Cleanup: stop what is playing or recording. A message being recorded is kept and collected. */
function stopActive(d: Draft): void {
  const s = d.s;
  if (s.playing !== null) {
    d.cmds.push({ type: 'stopPlayback' });
    s.playing = null;
    cancelTimer(d, 'prompt');
  }
  cancelTimer(d, 'urgency');
  if (s.recording !== null) {
    const purpose = s.recording;
    d.cmds.push({ type: 'stopRecording' });
    s.recording = null;
    cancelTimer(d, 'recording');
    if (purpose === 'message') collectMessage(d);
  }
}

function saveConsent(d: Draft, event: CallConsentEvent): void {
  d.s.decision = event;
  d.s.ledger = 'saving';
  d.cmds.push({ type: 'saveConsent', event });
}

function hangUp(d: Draft): void {
  d.s.phase = 'hanging-up';
  d.cmds.push({ type: 'hangup' });
  startTimer(d, 'hangup', HANGUP_CONFIRM_MS);
}

function fail(d: Draft, why: 'failed' | 'interrupted'): void {
  const s = d.s;
  if (why === 'failed') s.failed = true;
  else s.interrupted = true;
  stopActive(d);
  cancelTimer(d, 'settle');
  if (ANSWER_PIPELINE.includes(s.phase)) {
    // The answer is complete: let the decision finish while the line goes down.
    d.cmds.push({ type: 'hangup' });
    startTimer(d, 'hangup', HANGUP_CONFIRM_MS);
  } else {
    hangUp(d);
  }
}

function lineDown(d: Draft, byCaller: boolean): void {
  const s = d.s;
  s.line = 'down';
  if (byCaller) s.callerHungUp = true;
  stopActive(d);
  cancelTimer(d, 'settle');
  cancelTimer(d, 'hangup');
  // Implied consent comes from placing the call; a hangup does not take it back.
  if (s.route === 'implied' && s.ledger === 'none') saveConsent(d, 'implied');
  if (!ANSWER_PIPELINE.includes(s.phase)) s.phase = 'winding-down';
  maybeQueue(d);
  maybeFinish(d);
}

/** The answer pipeline ended without a goodbye: the line is down or going down. */
function afterPipeline(d: Draft): void {
  d.s.phase = d.s.line === 'down' ? 'winding-down' : 'hanging-up';
  maybeFinish(d);
}

function maybeQueue(d: Draft): void {
  const s = d.s;
  const allowed = s.decision === 'granted' || s.decision === 'implied';
  if (allowed && s.ledger === 'saved' && s.sms === 'none' && !messageBusy(s)) {
    s.sms = 'queuing';
    d.cmds.push({ type: 'queueSms' });
  }
}

function maybeFinish(d: Draft): void {
  const s = d.s;
  if (s.phase !== 'winding-down' || messageBusy(s) || s.ledger === 'saving' || s.sms === 'queuing') return;
  closeCall(d);
}

function closeCall(d: Draft): void {
  for (const t of [...d.s.timers]) cancelTimer(d, t);
  d.s.phase = 'ended';
  const outcome = callOutcome(d.s);
  d.s.outcome = outcome;
  d.cmds.push({ type: 'closeCall', outcome });
}
