import type { RecordingEnd } from '../ports/call-engine.ts';
import type { ConsentDecision } from '../ports/consent-classifier.ts';
import type { CallCommand } from './call-commands.ts';
import type { CallEvent, EngineOp } from './call-events.ts';
import type { AnswerUnheard, CallFlowState, CallPhase, RecordingPurpose } from './call-state.ts';
import { CALL_LINE_BOUND_MS, SETTLE_MS } from './call-timeouts.ts';
import type { PromptKey } from './prompts.ts';
import {
  afterPipeline,
  cancelTimer,
  closeCall,
  collectCutAnswer,
  collectMessage,
  fail,
  goodbye,
  goodbyePrompt,
  hangUp,
  leaving,
  lineDown,
  maybeFinish,
  maybeQueue,
  messageCollected,
  messageTranscribed,
  play,
  record,
  saveConsent,
  startTimer,
  stopActive,
  type Draft,
} from './call-flow-steps.ts';

/**
 * The call flow as a pure function: `transition(state, event) → { next, commands }`. It dispatches on
 * the phase first (`PHASES`: each phase with the events that move it on), then on what is valid in any
 * phase (`inAnyPhase`: the line, the service stopping, the background work). The small steps that edit
 * the state and emit the matching commands are in call-flow-steps.ts.
 *
 * The rules it keeps (hangups, cut answers, the ledger before any text, implied mode, urgency) are in
 * src/domain/call-flow/README.md.
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
  if (event.type === 'timeout') {
    // A timer that was cancelled (or never started) fires nothing.
    if (!d.s.timers.includes(event.timer)) return ignore(state, event);
    d.s.timers = d.s.timers.filter((t) => t !== event.timer);
  }
  // The phase first; what it leaves to the others (the line, the background work) is valid in any phase.
  const handled = PHASES[state.phase](d, event) ?? inAnyPhase(d, event);
  if (!handled) return ignore(state, event);
  return { next: d.s, commands: d.cmds };
}

function ignore(state: CallFlowState, event: CallEvent): TransitionResult {
  return { next: state, commands: [], ignored: `${event.type} is not valid in ${state.phase}` };
}

/** A phase's own events: true when handled, false when not valid, undefined when not the phase's to decide. */
type PhaseRule = (d: Draft, e: CallEvent) => boolean | undefined;

const nothingOwn: PhaseRule = () => undefined;

