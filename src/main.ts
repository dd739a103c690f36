import { createCallRunner, type CallRunner } from './app/call/call-runner.ts';
import { createPromptSource } from './app/call/prompt-source.ts';
import { ServiceLifecycle } from './app/lifecycle/service-lifecycle.ts';
import { ReadinessBoard } from './app/lifecycle/readiness-board.ts';
import { InboundMessageHandler } from './app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from './app/messaging/outbox-dispatcher.ts';
import { scheduleDailyPurge } from './app/retention/daily-purge-scheduler.ts';
import { createSystemClock } from './app/system-clock.ts';
import { createNotifyWiring, type NotifyWiring } from './cli/notify-wiring.ts';
import { createRecordingPurge } from './cli/purge-command.ts';
import { dispatcherConfig, sendingRules, smppGatewayConfig } from './cli/sms-command.ts';
import { createEngine } from './compose/call-engine-factory.ts';
import { withTranscriptionMetrics } from './compose/transcription-metrics.ts';
import type { Config } from './config/config-schema.ts';
import { RuleConsentClassifier } from './domain/consent/rule-consent-classifier.ts';
import type { CallEngine, IncomingCall } from './domain/ports/call-engine.ts';
import type { Clock } from './domain/ports/clock.ts';
import type { Logger } from './domain/ports/logger.ts';
import type { Outbox } from './domain/ports/outbox.ts';
import type { Synthesizer } from './domain/ports/synthesizer.ts';
import type { Transcriber } from './domain/ports/transcriber.ts';
import { AdminHttpServer } from './http/admin-http-server.ts';
import { PromMetrics } from './http/prom-metrics.ts';
import { SmppGateway } from './sms/smpp-gateway.ts';
import { findPromptOverride } from './speech/prompt-override.ts';
import { createSynthesizer, createTranscriber } from './speech/speech-factory.ts';
import { WhisperTranscriber } from './speech/whisper-transcriber.ts';
import { FileRecordingStore } from './store/file-recording-store.ts';
import { SqliteBusinessDirectory } from './store/sqlite-business-directory.ts';
import { SqliteCallLog } from './store/sqlite-call-log.ts';
import { SqliteConsentStore } from './store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from './store/sqlite-database.ts';
import { SqliteMessageLog } from './store/sqlite-message-log.ts';
import { SqliteOutbox } from './store/sqlite-outbox.ts';

/**
 * The composition root of `callkeeper serve` (issue 6): config → store, speech, SMPP gateway, call engine
 * → running. The only place (with the CLI and the demo) that constructs adapters. Nothing here waits for
 * Asterisk/FreeSWITCH or the SMSC: each adapter retries with backoff on its own, and `/readyz` says not
 * ready until both are up.
 */
export interface Service {
  readonly db: SqliteDb;
  readonly engine: CallEngine;
  readonly runner: CallRunner;
  readonly gateway: SmppGateway;
  readonly dispatcher: OutboxDispatcher;
  readonly lifecycle: ServiceLifecycle;
  readonly readiness: ReadinessBoard;
  readonly metrics: PromMetrics;
  readonly notify: NotifyWiring;
  /** The admin HTTP address, once listening. */
  readonly admin: { host: string; port: number };
  readonly transcriber: Transcriber;
  /** Resolves with every call's result, for the demo and tests. */
  onCallFinished(listener: (r: Awaited<ReturnType<CallRunner['run']>>) => void): () => void;
  /** SIGTERM's path: drain, then stop everything. */
  shutdown(reason: string): ReturnType<ServiceLifecycle['shutdown']>;
}

export interface ServiceOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Tests and the demo may bring their own (e.g. a random-weight Whisper with bounded decoding). */
  readonly transcriber?: Transcriber;
  readonly synthesizer?: Synthesizer;
  /** Start the daily recording purge (off in tests). Default true. */
  readonly retention?: boolean;
}

/** Answer-transcription bound (30 s, DEFAULT_CALL_FLOW_SETTINGS) plus 15 s for classifying and writing. */
const INTERRUPT_TIMEOUT_MS = 45_000;

