import type { Business } from '../../domain/business.ts';
import type { CallFlowSettings, CallRoute, FlowDecision } from '../../domain/call-flow/call-state.ts';
import type { CallNotificationInput } from '../../domain/notify/staff-notification.ts';
import type { AsyncConsentStore } from '../../domain/ports/async-consent-ledger.ts';
import type { AsyncOutbox } from '../../domain/ports/async-outbox.ts';
import type { AsyncBusinessDirectory, AsyncCallLog } from '../../domain/ports/async-stores.ts';
import type { EngineCapabilities } from '../../domain/ports/call-engine.ts';
import type { CallOutcome } from '../../domain/ports/call-log.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { ConsentClassifier, ConsentDecision } from '../../domain/ports/consent-classifier.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import type { RecordingStore, StoredAudio } from '../../domain/ports/recording-store.ts';
import type { Transcriber } from '../../domain/ports/transcriber.ts';
import type { UrgencyDecision } from '../../domain/urgency/urgency-judge.ts';
import type { PromptSource } from '../prompts/prompt-source.ts';

/**
 * What a call needs and what it gives back: the ports handed to `createCallRunner` (`CallRunnerDeps`),
 * the result of one call (`CallResult`), and what the staff are told when it ends (`StaffCallSummary`).
 */

/** Everything a call needs, built by the composition root (`createCallRunner(deps)`). */
export interface CallRunnerDeps {
  /** The engine's name for the call rows (`asterisk`, `freeswitch`, `fake`). */
  readonly engineName: string;
  /**
   * What the engine can do (`engine.capabilities`); the flow reads `waitsForSpeech` (the answer waits
   * for the caller to start speaking). Default: none of it.
   */
  readonly engineCapabilities?: Pick<EngineCapabilities, 'waitsForSpeech'>;
  /**
   * The stores, behind their async ports (SQLite in turns or PostgreSQL: src/compose/serve-stores.ts).
   * Each write is awaited before the flow hears of it: the decision is in the ledger before the first
   * text is queued, and the call row is closed before the call's result is handed back.
   */
  readonly directory: AsyncBusinessDirectory;
  readonly callLog: AsyncCallLog;
  readonly consentStore: AsyncConsentStore;
  readonly outbox: AsyncOutbox;
  readonly recordings: RecordingStore;
  readonly transcriber: Transcriber;
  readonly classifier: ConsentClassifier;
  /** Prompt text → playable WAV (`createPromptSource({ synthesizer, override })`). */
  readonly prompts: PromptSource;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** The `call.*` config slice; missing fields take `DEFAULT_CALL_FLOW_SETTINGS`. */
  readonly settings?: Partial<CallFlowSettings>;
  /**
   * Body of the first text. The transcript may be null (none yet, or transcription failed). Default
   * `defaultFirstText` (domain/call-flow/first-text.ts): the business's first-text template with the
   * caller's issue from `extractIssue` when the transcript names one clearly, the generic text otherwise.
   */
  readonly renderFirstText?: (business: Business, messageTranscript: string | null) => string;
  /** Country for caller IDs without a country code. Default `US`. */
  readonly defaultCountry?: 'US' | 'CA';
  /**
   * Judges (and stores) the urgency of the caller's message, called once per call as soon as the message
   * transcript is known, for calls to a business. Wire `wiring.assessUrgency.assess`. A null
   * result or a throw (logged) counts as not judged. An urgent call:
   * - hears `Business.emergencyInstruction` before the goodbye when one is set, on every route with a
   *   business (a withheld caller needs the safety instruction as much as anyone); when the transcript
   *   is not in by the time the goodbye is due, the goodbye waits for it at most `URGENCY_WAIT_MS` (3 s,
   *   call-timeouts.ts), then plays without the instruction;
   * - gets `withUrgentNote` on its first text (which already waits for the transcript);
   * - is reported in `onCallEnded`'s `urgency`.
   * It stores the decision, so it resolves later; the message counts as transcribed (for the flow and
   * the staff summary) once it has.
   * Default: none; urgency is not judged, nothing waits, `urgency` is null.
   */
  readonly assessUrgency?: (input: { readonly callId: number; readonly businessId: number; readonly transcript: string }) => Promise<UrgencyDecision | null>;
  /**
   * The assist (config `assist`, src/llm/README.md), when on. Nothing on the call's path waits for the
   * intake: `beginIntake` starts it when the message is transcribed, and the first text takes the checked
   * problem phrase only when `settledProblem` already has one (and the local rules found none).
   * `refineUnclear` sees only answers the classifier found unclear and may only return `declined` or
   * `unclear` (domain/assist/consent-refinement.ts); it must settle within its own bounded deadline.
   * Default: none.
   */
  readonly assist?: {
    readonly beginIntake: (input: { readonly callId: number; readonly businessId: number; readonly transcript: string }) => void;
    readonly settledProblem: (callId: number) => string | null;
    readonly refineUnclear?: (input: { readonly callId: number; readonly businessId: number | null; readonly transcript: string }) => Promise<ConsentDecision>;
  };
  /**
   * Called exactly once per call, after the call row is closed (not for a call whose row could not be
   * opened). Wire it to `notify.notifyCall` (see `StaffCallSummary`). It is not awaited: a returned
   * promise's rejection and a throw are logged and change nothing about the call. Default: none.
   */
  readonly onCallEnded?: (summary: StaffCallSummary) => void | Promise<unknown>;
  /**
   * Called once for a call whose summary went out with `transcriptStatus: 'pending'` (the call stopped
   * waiting for the message transcript after `transcribeMessageTimeoutMs`), when the transcription lands
   * after the call: the same summary with the transcript and its urgency, or `transcriptStatus: 'failed'`.
   * Wire it to `notify.notifyTranscript`. Not awaited; failures are logged. Default: none.
   */
  readonly onLateTranscript?: (summary: StaffCallSummary) => void | Promise<unknown>;
  /**
   * The message backlog (src/app/call/message-backlog.ts), when the service runs one: a message the
   * call could not transcribe (the recognizer saturated or failed) stays `pending` on its row, the staff
   * are told "transcript pending", and the backlog makes it later and sends it through
   * `onLateTranscript`. Default: none (such a message is reported as failed, as before).
   */
  readonly messageBacklog?: MessageBacklogHandle;
}