/** The phases of the conversation, each with the events that move it on. */
const PHASES: Record<Exclude<CallPhase, 'ended'>, PhaseRule> = {
  ringing: (d, e) => {
    if (e.type !== 'start') return undefined;
    d.s.phase = 'answering';
    startTimer(d, 'call', CALL_LINE_BOUND_MS + d.s.settings.transcribeMessageTimeoutMs);
    d.cmds.push({ type: 'answer' });
    return true;
  },
  answering: (d, e) => {
    if (e.type !== 'answered') return undefined;
    d.s.phase = 'greeting';
    play(d, 'greeting');
    return true;
  },
  greeting: whilePlaying,
  'recording-message': whileRecording,
  asking: whilePlaying,
  'recording-answer': whileRecording,
  'collecting-answer': (d, e) => {
    if (e.type !== 'recording-collected' || e.purpose !== 'answer') return undefined;
    if (!e.ok) {
      decide(d, 'unclear');
      return true;
    }
    d.s.phase = 'transcribing-answer';
    d.cmds.push({ type: 'transcribe', purpose: 'answer' });
    startTimer(d, 'transcribe-answer', d.s.settings.transcribeAnswerTimeoutMs);
    return true;
  },
  'transcribing-answer': (d, e) => {
    if (e.type === 'timeout' && e.timer === 'transcribe-answer') {
      // The recognizer is too busy to hear the answer in time.
      d.cmds.push({ type: 'cancelTranscription', purpose: 'answer' });
      unheard(d, 'recognizer-timeout');
      return true;
    }
    if ((e.type !== 'transcribed' && e.type !== 'transcription-failed') || e.purpose !== 'answer') return undefined;
    cancelTimer(d, 'transcribe-answer');
    if (e.type === 'transcription-failed' && e.saturated === true) {
      unheard(d, 'recognizer-saturated');
    } else if (e.type === 'transcription-failed') {
      // A failed transcription is never a yes.
      decide(d, 'unclear');
    } else {
      d.s.phase = 'classifying';
      d.cmds.push({ type: 'classify' });
    }
    return true;
  },
  classifying: (d, e) => {
    if (e.type !== 'classified') return undefined;
    decide(d, e.decision);
    return true;
  },
  'storing-decision': (d, e) => {
    if (e.type !== 'consent-saved' && e.type !== 'consent-save-failed' && e.type !== 'consent-superseded') return undefined;
    if (!ledgerSettled(d, ledgerResult(e.type))) return false;
    if (leaving(d.s)) afterPipeline(d);
    else goodbye(d);
    maybeFinish(d);
    return true;
  },
  'awaiting-urgency': (d, e) => {
    if (e.type !== 'timeout' || e.timer !== 'urgency') return undefined;
    // Waited long enough: the goodbye plays without the instruction.
    goodbye(d);
    return true;
  },
  emergency: whilePlaying,
  goodbye: whilePlaying,
  'prompt-failed': (d, e) => {
    if (e.type !== 'timeout' || e.timer !== 'settle') return undefined;
    // No hangup came behind the failed question: the prompt is broken.
    fail(d, 'failed');
    return true;
  },
  'hanging-up': nothingOwn,
  'winding-down': nothingOwn,
};

/** A phase that plays a prompt: its end (or its safety timer) moves the call on. */
function whilePlaying(d: Draft, e: CallEvent): boolean | undefined {
  const s = d.s;
  if (e.type === 'playback-finished') {
    if (s.playing !== e.prompt) return false;
    promptEnded(d, e.prompt, e.outcome);
    return true;
  }
  if (e.type === 'timeout' && e.timer === 'prompt') {
    if (s.playing === null) return false;
    promptEnded(d, s.playing, 'timeout');
    return true;
  }
  return undefined;
}

/** A phase that records: its end (or its safety timer) moves the call on. */
function whileRecording(d: Draft, e: CallEvent): boolean | undefined {
  const s = d.s;
  switch (e.type) {
    case 'recording-finished':
      if (s.recording !== e.purpose) return false;
      recordingEnded(d, e.purpose, e.end);
      return true;
    case 'timeout':
      if (e.timer !== 'recording') return undefined;
      if (s.recording === null) return false;
      d.cmds.push({ type: 'stopRecording' });
      recordingEnded(d, s.recording, 'max-duration');
      return true;
    case 'dtmf':
      // The engine ends a message recording on `#` itself (terminateOnHash); digits mean nothing else.
      return s.recording !== null;
    default:
      return undefined;
  }
}

/** What follows a prompt: greeting → message → consent question → answer; the goodbye → hang up. */
function promptEnded(d: Draft, prompt: PromptKey, outcome: 'done' | 'stopped' | 'failed' | 'timeout'): void {
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
    case 'goodbye-unheard':
    case 'goodbye-implied':
    case 'goodbye-message':
      hangUp(d);
      return;
  }
}

