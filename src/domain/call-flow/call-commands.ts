import type { CallOutcome } from '../ports/call-log.ts';
import type { AnswerUnheard, RecordingPurpose, TimerName } from './call-state.ts';
import type { PromptKey } from './prompts.ts';

/** The ledger events a call can write. */
export type CallConsentEvent = 'granted' | 'declined' | 'unclear' | 'implied';

/**
 * What the flow asks the orchestrator to do, as data. Each command's result comes back as a
 * `CallEvent`. Stop commands are best effort: on a gone channel they fail, and that is fine.
 */
export type CallCommand =
  | { readonly type: 'answer' }
  | { readonly type: 'play'; readonly prompt: PromptKey }
  | { readonly type: 'stopPlayback' }
  | {
      readonly type: 'record';
      readonly purpose: RecordingPurpose;
      /** 1 for the message and the first answer, 2 for the answer to the reprompt. */
      readonly attempt: number;
      readonly maxDurationMs: number;
      readonly maxSilenceMs: number;
      /** Wait this long for the caller to start speaking before silence counts; 0: silence counts from the start. */
      readonly speechStartTimeoutMs: number;
      readonly beep: boolean;
      readonly terminateOnHash: boolean;
    }
  | { readonly type: 'stopRecording' }
  /** Fetch the finished recording from the engine and store it (with its sha256). */
  | { readonly type: 'collectRecording'; readonly purpose: RecordingPurpose }
  | { readonly type: 'transcribe'; readonly purpose: RecordingPurpose }
  /** The flow stopped waiting for this transcription: take it out of the recognizer's line. */
  | { readonly type: 'cancelTranscription'; readonly purpose: RecordingPurpose }
  /** Classify the latest answer transcript through the `ConsentClassifier`. */
  | { readonly type: 'classify' }
  /** Append the ledger event; for verbal events with the consent prompt text(s) actually played, and why an unheard answer was not heard. */
  | { readonly type: 'saveConsent'; readonly event: CallConsentEvent; readonly unheard?: AnswerUnheard }
  /** Queue the first text; only ever issued after `consent-saved` for a granted/implied event. */
  | { readonly type: 'queueSms' }
  | { readonly type: 'startTimer'; readonly timer: TimerName; readonly ms: number }
  | { readonly type: 'cancelTimer'; readonly timer: TimerName }
  | { readonly type: 'hangup' }
  | { readonly type: 'closeCall'; readonly outcome: CallOutcome };

export type CallCommandType = CallCommand['type'];
