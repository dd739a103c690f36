import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Metrics, TranscriptionFailure } from '../domain/ports/metrics.ts';
import type { CallOutcome } from '../domain/ports/call-log.ts';
import type { ConsentDecision } from '../domain/ports/consent-classifier.ts';

/** What `/metrics` needs from a registry: prom-client's `Registry` has this shape. */
export interface MetricsSource {
  readonly contentType: string;
  metrics(): Promise<string>;
}

export interface PromMetricsOptions {
  /** Node process metrics (CPU, memory, event loop lag, GC) in the same registry; default true. */
  readonly processMetrics?: boolean;
}

/**
 * The prom-client adapter of the `Metrics` port. Every instance owns its `Registry`: nothing is
 * put in prom-client's global default registry, so two instances (tests, a demo next to a service) never
 * collide. Metric names carry the `callkeeper_` prefix; durations are exported in seconds, as Prometheus
 * expects, while the port speaks milliseconds.
 */
export class PromMetrics implements Metrics {
  readonly registry: Registry;
  private readonly callsStarted: Counter;
  private readonly callsInProgress: Gauge;
  private readonly calls: Counter<'outcome'>;
  private readonly consent: Counter<'decision'>;
  private readonly decisionLatency: Histogram<'decision'>;
  private readonly texts: Counter<'state'>;
  private readonly outbox: Gauge;
  private readonly connectionUp: Gauge<'component'>;
  private readonly hangupFailures: Counter<'component'>;
  private readonly transcriptionQueue: Gauge;
  private readonly transcriptionTime: Histogram<'purpose'>;
  private readonly transcriptionFailures: Counter<'purpose' | 'reason'>;
  private readonly transcriptionWaiting: Gauge<'kind'>;
  private readonly speechSaturated: Gauge;
  private readonly notifications: Counter<'channel' | 'state' | 'urgent'>;
  private readonly notificationLatency: Histogram<'channel' | 'urgent'>;
  private readonly inbound: Counter<'outcome'>;
  private readonly assistCalls: Counter<'use' | 'outcome'>;
  private readonly assistRejected: Counter<'field'>;
  private readonly backlogPending: Gauge;
  private readonly backlogOldest: Gauge;

  /**
   * The answer→decision histogram as cumulative buckets (all decisions summed), for the console's
   * dashboard: the same figures /metrics exposes, since this process started.
   */
  async decisionLatencyBuckets(): Promise<Array<{ le: string; count: number }>> {
    const byLe = new Map<string, number>();
    for (const v of (await this.decisionLatency.get()).values) {
      if (v.metricName !== 'callkeeper_consent_decision_seconds_bucket') continue;
      const le = String((v.labels as Record<string, string | number>).le);
      byLe.set(le, (byLe.get(le) ?? 0) + v.value);
    }
    return [...byLe].map(([le, count]) => ({ le, count }));
  }