/** What follows a recording: the message → the question (or the goodbye); the answer → its collection. */
function recordingEnded(d: Draft, purpose: RecordingPurpose, end: RecordingEnd): void {
  const s = d.s;
  s.recording = null;
  cancelTimer(d, 'recording');
  if (end === 'hangup') {
    // The engine keeps what was recorded up to the hangup (test/fixtures/asterisk/traces/README.md,
    // point 4): a message is kept, an answer is judged like any other.
    if (purpose === 'message') collectMessage(d);
    else collectCutAnswer(d);
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
  // A cut answer (the call ended while the caller spoke) that says nothing clear is no answer at all.
  if (decision === 'unclear' && (s.attempts < 2 || s.answerCut)) {
    if (!leaving(s)) {
      s.attempts = 2;
      s.phase = 'asking';
      play(d, 'reprompt');
    } else {
      // Gone before the reprompt (or cut short): an unclear answer is not a decision, so nothing is stored.
      afterPipeline(d);
    }
    return;
  }
  s.phase = 'storing-decision';
  saveConsent(d, decision);
}

/**
 * The answer could not be heard for lack of recognizer capacity. It is stored as `unclear` (nothing
 * unclear counts as yes) with the reason, on the first attempt too: a reprompt would queue behind the
 * same load and fail the same way (src/speech/README.md: 25 calls on one recognizer, every reprompt timed out as
 * well, and callers stayed 186 s on the line to be recorded `unclear` as if they had mumbled). Stored even
 * when the caller has gone: they did answer, so an older grant must not keep speaking for them.
 */
function unheard(d: Draft, why: AnswerUnheard): void {
  d.s.answerUnheard = why;
  d.s.phase = 'storing-decision';
  saveConsent(d, 'unclear', why);
}

/** The ledger answered; the text is queued before anything can close the call. False when nothing was being saved. */
function ledgerResult(type: 'consent-saved' | 'consent-save-failed' | 'consent-superseded'): 'saved' | 'failed' | 'superseded' {
  return type === 'consent-saved' ? 'saved' : type === 'consent-save-failed' ? 'failed' : 'superseded';
}

/** The ledger write ended: `superseded` stores nothing and queues nothing, and is no failure of ours. */
function ledgerSettled(d: Draft, result: 'saved' | 'failed' | 'superseded'): boolean {
  const s = d.s;
  if (s.ledger !== 'saving') return false;
  s.ledger = result;
  if (result === 'failed') s.storeFailed = true;
  maybeQueue(d);
  return true;
}

/** The line, the service, and the background work (message, urgency, ledger, outbox): valid in any phase. */
function inAnyPhase(d: Draft, e: CallEvent): boolean {
  const s = d.s;
  switch (e.type) {
    case 'hangup':
      if (s.line === 'down') return true;
      // With our own hangup under way, the hangup that follows is its confirmation.
      lineDown(d, !s.timers.includes('hangup'));
      return true;
    case 'abort':
      if (leaving(s)) return false;
      fail(d, 'interrupted');
      return true;
    case 'operation-failed':
      return operationFailed(d, e.op);
    case 'timeout':
      switch (e.timer) {
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
        case 'transcribe-message':
          // The call stops waiting, the transcription does not: it lands after the call and reaches the
          // staff then (src/app/call/caller-message.ts).
          return messageTranscribed(d);
        default:
          return false;
      }
    case 'recording-collected':
      return e.purpose === 'message' && messageCollected(d, e.ok);
    case 'transcribed':
    case 'transcription-failed':
      return e.purpose === 'message' && messageTranscribed(d);
    case 'urgency-assessed':
      if (s.urgency !== 'unknown') return false;
      s.urgency = e.urgent ? 'urgent' : 'calm';
      if (s.phase === 'awaiting-urgency') goodbye(d);
      return true;
    case 'consent-saved':
    case 'consent-save-failed':
    case 'consent-superseded':
      // Implied consent is stored in the background while the call goes on.
      if (!ledgerSettled(d, ledgerResult(e.type))) return false;
      maybeFinish(d);
      return true;
    case 'sms-queued':
    case 'sms-failed':
      if (s.sms !== 'queuing') return false;
      s.sms = e.type === 'sms-queued' ? 'queued' : 'failed';
      if (s.sms === 'failed') s.storeFailed = true;
      maybeFinish(d);
      return true;
    default:
      // start, answered, playback and recording ends, classified, dtmf: only their own phases take them.
      return false;
  }
}

function operationFailed(d: Draft, op: EngineOp): boolean {
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
