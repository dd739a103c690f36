import type { CallOutcome } from './call-log.ts';
import type { ConsentDecision } from './consent-classifier.ts';

export type TranscriptionFailure = 'saturated' | 'timeout' | 'error';

/** What the use cases report for `/metrics`; a prom-client adapter implements it. */
export interface Metrics {
  callStarted(): void;
  callEnded(outcome: CallOutcome): void;
  /** End of the caller's answer → decision stored in the ledger. */
  consentDecided(decision: ConsentDecision, latencyMs: number): void;
  transcription(purpose: string, elapsedMs: number, queueDepth: number): void;
  /**
   * A transcription that did not happen: `saturated` (the recognizer had no room: its line was full, or
   * the job gave up waiting), `timeout` (the call's bound passed first), `error` (the engine failed).
   */
  transcriptionFailed(purpose: string, reason: TranscriptionFailure): void;
  /** The recognizer's waiting line by kind, and whether it is saturated (recognizer-load-watch.ts). */
  recognizerLoad(load: { readonly answersWaiting: number; readonly messagesWaiting: number; readonly saturated: boolean }): void;
  /** `count` texts reached `state` (default 1). */
  smsState(state: string, count?: number): void;
  outboxDepth(n: number): void;
  connection(component: 'ari' | 'esl' | 'smpp', up: boolean): void;
  /** A channel the engine could not hang up (every try failed): the caller's line may still be up. */
  hangupFailed(component: 'ari' | 'esl'): void;
}