  constructor(opts: PromMetricsOptions = {}) {
    this.registry = new Registry();
    const registers = [this.registry];
    if (opts.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: 'callkeeper_' });
    this.callsStarted = new Counter({ name: 'callkeeper_calls_started_total', help: 'Calls taken by the service', registers });
    this.callsInProgress = new Gauge({ name: 'callkeeper_calls_in_progress', help: 'Calls being handled now', registers });
    this.calls = new Counter({
      name: 'callkeeper_calls_total',
      help: 'Calls ended, by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.consent = new Counter({
      name: 'callkeeper_consent_decisions_total',
      help: 'Consent answers judged, by decision',
      labelNames: ['decision'],
      registers,
    });
    // The caller is waiting on the line during this interval; the product target is well under 3 s.
    this.decisionLatency = new Histogram({
      name: 'callkeeper_consent_decision_seconds',
      help: 'End of the caller answer to the decision stored in the ledger',
      labelNames: ['decision'],
      buckets: [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5, 10],
      registers,
    });
    this.texts = new Counter({
      name: 'callkeeper_texts_total',
      help: 'Text message state changes (submitted, delivered, failed, suppressed after a STOP, unknown when no receipt came, ...), by state entered',
      labelNames: ['state'],
      registers,
    });
    this.outbox = new Gauge({ name: 'callkeeper_outbox_depth', help: 'Texts waiting in the outbox', registers });
    this.connectionUp = new Gauge({
      name: 'callkeeper_connection_up',
      help: '1 when the connection to the component (ari, esl, smpp) is up, else 0',
      labelNames: ['component'],
      registers,
    });
    this.hangupFailures = new Counter({
      name: 'callkeeper_hangups_failed_total',
      help: 'Channels the engine could not hang up (every try failed; the line may still be up), by component (ari, esl)',
      labelNames: ['component'],
      registers,
    });
    this.transcriptionQueue = new Gauge({
      name: 'callkeeper_transcription_queue_depth',
      help: 'Recordings waiting for the recognizer',
      registers,
    });
    this.transcriptionTime = new Histogram({
      name: 'callkeeper_transcription_seconds',
      help: 'Time to transcribe one recording, by purpose (message, answer)',
      labelNames: ['purpose'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 60],
      registers,
    });
    this.transcriptionFailures = new Counter({
      name: 'callkeeper_transcription_failures_total',
      help: 'Transcriptions that did not happen, by purpose and reason (saturated, timeout, error)',
      labelNames: ['purpose', 'reason'],
      registers,
    });
    this.transcriptionWaiting = new Gauge({
      name: 'callkeeper_transcription_waiting',
      help: 'Recordings waiting for the recognizer, by kind (answer: a caller is on the line; message)',
      labelNames: ['kind'],
      registers,
    });
    this.speechSaturated = new Gauge({
      name: 'callkeeper_speech_saturated',
      help: '1 while the recognizer is saturated (answers wait too long or are turned away), else 0',
      registers,
    });
    this.notifications = new Counter({
      name: 'callkeeper_staff_notifications_total',
      help: 'Staff notification deliveries settled, by channel (sms, email, webhook), final state and urgency',
      labelNames: ['channel', 'state', 'urgent'],
      registers,
    });
    // The target: staff told within 60 s of the call's end, p95 under 10 s.
    this.notificationLatency = new Histogram({
      name: 'callkeeper_staff_notification_seconds',
      help: 'Call end to a staff notification delivered, by channel and urgency',
      labelNames: ['channel', 'urgent'],
      buckets: [0.5, 1, 2, 5, 10, 20, 30, 60, 120],
      registers,
    });
    this.inbound = new Counter({
      name: 'callkeeper_inbound_texts_total',
      help: 'Inbound texts handled, by outcome (revoked, help, reply, ..., ignored-sender: not a phone number)',
      labelNames: ['outcome'],
      registers,
    });
    this.assistCalls = new Counter({
      name: 'callkeeper_assist_calls_total',
      help: 'Assist calls, by use (intake, reply, consent) and outcome (ok, failed, timeout, circuit-open, bad-output)',
      labelNames: ['use', 'outcome'],
      registers,
    });
    this.assistRejected = new Counter({
      name: 'callkeeper_assist_fields_rejected_total',
      help: 'Assisted intake fields dropped because the transcript check failed, by field',
      labelNames: ['field'],
      registers,
    });
    // The message-transcription backlog (src/app/call/message-backlog.ts): the goal is every message within 5 minutes.
    this.backlogPending = new Gauge({ name: 'callkeeper_message_backlog_pending', help: 'Caller messages still waiting for their transcript', registers });
    this.backlogOldest = new Gauge({
      name: 'callkeeper_message_backlog_oldest_seconds',
      help: 'Age of the oldest caller message still waiting for its transcript (since its call started)',
      registers,
    });
    // Known series start at zero so dashboards and alerts see them before the first event.
    for (const d of ['granted', 'declined', 'unclear'] as const) this.consent.inc({ decision: d }, 0);
    for (const c of ['ari', 'esl', 'smpp'] as const) this.connectionUp.set({ component: c }, 0);
    for (const c of ['ari', 'esl'] as const) this.hangupFailures.inc({ component: c }, 0);
    for (const o of ['revoked', 'ignored-sender'] as const) this.inbound.inc({ outcome: o }, 0);
    for (const use of ['intake', 'reply', 'consent']) for (const outcome of ['ok', 'failed', 'timeout']) this.assistCalls.inc({ use, outcome }, 0);
    for (const purpose of ['consent-answer', 'message'] as const) {
      for (const reason of ['saturated', 'timeout', 'error'] as const) this.transcriptionFailures.inc({ purpose, reason }, 0);
    }
    for (const kind of ['answer', 'message'] as const) this.transcriptionWaiting.set({ kind }, 0);
    this.speechSaturated.set(0);
    // The two outcomes an operator should alert on (src/sms/README.md).
    for (const s of ['suppressed', 'unknown'] as const) this.texts.inc({ state: s }, 0);
  }

  /** `AssistMetrics` of the guarded assist (src/app/assist/guarded-assist.ts). */
  assistCall(use: string, outcome: string): void {
    this.assistCalls.inc({ use, outcome });
  }

  assistFieldRejected(field: string): void {
    this.assistRejected.inc({ field });
  }

  callStarted(): void {
    this.callsStarted.inc();
    this.callsInProgress.inc();
  }

  callEnded(outcome: CallOutcome): void {
    this.calls.inc({ outcome });
    this.callsInProgress.dec();
  }

  consentDecided(decision: ConsentDecision, latencyMs: number): void {
    this.consent.inc({ decision });
    this.decisionLatency.observe({ decision }, latencyMs / 1000);
  }

  transcription(purpose: string, elapsedMs: number, queueDepth: number): void {
    this.transcriptionTime.observe({ purpose }, elapsedMs / 1000);
    this.transcriptionQueue.set(queueDepth);
  }

  transcriptionFailed(purpose: string, reason: TranscriptionFailure): void {
    this.transcriptionFailures.inc({ purpose, reason });
  }

  recognizerLoad(load: { readonly answersWaiting: number; readonly messagesWaiting: number; readonly saturated: boolean }): void {
    this.transcriptionWaiting.set({ kind: 'answer' }, load.answersWaiting);
    this.transcriptionWaiting.set({ kind: 'message' }, load.messagesWaiting);
    this.transcriptionQueue.set(load.answersWaiting + load.messagesWaiting);
    this.speechSaturated.set(load.saturated ? 1 : 0);
  }

  smsState(state: string, count = 1): void {
    this.texts.inc({ state }, count);
  }

  outboxDepth(n: number): void {
    this.outbox.set(n);
  }

  connection(component: 'ari' | 'esl' | 'smpp', up: boolean): void {
    this.connectionUp.set({ component }, up ? 1 : 0);
  }

  hangupFailed(component: 'ari' | 'esl'): void {
    this.hangupFailures.inc({ component });
  }

  /** `MessageBacklogMetrics` of the message backlog (src/app/call/message-backlog.ts). */
  messageBacklog(b: { readonly pending: number; readonly oldestPendingMs: number }): void {
    this.backlogPending.set(b.pending);
    this.backlogOldest.set(b.oldestPendingMs / 1000);
  }

  /** `InboundMetrics` of the inbound-text use case (src/app/messaging/inbound-message-handler.ts). */
  inboundText(outcome: string): void {
    this.inbound.inc({ outcome });
  }

  /** `NotifyMetrics` of the notify use case (src/app/notify/notify-staff.ts). */
  notificationSettled(channel: string, state: string, latencyMs: number | null, urgent: boolean): void {
    const u = urgent ? 'true' : 'false';
    this.notifications.inc({ channel, state, urgent: u });
    if (latencyMs !== null) this.notificationLatency.observe({ channel, urgent: u }, latencyMs / 1000);
  }
}
