import type { CallEvent } from '../../src/domain/call-flow/call-events.ts';
import type { CallCommand } from '../../src/domain/call-flow/call-commands.ts';
import { initialCallState, type CallFlowState } from '../../src/domain/call-flow/call-state.ts';

/**
 * Representative states for the transition table: every phase at least once, plus variants where a
 * background fact changes what is valid (a message still being transcribed, implied mode, a reprompt).
 */
const base = initialCallState('verbal');
const s = (p: Partial<CallFlowState>): CallFlowState => ({ ...base, ...p });

export const STATES: Record<string, CallFlowState> = {
  ringing: base,
  answering: s({ phase: 'answering', timers: ['call'] }),
  greeting: s({ phase: 'greeting', playing: 'greeting', timers: ['call', 'prompt'] }),
  'recording-message': s({ phase: 'recording-message', recording: 'message', message: 'recording', timers: ['call', 'recording'] }),
  asking: s({ phase: 'asking', attempts: 1, playing: 'consent', message: 'settled', messageTaken: true, timers: ['call', 'prompt'] }),
  'asking/message-transcribing': s({
    phase: 'asking',
    attempts: 1,
    playing: 'consent',
    message: 'transcribing',
    messageTaken: true,
    timers: ['call', 'transcribe-message', 'prompt'],
  }),
  'asking/message-collecting': s({ phase: 'asking', attempts: 1, playing: 'consent', message: 'collecting', timers: ['call', 'prompt'] }),
  'asking/reprompt': s({ phase: 'asking', attempts: 2, playing: 'reprompt', message: 'settled', messageTaken: true, timers: ['call', 'prompt'] }),
  'recording-answer': s({ phase: 'recording-answer', attempts: 1, recording: 'answer', message: 'settled', messageTaken: true, timers: ['call', 'recording'] }),
  'collecting-answer': s({ phase: 'collecting-answer', attempts: 1, message: 'settled', messageTaken: true, timers: ['call'] }),
  'transcribing-answer': s({ phase: 'transcribing-answer', attempts: 1, message: 'settled', messageTaken: true, timers: ['call', 'transcribe-answer'] }),
  classifying: s({ phase: 'classifying', attempts: 1, message: 'settled', messageTaken: true, timers: ['call'] }),
  'classifying/second': s({ phase: 'classifying', attempts: 2, message: 'settled', messageTaken: true, timers: ['call'] }),
  'classifying/line-down': s({ phase: 'classifying', attempts: 1, line: 'down', callerHungUp: true, message: 'settled', messageTaken: true, timers: ['call'] }),
  'classifying/cut': s({
    phase: 'classifying',
    attempts: 2,
    line: 'down',
    callerHungUp: true,
    answerCut: true,
    message: 'settled',
    messageTaken: true,
    timers: ['call'],
  }),
  'storing-decision': s({ phase: 'storing-decision', attempts: 1, decision: 'granted', ledger: 'saving', message: 'settled', messageTaken: true, timers: ['call'] }),
  'storing-decision/line-down': s({
    phase: 'storing-decision',
    attempts: 1,
    line: 'down',
    callerHungUp: true,
    decision: 'granted',
    ledger: 'saving',
    message: 'settled',
    messageTaken: true,
    timers: ['call'],
  }),
  goodbye: s({
    phase: 'goodbye',
    attempts: 1,
    playing: 'goodbye-granted',
    decision: 'granted',
    ledger: 'saved',
    sms: 'queuing',
    message: 'settled',
    messageTaken: true,
    timers: ['call', 'prompt'],
  }),
  'goodbye/implied': s({
    route: 'implied',
    phase: 'goodbye',
    playing: 'goodbye-implied',
    decision: 'implied',
    ledger: 'saving',
    message: 'transcribing',
    messageTaken: true,
    timers: ['call', 'transcribe-message', 'prompt'],
  }),
  'storing-decision/urgent': s({
    phase: 'storing-decision',
    attempts: 1,
    decision: 'declined',
    ledger: 'saving',
    message: 'settled',
    messageTaken: true,
    urgency: 'urgent',
    timers: ['call'],
  }),
  'storing-decision/message-transcribing': s({
    phase: 'storing-decision',
    attempts: 1,
    decision: 'granted',
    ledger: 'saving',
    message: 'transcribing',
    messageTaken: true,
    urgency: 'unknown',
    timers: ['call', 'transcribe-message'],
  }),
  'recording-message/implied-instruction': s({
    route: 'implied',
    phase: 'recording-message',
    recording: 'message',
    message: 'recording',
    urgency: 'unknown',
    timers: ['call', 'recording'],
  }),
  'awaiting-urgency': s({
    phase: 'awaiting-urgency',
    attempts: 1,
    decision: 'granted',
    ledger: 'saved',
    message: 'transcribing',
    messageTaken: true,
    urgency: 'unknown',
    timers: ['call', 'transcribe-message', 'urgency'],
  }),
  'awaiting-urgency/implied-collecting': s({
    route: 'implied',
    phase: 'awaiting-urgency',
    decision: 'implied',
    ledger: 'saving',
    message: 'collecting',
    urgency: 'unknown',
    timers: ['call', 'urgency'],
  }),
  emergency: s({
    phase: 'emergency',
    attempts: 1,
    playing: 'emergency',
    decision: 'granted',
    ledger: 'saved',
    sms: 'queuing',
    message: 'settled',
    messageTaken: true,
    urgency: 'urgent',
    timers: ['call', 'prompt'],
  }),
  'winding-down/urgency-unknown': s({
    route: 'implied',
    phase: 'winding-down',
    line: 'down',
    callerHungUp: true,
    decision: 'implied',
    ledger: 'saved',
    message: 'transcribing',
    messageTaken: true,
    urgency: 'unknown',
    timers: ['call', 'transcribe-message'],
  }),
  'prompt-failed': s({ phase: 'prompt-failed', attempts: 1, message: 'settled', messageTaken: true, timers: ['call', 'settle'] }),
  'hanging-up': s({ phase: 'hanging-up', attempts: 1, decision: 'declined', ledger: 'saved', message: 'settled', messageTaken: true, timers: ['call', 'hangup'] }),
  'winding-down': s({
    phase: 'winding-down',
    line: 'down',
    callerHungUp: true,
    message: 'transcribing',
    messageTaken: true,
    timers: ['call', 'transcribe-message'],
  }),
  ended: s({ phase: 'ended', line: 'down', outcome: 'caller-hung-up', message: 'settled', messageTaken: true, callerHungUp: true }),
};