export async function startService(config: Config, opts: ServiceOptions): Promise<Service> {
  const logger = opts.logger;
  const clock = opts.clock ?? createSystemClock();
  const metrics = new PromMetrics();
  const readiness = new ReadinessBoard().declare('store', config.engine === 'asterisk' ? 'ari' : 'esl', 'smpp');

  const db = openDatabase(config.database.path);
  const applied = migrate(db);
  if (applied.length > 0) logger.info({ versions: applied.map((m) => m.version) }, 'database migrated');
  readiness.set('store', true);

  const directory = new SqliteBusinessDirectory(db, clock);
  const consentStore = new SqliteConsentStore(db, clock);
  const callLog = new SqliteCallLog(db);
  const outboxStore = new SqliteOutbox(db, { rules: sendingRules(config.messaging), clock });

  const gateway = new SmppGateway(smppGatewayConfig(config.smpp), { logger });
  const dispatcher = new OutboxDispatcher(dispatcherConfig(config.smpp), { outbox: outboxStore, gateway, clock, logger, metrics });
  // Every enqueue wakes the dispatcher at once (it also polls, for texts queued by the CLI).
  const outbox: Outbox = {
    enqueue: (m) => {
      const id = outboxStore.enqueue(m);
      dispatcher.kick();
      return id;
    },
  };
  const inbound = new InboundMessageHandler(
    { helpContact: config.messaging.helpContact },
    { outbox: outboxStore, consent: consentStore, businesses: directory, messages: new SqliteMessageLog(db), clock, logger, onEnqueued: () => dispatcher.kick() },
  );
  gateway.onInbound((m) => {
    inbound.handle(m);
  });
  gateway.onStatus((s) => {
    readiness.set('smpp', s === 'up');
    metrics.connection('smpp', s === 'up');
    if (s !== 'up') logger.warn({ status: s }, 'waiting for the SMPP gateway');
  });

  const notify = createNotifyWiring({
    db,
    config: config.notify,
    outbox,
    senderFor: (id) => directory.byId(id)?.dids[0],
    clock,
    logger,
    metrics,
  });

  const recognizer = opts.transcriber ?? createTranscriber(config.speech, { logger });
  // Load the Whisper model now: a missing or broken model is a clear start-up error, not a failed first call.
  if (recognizer instanceof WhisperTranscriber) await recognizer.load();
  const transcriber = withTranscriptionMetrics(recognizer, metrics);
  const synthesizer = opts.synthesizer ?? createSynthesizer(config.prompts);
  const overridesDir = config.prompts.overridesDir;
  const prompts = createPromptSource({
    synthesizer,
    voice: config.prompts.voice,
    override: async (businessId, key) => {
      try {
        const o = await findPromptOverride(overridesDir, businessId, key);
        return o === null ? null : { file: o.file };
      } catch (e) {
        logger.warn({ businessId, prompt: key, err: (e as Error).message }, 'operator-recorded prompt unusable; synthesizing instead');
        return null;
      }
    },
  });

  const engine = createEngine(config, logger, clock);
  const engineKey = config.engine === 'asterisk' ? 'ari' : 'esl';
  engine.onStatus((s) => {
    readiness.set(engineKey, s === 'up');
    metrics.connection(engineKey, s === 'up');
    if (s !== 'up') logger.warn({ engine: engine.name, status: s }, 'waiting for the call engine');
  });

  const finishedListeners = new Set<(r: Awaited<ReturnType<CallRunner['run']>>) => void>();
  const runner = createCallRunner({
    engineName: engine.name,
    directory,
    callLog,
    consentStore,
    outbox,
    recordings: new FileRecordingStore(config.recordings.dir),
    transcriber,
    classifier: new RuleConsentClassifier(),
    prompts,
    clock,
    logger,
    metrics,
    settings: config.call,
    assessUrgency: (i) => notify.assessUrgency.assess(i),
    // Staff hear of every call (issue 8); never awaited on the call's path.
    onCallEnded: (summary) => {
      if (summary.business !== null) return notify.notify.notifyCall({ ...summary, business: summary.business });
      return undefined;
    },
  });

  let accepting = true;
  const idleWaiters: Array<() => void> = [];
  const onCall = (call: IncomingCall): void => {
    if (!accepting) {
      // Draining for a shutdown: turn the call away so the engine's dialplan can go on (voicemail, staff).
      logger.info({ channelId: call.leg.id }, 'call turned away: service is shutting down');
      void call.leg.hangup().catch(() => undefined);
      return;
    }
    void runner.run(call).then((result) => {
      for (const l of finishedListeners) l(result);
      if (runner.active() === 0) for (const w of idleWaiters.splice(0)) w();
    });
  };

  const purge = createRecordingPurge({ db, config, logger });
  const daily = opts.retention === false ? null : scheduleDailyPurge({ clock, logger, run: () => purge({ dryRun: false }) });

  const admin = new AdminHttpServer(config.admin, {
    readiness: () => ({ ...readiness.snapshot(), accepting }),
    metrics: metrics.registry,
    logger,
  });
  const adminAddress = await admin.listen();

  const lifecycle = new ServiceLifecycle({
    clock,
    logger,
    stopAccepting: () => {
      accepting = false;
    },
    activeCalls: () => runner.active(),
    whenIdle: () => new Promise<void>((r) => (runner.active() === 0 ? r() : idleWaiters.push(r))),
    onDrainTimeout: () => runner.abortAll(),
    components: [
      { name: 'engine', stop: () => engine.stop() },
      { name: 'retention', stop: () => daily?.stop() },
      { name: 'notify', stop: async () => { await notify.notify.drain(); notify.close(); } },
      { name: 'outbox', stop: () => dispatcher.stop() },
      { name: 'smpp', stop: () => gateway.stop() },
      { name: 'transcriber', stop: () => transcriber.close() },
      { name: 'admin-http', stop: () => admin.close() },
      { name: 'database', stop: () => void db.close() },
    ],
    // Businesses and templates are read from the database for every call and text, so a reload has
    // nothing to rebuild; it re-checks the database and says so.
    reload: () => {
      logger.info({ businesses: directory.list().length }, 'reloaded businesses and templates');
    },
    drainTimeoutMs: config.call.drainTimeoutMs,
    // An interrupted call may still be transcribing an answer the caller gave (bounded at 30 s by
    // transcribeAnswerTimeoutMs); its decision and call row must be written before the database closes.
    interruptTimeoutMs: INTERRUPT_TIMEOUT_MS,
  });

  // The dispatcher first: it recovers texts left in flight and registers for receipts before the bind.
  dispatcher.start();
  void gateway.start().catch((e: unknown) => {
    logger.error({ err: (e as Error).message }, 'SMPP gateway refused the bind: check smpp.systemId and smpp.password');
  });
  void engine.start(onCall).catch((e: unknown) => {
    logger.error({ err: (e as Error).message }, 'call engine failed to start');
  });
  logger.info({ engine: engine.name, speech: transcriber.engine, admin: adminAddress }, 'callkeeper is running');

  return {
    db,
    engine,
    runner,
    gateway,
    dispatcher,
    lifecycle,
    readiness,
    metrics,
    notify,
    admin: adminAddress,
    transcriber,
    onCallFinished(listener) {
      finishedListeners.add(listener);
      return () => finishedListeners.delete(listener);
    },
    shutdown: (reason) => lifecycle.shutdown(reason),
  };
}
