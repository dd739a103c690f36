import type { CallOutcome } from './call-log.ts';
import type { ConsentDecision } from './consent-classifier.ts';

/** What the use cases report for `/metrics`; a prom-client adapter implements it. */
export interface Metrics {
  callStarted(): void;
  callEnded(outcome: CallOutcome): void;
  /** End of the caller's answer → decision stored in the ledger. */
  consentDecided(decision: ConsentDecision, latencyMs: number): void;
  transcription(purpose: string, elapsedMs: number, queueDepth: number): void;
  smsState(state: string): void;
  outboxDepth(n: number): void;
  connection(component: 'ari' | 'esl' | 'smpp', up: boolean): void;
}
