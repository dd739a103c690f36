import { callOutcome } from './call-outcome.ts';
import type { CallCommand, CallConsentEvent } from './call-commands.ts';
import { ANSWER_PIPELINE, type AnswerUnheard, type CallFlowState, type RecordingPurpose, type TimerName } from './call-state.ts';
import { HANGUP_CONFIRM_MS, PROMPT_SAFETY_MS, RECORDING_MARGIN_MS, URGENCY_WAIT_MS } from './call-timeouts.ts';
import type { PromptKey } from './prompts.ts';

/**
 * The working copy a single `transition` step edits, and the small steps every phase is built from.
 * Each step changes the state and appends the matching command, so the two never drift apart.
 */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

export interface Draft {
  s: Mutable<CallFlowState>;
  readonly cmds: CallCommand[];
}

/** The line is down or our hangup is under way: no more prompts. */
export function leaving(s: CallFlowState): boolean {
  return s.line === 'down' || s.timers.includes('hangup');
}

export function messageBusy(s: CallFlowState): boolean {
  return s.message === 'recording' || s.message === 'collecting' || s.message === 'transcribing';
}

export function startTimer(d: Draft, timer: TimerName, ms: number): void {
  d.cmds.push({ type: 'startTimer', timer, ms });
  if (!d.s.timers.includes(timer)) d.s.timers = [...d.s.timers, timer];
}

export function cancelTimer(d: Draft, timer: TimerName): void {
  if (!d.s.timers.includes(timer)) return;
  d.cmds.push({ type: 'cancelTimer', timer });
  d.s.timers = d.s.timers.filter((t) => t !== timer);
}

export function play(d: Draft, prompt: PromptKey): void {
  d.s.playing = prompt;
  d.cmds.push({ type: 'play', prompt });
  startTimer(d, 'prompt', PROMPT_SAFETY_MS);
}

export function record(d: Draft, purpose: RecordingPurpose): void {
  const st = d.s.settings;
  const message = purpose === 'message';
  const maxDurationMs = message ? st.messageMaxMs : st.answerMaxMs;
  d.s.recording = purpose;
  if (message) d.s.message = 'recording';
  else d.s.answerCut = false;
  d.cmds.push({
    type: 'record',
    purpose,
    attempt: message ? 1 : d.s.attempts,
    maxDurationMs,
    ...silenceLimits(d.s, purpose),
    // The beep cues the message; after "Sound good?" the caller simply answers, and `#` is no answer.
    beep: message,
    terminateOnHash: message,
  });
  startTimer(d, 'recording', maxDurationMs + RECORDING_MARGIN_MS);
}

/**
 * When silence ends a recording. The message: `messageSilenceMs` from the start (the caller was cued by
 * the beep). The answer: the caller has `answerStartMs` to start speaking, then it ends
 * `answerSilenceMs` after the last word. An engine that cannot wait for speech counts silence from the
 * start, so there the pause allowed before the answer is also the silence that ends it.
 */
function silenceLimits(s: CallFlowState, purpose: RecordingPurpose): { maxSilenceMs: number; speechStartTimeoutMs: number } {
  const st = s.settings;
  if (purpose === 'message') return { maxSilenceMs: st.messageSilenceMs, speechStartTimeoutMs: 0 };
  if (s.waitsForSpeech) return { maxSilenceMs: st.answerSilenceMs, speechStartTimeoutMs: st.answerStartMs };
  return { maxSilenceMs: Math.max(st.answerSilenceMs, st.answerStartMs), speechStartTimeoutMs: 0 };
}

/** The answer in progress was cut short by the call ending: fetch what was said and judge it. */
export function collectCutAnswer(d: Draft): void {
  d.s.phase = 'collecting-answer';
  d.s.answerCut = true;
  d.cmds.push({ type: 'collectRecording', purpose: 'answer' });
}

export function collectMessage(d: Draft): void {
  d.s.message = 'collecting';
  d.cmds.push({ type: 'collectRecording', purpose: 'message' });
}

export function saveConsent(d: Draft, event: CallConsentEvent, unheard?: AnswerUnheard): void {
  d.s.decision = event;
  d.s.ledger = 'saving';
  d.cmds.push(unheard === undefined ? { type: 'saveConsent', event } : { type: 'saveConsent', event, unheard });
}

// Hangup and cleanup, common to every phase: stopping what runs, hanging up, and closing the call once
// the background work (message transcription, ledger, outbox) has settled.

/**
 * Cleanup: stop what is playing or recording. A message being recorded is kept and collected; so is an
 * answer, to be judged (`keepAnswer`), except when the watchdog ends everything at once.
 */
export function stopActive(d: Draft, keepAnswer = true): void {
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
    else if (keepAnswer) collectCutAnswer(d);
  }
}

export function hangUp(d: Draft): void {
  d.s.phase = 'hanging-up';
  d.cmds.push({ type: 'hangup' });
  startTimer(d, 'hangup', HANGUP_CONFIRM_MS);
}

export function fail(d: Draft, why: 'failed' | 'interrupted'): void {
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

export function lineDown(d: Draft, byCaller: boolean): void {
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
export function afterPipeline(d: Draft): void {
  d.s.phase = d.s.line === 'down' ? 'winding-down' : 'hanging-up';
  maybeFinish(d);
}

export function maybeQueue(d: Draft): void {
  const s = d.s;
  const allowed = s.decision === 'granted' || s.decision === 'implied';
  if (allowed && s.ledger === 'saved' && s.sms === 'none' && !messageBusy(s)) {
    s.sms = 'queuing';
    d.cmds.push({ type: 'queueSms' });
  }
}

export function maybeFinish(d: Draft): void {
  const s = d.s;
  if (s.phase !== 'winding-down' || messageBusy(s) || s.ledger === 'saving' || s.sms === 'queuing') return;
  closeCall(d);
}

export function closeCall(d: Draft): void {
  for (const t of [...d.s.timers]) cancelTimer(d, t);
  d.s.phase = 'ended';
  const outcome = callOutcome(d.s);
  d.s.outcome = outcome;
  d.cmds.push({ type: 'closeCall', outcome });
}

// The end of the conversation: the goodbye, preceded by the emergency instruction when urgent.

/** The prompt that ends the call, from what was decided. */
export function goodbyePrompt(s: CallFlowState): PromptKey {
  switch (s.route) {
    case 'verbal':
      // Without a stored grant nothing will be texted, so the caller must not be promised a text.
      if (s.decision === 'granted' && s.ledger === 'saved') return 'goodbye-granted';
      // Not "no problem": the caller may have said yes; they are told we could not take the answer.
      return s.answerUnheard !== null ? 'goodbye-unheard' : 'goodbye-declined';
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

// The caller's message, in the background while the call goes on.

/** The caller's message once recorded: collected, then transcribed in the background while the call goes on. */
export function messageCollected(d: Draft, ok: boolean): boolean {
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
export function messageTranscribed(d: Draft): boolean {
  const s = d.s;
  if (s.message !== 'transcribing') return false;
  cancelTimer(d, 'transcribe-message');
  s.message = 'settled';
  maybeQueue(d);
  endUrgencyWait(d);
  maybeFinish(d);
  return true;
}
