import type { CallOutcome } from '../../src/domain/ports/call-log.ts';
import type { ConsentDecision } from '../../src/domain/ports/consent-classifier.ts';
import type { Metrics, TranscriptionFailure } from '../../src/domain/ports/metrics.ts';

/** Records every metric call. */
export class FakeMetrics implements Metrics {
  callsStarted = 0;
  readonly callsEnded: CallOutcome[] = [];
  readonly decisions: Array<{ decision: ConsentDecision; latencyMs: number }> = [];
  readonly transcriptions: Array<{ purpose: string; elapsedMs: number; queueDepth: number }> = [];
  readonly smsStates: string[] = [];
  readonly outboxDepths: number[] = [];
  readonly connections: Array<{ component: 'ari' | 'esl' | 'smpp'; up: boolean }> = [];
  readonly hangupFailures: Array<'ari' | 'esl'> = [];
  readonly transcriptionFailures: Array<{ purpose: string; reason: TranscriptionFailure }> = [];
  readonly recognizerLoads: Array<{ answersWaiting: number; messagesWaiting: number; saturated: boolean }> = [];

  callStarted(): void {
    this.callsStarted++;
  }
  callEnded(outcome: CallOutcome): void {
    this.callsEnded.push(outcome);
  }
  consentDecided(decision: ConsentDecision, latencyMs: number): void {
    this.decisions.push({ decision, latencyMs });
  }
  transcription(purpose: string, elapsedMs: number, queueDepth: number): void {
    this.transcriptions.push({ purpose, elapsedMs, queueDepth });
  }
  transcriptionFailed(purpose: string, reason: TranscriptionFailure): void {
    this.transcriptionFailures.push({ purpose, reason });
  }
  recognizerLoad(load: { answersWaiting: number; messagesWaiting: number; saturated: boolean }): void {
    this.recognizerLoads.push({ ...load });
  }
  smsState(state: string, count = 1): void {
    for (let i = 0; i < count; i++) this.smsStates.push(state);
  }
  outboxDepth(n: number): void {
    this.outboxDepths.push(n);
  }
  connection(component: 'ari' | 'esl' | 'smpp', up: boolean): void {
    this.connections.push({ component, up });
  }
  hangupFailed(component: 'ari' | 'esl'): void {
    this.hangupFailures.push(component);
  }
}
