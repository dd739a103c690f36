import type { CallCommand, CallConsentEvent } from './call-commands.ts';
import type { AnswerUnheard, CallFlowState, RecordingPurpose, TimerName } from './call-state.ts';
import { PROMPT_SAFETY_MS, RECORDING_MARGIN_MS } from './call-timeouts.ts';
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
