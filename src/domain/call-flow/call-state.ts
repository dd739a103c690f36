import type { ConsentDecision } from '../ports/consent-classifier.ts';
import type { CallOutcome } from '../ports/call-log.ts';
import type { PromptKey } from './prompts.ts';

/**
 * The call flow's state. `phase` is the string union the transition table is written
 * against; the other fields are the facts the flow needs to decide (what is playing or recording, how
 * far the background work on the message has got, whether the caller is still there). Evidence (audio,
 * transcripts, texts played) is held by the orchestrator, not here: the machine only steers.
 */
export const CALL_PHASES = [
  'ringing',
  'answering',
  'greeting',
  'recording-message',
  'asking',
  'recording-answer',
  'collecting-answer',
  'transcribing-answer',
  'classifying',
  'storing-decision',
  /** The goodbye is due but the message is still being transcribed: wait briefly for its urgency. */
  'awaiting-urgency',
  /** Playing the business's emergency instruction to an urgent caller, then the goodbye. */
  'emergency',
  'goodbye',
  'prompt-failed',
  'hanging-up',
  'winding-down',
  'ended',
] as const;
export type CallPhase = (typeof CALL_PHASES)[number];

/** Phases after a complete answer: a hangup here does not stop the decision (see call-transition.ts). */
export const ANSWER_PIPELINE: readonly CallPhase[] = ['collecting-answer', 'transcribing-answer', 'classifying', 'storing-decision'];

/**
 * How this call is handled, decided once when it arrives (call-route.ts):
 * - `verbal`: ask the consent question, text only on a stored `granted`;
 * - `implied`: missed-call text-back, one text on implied consent;
 * - `withheld`, `unknown-did`, `not-textable`: take a message only.
 */
export type CallRoute = 'verbal' | 'implied' | 'withheld' | 'unknown-did' | 'not-textable';

export type RecordingPurpose = 'message' | 'answer';

/**
 * Why a consent answer was never heard: the recognizer refused it or gave it up (`recognizer-saturated`),
 * or the answer's transcription bound passed first (`recognizer-timeout`). Not the caller's doing.
 */
export type AnswerUnheard = 'recognizer-saturated' | 'recognizer-timeout';

/** Progress of the caller's message: recorded, collected from the engine, transcribed. */
export type MessageStatus = 'none' | 'recording' | 'collecting' | 'transcribing' | 'settled';
/** `superseded`: a grant not stored because the caller's STOP reached the ledger during the call (no text). */
export type LedgerStatus = 'none' | 'saving' | 'saved' | 'failed' | 'superseded';
export type SmsStatus = 'none' | 'queuing' | 'queued' | 'failed';
export type FlowDecision = ConsentDecision | 'implied';
/**
 * Whether the caller is to hear the business's emergency instruction:
 * - `off`: nothing to play (the business has no instruction, or urgency is not judged);
 * - `unknown`: the message has not been judged yet;
 * - `urgent`: judged urgent, play the instruction before the goodbye (unless the goodbye has started);
 * - `calm`: judged not urgent.
 */
export type UrgencyStatus = 'off' | 'unknown' | 'urgent' | 'calm';

export const TIMER_NAMES = ['call', 'prompt', 'recording', 'settle', 'hangup', 'transcribe-message', 'transcribe-answer', 'urgency'] as const;
export type TimerName = (typeof TIMER_NAMES)[number];

/** The `call.*` config slice plus the transcription bounds. Durations are milliseconds. */
export interface CallFlowSettings {
  readonly messageMaxMs: number;
  readonly messageSilenceMs: number;
  /** The whole answer recording, pause before speaking included. */
  readonly answerMaxMs: number;
  /** The answer ends this long after the caller stops speaking. */
  readonly answerSilenceMs: number;
  /**
   * How long the caller has to start answering: silence before the first word does not end the
   * answer (engines that declare `waitsForSpeech`; see call-flow-steps.ts `record` for the others).
   */
  readonly answerStartMs: number;
  /**
   * How long the call waits for the message transcript (the first text may name the caller's issue);
   * past this the call closes without it and the transcript reaches the staff when it lands.
   */
  readonly transcribeMessageTimeoutMs: number;
  /** Past this the answer counts as unclear (never as yes). */
  readonly transcribeAnswerTimeoutMs: number;
}

