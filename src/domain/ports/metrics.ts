import type { CallOutcome } from './call-log.ts';
import type { ConsentDecision } from './consent-classifier.ts';

/** What the use cases report for `/metrics` (issue 6); a prom-client adapter implements it. */
export interface Metrics {
  callStarted(): void;
  callEnded(outcome: CallOutcome): void;
  /** End of the caller's answer → decision stored in the ledger. */
  consentDecided(decision: ConsentDecision, latencyMs: number): void;
  transcription(purpose: string, elapsedMs: number, queueDepth: number): void;
  /** `count` texts reached `state` (default 1). */
  smsState(state: string, count?: number): void;
  outboxDepth(n: number): void;
  connection(component: 'ari' | 'esl' | 'smpp', up: boolean): void;
}
