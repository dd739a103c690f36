import type { RecordingEnd } from '../ports/call-engine.ts';
import type { ConsentDecision } from '../ports/consent-classifier.ts';
import type { RecordingPurpose, TimerName } from './call-state.ts';
import type { PromptKey } from './prompts.ts';

/** The engine operations the orchestrator carries out; named in `operation-failed`. */
export type EngineOp = 'answer' | 'play' | 'record' | 'hangup';

/**
 * Everything the flow reacts to: engine events translated by the orchestrator, results of the commands
 * it carried out, timers, and the service stopping. Results carry no evidence (audio, text): the
 * orchestrator keeps that; the machine only needs to know what happened.
 */
export type CallEvent =
  /** The orchestrator has opened the call row and starts the flow. */
  | { readonly type: 'start' }
  | { readonly type: 'answered' }
  | { readonly type: 'playback-finished'; readonly prompt: PromptKey; readonly outcome: 'done' | 'stopped' | 'failed' }
  | { readonly type: 'recording-finished'; readonly purpose: RecordingPurpose; readonly end: RecordingEnd }
  /** The recording was fetched from the engine and stored (ok), or could not be. */
  | { readonly type: 'recording-collected'; readonly purpose: RecordingPurpose; readonly ok: boolean }
  | { readonly type: 'transcribed'; readonly purpose: RecordingPurpose }
  /** `saturated`: the recognizer had no room for it (`SPEECH.SATURATED`), as opposed to an engine error. */
  | { readonly type: 'transcription-failed'; readonly purpose: RecordingPurpose; readonly saturated?: boolean }
  | { readonly type: 'classified'; readonly decision: ConsentDecision }
  /**
   * The message transcript was judged for urgency (sent just before its `transcribed`, and only when the
   * state's urgency is `unknown`): `urgent` means the caller is to hear the emergency instruction.
   */
  | { readonly type: 'urgency-assessed'; readonly urgent: boolean }
  | { readonly type: 'consent-saved' }
  | { readonly type: 'consent-save-failed' }
  /** The grant was not stored: a STOP from the caller reached the ledger during the call, and wins. */
  | { readonly type: 'consent-superseded' }
  | { readonly type: 'sms-queued' }
  | { readonly type: 'sms-failed' }
  | { readonly type: 'dtmf'; readonly digit: string }
  /** The line is gone: the caller hung up, the channel vanished, or our own hangup was confirmed. */
  | { readonly type: 'hangup' }
  /** An engine operation was refused for a reason other than the channel being gone. */
  | { readonly type: 'operation-failed'; readonly op: EngineOp }
  /** The service is stopping: end the call politely but now. */
  | { readonly type: 'abort' }
  | { readonly type: 'timeout'; readonly timer: TimerName };

export type CallEventType = CallEvent['type'];

export const CALL_EVENT_TYPES: readonly CallEventType[] = [
  'start',
  'answered',
  'playback-finished',
  'recording-finished',
  'recording-collected',
  'transcribed',
  'transcription-failed',
  'classified',
  'urgency-assessed',
  'consent-saved',
  'consent-save-failed',
  'consent-superseded',
  'sms-queued',
  'sms-failed',
  'dtmf',
  'hangup',
  'operation-failed',
  'abort',
  'timeout',
];