export const DEFAULT_CALL_FLOW_SETTINGS: CallFlowSettings = {
  messageMaxMs: 120_000,
  messageSilenceMs: 3_000,
  // Up to 5 s to start answering "Sound good?", ended 1.5 s after the last word, 10 s at most in all:
  // people pause before they answer, and a 6 s cap would cut a caller who starts at 4 s mid-sentence.
  answerMaxMs: 10_000,
  answerSilenceMs: 1_500,
  answerStartMs: 5_000,
  // A 2-minute message takes tens of seconds on a busy 2-core box, longer behind other calls' messages
  // (answers go first). The first text and the staff notice wait at most a minute for it; the transcript
  // itself still lands later (src/speech/README.md, "Scheduling").
  transcribeMessageTimeoutMs: 60_000,
  // A 6-second answer transcribes in about a second; 30 s allows for a queue ahead of it.
  transcribeAnswerTimeoutMs: 30_000,
};

export interface CallFlowState {
  readonly phase: CallPhase;
  readonly route: CallRoute;
  readonly settings: CallFlowSettings;
  readonly line: 'up' | 'down';
  /** The line went down because of the caller (or the engine), not because we hung up. */
  readonly callerHungUp: boolean;
  /** An engine operation failed, or a prompt/recording never ended. */
  readonly failed: boolean;
  /** A ledger, call log or outbox write failed. */
  readonly storeFailed: boolean;
  /** The service stopped the call (shutdown). */
  readonly interrupted: boolean;
  /**
   * The engine can wait for the caller to start speaking before it counts silence (the engine's
   * `waitsForSpeech` capability, fixed for the call).
   */
  readonly waitsForSpeech: boolean;
  /**
   * The answer being judged was cut short by the call ending (the caller hung up, or the call was
   * stopped) rather than ended by silence: a clear yes or no in it counts, an unclear one decides nothing.
   */
  readonly answerCut: boolean;
  /** Consent questions asked so far (the script, then at most one reprompt). */
  readonly attempts: 0 | 1 | 2;
  readonly playing: PromptKey | null;
  readonly recording: RecordingPurpose | null;
  readonly message: MessageStatus;
  /** Whether a message recording was ever started (for the outcome). */
  readonly messageTaken: boolean;
  readonly decision: FlowDecision | null;
  /** Set when the final answer could not be transcribed for lack of recognizer capacity. */
  readonly answerUnheard: AnswerUnheard | null;
  readonly ledger: LedgerStatus;
  readonly sms: SmsStatus;
  readonly urgency: UrgencyStatus;
  /** Timers started and not yet cancelled or fired. */
  readonly timers: readonly TimerName[];
  /** Set when the call is closed. */
  readonly outcome: CallOutcome | null;
}

export function initialCallState(
  route: CallRoute,
  settings: CallFlowSettings = DEFAULT_CALL_FLOW_SETTINGS,
  opts: {
    /** The business has an emergency instruction and the message's urgency will be judged. */
    readonly emergencyInstruction?: boolean;
    /** The engine's `waitsForSpeech` capability. */
    readonly waitsForSpeech?: boolean;
  } = {},
): CallFlowState {
  return {
    phase: 'ringing',
    route,
    settings,
    line: 'up',
    callerHungUp: false,
    failed: false,
    storeFailed: false,
    interrupted: false,
    waitsForSpeech: opts.waitsForSpeech === true,
    answerCut: false,
    attempts: 0,
    playing: null,
    recording: null,
    message: 'none',
    messageTaken: false,
    decision: null,
    answerUnheard: null,
    ledger: 'none',
    sms: 'none',
    urgency: opts.emergencyInstruction === true ? 'unknown' : 'off',
    timers: [],
    outcome: null,
  };
}