/** How a call tells the message backlog about its own transcription of the message. */
export interface MessageBacklogHandle {
  /** The call is transcribing its message: the backlog leaves the row alone. */
  hold(callId: number): void;
  /** The call's transcription ended: `done` (stored, or nothing to do), or `pending` (left to the backlog). */
  release(callId: number, left: 'done' | 'pending'): void;
}

/** What one call came to; also in the call row and the ledger. */
export interface CallResult {
  /** Null only when the call row could not even be opened. */
  readonly callId: number | null;
  readonly route: CallRoute;
  readonly outcome: CallOutcome;
  readonly decision: FlowDecision | null;
  readonly consentEventId: number | null;
  readonly outboundMessageId: number | null;
  /** End of the caller's (final) answer → verbal decision stored in the ledger. */
  readonly decisionLatencyMs: number | null;
  readonly message: StoredAudio | null;
  readonly messageTranscript: string | null;
  /** Events that were not valid in the state they arrived in (each is logged at debug level). */
  readonly ignoredEvents: number;
}

/**
 * What the staff are told about a call when it ends, handed to `CallRunnerDeps.onCallEnded`. It is
 * `notifyCall`'s input (`CallNotificationInput`) with two differences: `business` is null for a call to
 * a DID no business owns (nobody to notify), and `outcome` is the call row's outcome. Wiring:
 * `onCallEnded: (s) => { if (s.business !== null) void notify.notifyCall({ ...s, business: s.business }); }`.
 */
export type StaffCallSummary = Omit<CallNotificationInput, 'business'> & {
  readonly business: CallNotificationInput['business'] | null;
  readonly outcome: CallOutcome;
};