/** One sample of every event type, with the payload variants that matter. */
export const EVENTS: Record<string, CallEvent> = {
  start: { type: 'start' },
  answered: { type: 'answered' },
  'pf greeting': { type: 'playback-finished', prompt: 'greeting', outcome: 'done' },
  'pf greeting failed': { type: 'playback-finished', prompt: 'greeting', outcome: 'failed' },
  'pf consent': { type: 'playback-finished', prompt: 'consent', outcome: 'done' },
  'pf consent failed': { type: 'playback-finished', prompt: 'consent', outcome: 'failed' },
  'pf reprompt': { type: 'playback-finished', prompt: 'reprompt', outcome: 'done' },
  'pf goodbye-granted': { type: 'playback-finished', prompt: 'goodbye-granted', outcome: 'done' },
  'pf goodbye-implied': { type: 'playback-finished', prompt: 'goodbye-implied', outcome: 'done' },
  'rf message': { type: 'recording-finished', purpose: 'message', end: 'silence' },
  'rf message dtmf': { type: 'recording-finished', purpose: 'message', end: 'dtmf' },
  'rf message failed': { type: 'recording-finished', purpose: 'message', end: 'failed' },
  'rf message hangup': { type: 'recording-finished', purpose: 'message', end: 'hangup' },
  'rf answer': { type: 'recording-finished', purpose: 'answer', end: 'silence' },
  'rf answer failed': { type: 'recording-finished', purpose: 'answer', end: 'failed' },
  'rf answer hangup': { type: 'recording-finished', purpose: 'answer', end: 'hangup' },
  'rc message': { type: 'recording-collected', purpose: 'message', ok: true },
  'rc message !ok': { type: 'recording-collected', purpose: 'message', ok: false },
  'rc answer': { type: 'recording-collected', purpose: 'answer', ok: true },
  'rc answer !ok': { type: 'recording-collected', purpose: 'answer', ok: false },
  'tr message': { type: 'transcribed', purpose: 'message' },
  'tf message': { type: 'transcription-failed', purpose: 'message' },
  'tr answer': { type: 'transcribed', purpose: 'answer' },
  'tf answer': { type: 'transcription-failed', purpose: 'answer' },
  'tf answer saturated': { type: 'transcription-failed', purpose: 'answer', saturated: true },
  'cl granted': { type: 'classified', decision: 'granted' },
  'cl declined': { type: 'classified', decision: 'declined' },
  'cl unclear': { type: 'classified', decision: 'unclear' },
  'urgency urgent': { type: 'urgency-assessed', urgent: true },
  'urgency calm': { type: 'urgency-assessed', urgent: false },
  'pf emergency': { type: 'playback-finished', prompt: 'emergency', outcome: 'done' },
  'pf emergency failed': { type: 'playback-finished', prompt: 'emergency', outcome: 'failed' },
  'consent-saved': { type: 'consent-saved' },
  'consent-save-failed': { type: 'consent-save-failed' },
  'consent-superseded': { type: 'consent-superseded' },
  'sms-queued': { type: 'sms-queued' },
  'sms-failed': { type: 'sms-failed' },
  dtmf: { type: 'dtmf', digit: '#' },
  hangup: { type: 'hangup' },
  'op-failed play': { type: 'operation-failed', op: 'play' },
  'op-failed hangup': { type: 'operation-failed', op: 'hangup' },
  abort: { type: 'abort' },
  'to call': { type: 'timeout', timer: 'call' },
  'to prompt': { type: 'timeout', timer: 'prompt' },
  'to recording': { type: 'timeout', timer: 'recording' },
  'to settle': { type: 'timeout', timer: 'settle' },
  'to hangup': { type: 'timeout', timer: 'hangup' },
  'to transcribe-message': { type: 'timeout', timer: 'transcribe-message' },
  'to transcribe-answer': { type: 'timeout', timer: 'transcribe-answer' },
  'to urgency': { type: 'timeout', timer: 'urgency' },
};

/** A command as a short word for the table: `play:greeting`, `startTimer:prompt`, `closeCall:failed`. */
export function brief(c: CallCommand): string {
  switch (c.type) {
    case 'play':
      return `play:${c.prompt}`;
    case 'record':
      return `record:${c.purpose}${c.attempt}`;
    case 'collectRecording':
    case 'transcribe':
    case 'cancelTranscription':
      return `${c.type}:${c.purpose}`;
    case 'saveConsent':
      return `saveConsent:${c.event}${c.unheard === undefined ? '' : `(${c.unheard})`}`;
    case 'startTimer':
    case 'cancelTimer':
      return `${c.type}:${c.timer}`;
    case 'closeCall':
      return `closeCall:${c.outcome}`;
    default:
      return c.type;
  }
}
