import type { CallCommand } from './call-commands.ts';
import type { CallEvent, EngineOp } from './call-events.ts';
import type { CallFlowState, TimerName } from './call-state.ts';
import { CALL_LINE_BOUND_MS } from './call-timeouts.ts';
import { closeCall, fail, lineDown, maybeFinish, stopActive } from './transition-cleanup.ts';
import { onAnswerCollected, onAnswerTimeout, onAnswerTranscribed, onClassified, onLedger } from './transition-consent.ts';
import { leaving, play, startTimer, type Draft } from './transition-draft.ts';
import { goodbye, onUrgencyAssessed } from './transition-goodbye.ts';
import { onPromptEnded, onRecordingEnded } from './transition-media.ts';
import { onMessageCollected, onMessageTranscribed } from './transition-message.ts';

/**
 * The call flow as a pure function: `transition(state, event) → { next, commands }`.
 *
 * Rules worth knowing before reading the code:
 * - A hangup is valid in every phase. It stops what is playing or recording, keeps a message that was
 *   being recorded, and the call is closed once the background work (message transcription, ledger,
 *   outbox) has settled. A second hangup is a no-op.
 * - A hangup during the consent question means no consent and no ledger event: nothing was answered,
 *   and an `unclear` event would override an earlier grant. A hangup while the answer is being
 *   recorded cuts the answer short: what was said is fetched and judged as strictly as any answer (a
 *   clear yes grants, a clear no declines), and a cut answer that is unclear decides nothing. A hangup
 *   after the answer recording ended normally does not stop the decision: the caller answered. Only
 *   the final attempt is a decision; an unclear first answer with the caller gone writes nothing.
 * - An answer the recognizer had no capacity for (refused, or its transcription bound passed) is not
 *   asked again: it is stored `unclear` with the reason, and the caller is told we could not take it.
 * - The ledger event is always saved before `queueSms`, which is only issued after `consent-saved` for
 *   `granted` or `implied`, and after the message transcription settled (the text may quote it).
 * - Implied mode texts even when the caller hung up early: the consent comes from placing the call
 *   (seed 003), not from listening to the end.
 * - Urgency, when the business has an emergency instruction: the goodbye is preceded by the
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
      return onAnswerCollected(d, e.ok);
    case 'transcribed':
    case 'transcription-failed':
      if (e.purpose === 'message') return onMessageTranscribed(d);
      return onAnswerTranscribed(d, e.type === 'transcribed' ? 'ok' : e.saturated === true ? 'saturated' : 'failed');
    case 'classified':
      return onClassified(d, e.decision);
    case 'urgency-assessed':
      return onUrgencyAssessed(d, e.urgent);
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
      stopActive(d, false);
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
      if (s.message === 'transcribing') d.cmds.push({ type: 'cancelTranscription', purpose: 'message' });
      return onMessageTranscribed(d);
    case 'transcribe-answer':
      return onAnswerTimeout(d);
    case 'urgency':
      // Waited long enough: the goodbye plays without the instruction.
      if (s.phase !== 'awaiting-urgency') return false;
      goodbye(d);
      return true;
  }
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
