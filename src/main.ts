import { createCallRunner, type CallRunner } from './app/call/call-runner.ts';
import type { StaffCallSummary } from './app/call/call-types.ts';
import { createPromptSource, warmPrompts } from './app/prompts/prompt-source.ts';
import { repeatEvery } from './app/repeat-every.ts';
import { ServiceLifecycle } from './app/lifecycle/service-lifecycle.ts';
import { ReadinessBoard } from './app/lifecycle/readiness-board.ts';
import { InboundMessageHandler } from './app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from './app/messaging/outbox-dispatcher.ts';
import { scheduleDailyPurge } from './app/retention/daily-purge-scheduler.ts';
import { createSystemClock } from './app/system-clock.ts';
import { createNotifyWiring, type NotifyWiring } from './compose/notify-wiring.ts';
import { createAssistWiring } from './compose/assist-factory.ts';
import { createConsoleWiring, openConsoleConnection } from './compose/console-wiring.ts';
import { createPgConsoleWiring } from './compose/pg-console-wiring.ts';
import { createMessageBacklog } from './compose/message-backlog-wiring.ts';
import { createRecordingPurge } from './compose/recording-purge.ts';
import { sqliteServeStores, type ServeStores } from './compose/serve-stores.ts';
import { ConnectionTurns } from './store/sqlite-async-stores.ts';
import { startOutboxWriter } from './compose/outbox-writer.ts';
import { dispatcherConfig, sendingRules, smppGatewayConfig } from './compose/sms-settings.ts';
import { createEngine } from './compose/call-engine-factory.ts';
import { engineProfile } from './compose/engine-profile.ts';
import { openLedgerSigning, openPgLedgerSigning, type LedgerSigning } from './compose/ledger-signing.ts';
import { openPgServeDatabase, type PgServeDatabase } from './compose/pg-serve-database.ts';
import { watchRecognizerLoad } from './compose/recognizer-load.ts';
import { withTranscriptionMetrics } from './compose/transcription-metrics.ts';
import type { Config } from './config/config-schema.ts';
import { assertServable } from './config/serve-config-rules.ts';
import { consolePlugin } from './console/console-plugin.ts';
import { optInPlugin } from './console/opt-in-routes.ts';
import { raiseUrgency } from './domain/assist/assisted-urgency.ts';
import { RuleConsentClassifier } from './domain/consent/rule-consent-classifier.ts';
import { isAppError } from './domain/errors.ts';
import type { Assist } from './domain/ports/assist.ts';
import type { AsyncOutbox } from './domain/ports/async-outbox.ts';
import type { CallEngine, IncomingCall } from './domain/ports/call-engine.ts';
import type { Clock } from './domain/ports/clock.ts';
import type { Logger } from './domain/ports/logger.ts';
import type { Synthesizer } from './domain/ports/synthesizer.ts';
import type { Transcriber } from './domain/ports/transcriber.ts';
import { AdminHttpServer } from './http/admin-http-server.ts';
import { PromMetrics } from './http/prom-metrics.ts';
import { SmppGateway } from './sms/smpp-gateway.ts';
import { findPromptOverride } from './speech/prompt-override.ts';
import { createSynthesizer, createTranscriber } from './speech/speech-factory.ts';
import { FileRecordingStore } from './store/file-recording-store.ts';
import { SqliteConsentStore } from './store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from './store/sqlite-database.ts';
import { SqliteServiceLock } from './store/sqlite-service-lock.ts';

/**
 * The composition root of `callkeeper serve`: config → store, speech, SMPP gateway, call engine
 * → running. The only place (with the CLI and the demo) that constructs adapters. Nothing here waits for
 * Asterisk/FreeSWITCH or the SMSC: each adapter retries with backoff on its own, and `/readyz` says not
 * ready until both are up.
 */
export interface Service {
  /** SQLite's connection; null when the service runs on PostgreSQL. */
  readonly db: SqliteDb | null;
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
  /** Synthesizes every business's prompts (what start and SIGHUP do), e.g. after `business add`. */
  warmPrompts(): Promise<void>;
}

export interface ServiceOptions {
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Tests and the demo may bring their own (e.g. a random-weight Whisper with bounded decoding). */
  readonly transcriber?: Transcriber;
  readonly synthesizer?: Synthesizer;
  /** Tests may bring their own assist adapter (used only when `assist.enabled`). */
  readonly assist?: Assist;
  /** Start the daily recording purge (off in tests). Default true. */
  readonly retention?: boolean;
}

/** Answer-transcription bound (30 s, DEFAULT_CALL_FLOW_SETTINGS) plus 15 s for classifying and writing. */
const INTERRUPT_TIMEOUT_MS = 45_000;

export async function startService(config: Config, opts: ServiceOptions): Promise<Service> {
  // Before anything is opened: a config serve would refuse later (after migrating) is refused now.
  assertServable(config, null);
  // One service per SQLite database, decided before the database (and its outbox) is opened. On
  // PostgreSQL several nodes share the database; each holds its own nodeId instead (pg-serve-database.ts).
  const lock = config.database.kind === 'postgres' || config.database.path === ':memory:' ? null : SqliteServiceLock.acquire(config.database.path);
  try {
    return await startLocked(config, opts, () => lock?.release());
  } catch (e) {
    lock?.release();
    throw e;
  }
}

/** How often the service looks for businesses whose prompts are not made yet (see warmAllPrompts). */
const PROMPT_REFRESH_MS = 60_000;

async function startLocked(config: Config, opts: ServiceOptions, releaseLock: () => void): Promise<Service> {
  const logger = opts.logger;
  const clock = opts.clock ?? createSystemClock();
  const metrics = new PromMetrics();
  const engineLink = engineProfile(config).link;
  const readiness = new ReadinessBoard().declare('store', engineLink, 'smpp');

  // Every store behind its async port (src/compose/serve-stores.ts): SQLite on one connection, or a
  // PostgreSQL pool shared with the other nodes. `db` is SQLite's connection (null on PostgreSQL).
  const { db, turns, pgDb, signing, stores } = await openStores(config, clock, logger);
  readiness.set('store', true);

  const gateway = new SmppGateway(smppGatewayConfig(config.smpp), { logger });
  // Claims, results and receipts committed on a thread of their own (src/store/README.md, "The outbox writer thread");
  // `:memory:` has no second connection. Without it the dispatcher writes through `stores.outbox`
  // (asyncOutboxWriter: SQLite in turns, or PostgreSQL's pool).
  const outboxWriter =
    config.smpp.outboxWriter === 'thread' && stores.kind === 'sqlite' && config.database.path !== ':memory:'
      ? startOutboxWriter(config.database.path, sendingRules(config.messaging), logger)
      : undefined;
  const dispatcher = new OutboxDispatcher({ ...dispatcherConfig(config.smpp), leaseMs: config.database.leaseMs }, {
    outbox: stores.outbox,
    ...(outboxWriter ? { writer: outboxWriter } : {}),
    rules: sendingRules(config.messaging),
    gateway,
    clock,
    logger,
    metrics,
  });
  // On PostgreSQL a text queued by another node or the CLI wakes this node's dispatcher (it also polls).
  const wakeups = pgDb?.listenForOutbox(() => dispatcher.kick()) ?? null;
  // What this node queues (first texts, staff texts) wakes its dispatcher at once.
  const outbox: AsyncOutbox = {
    enqueue: async (m) => {
      const id = await stores.outbox.enqueue(m);
      dispatcher.kick();
      return id;
    },
  };
  gateway.onStatus((s) => {
    readiness.set('smpp', s === 'up');
    metrics.connection('smpp', s === 'up');
    if (s !== 'up') logger.warn({ status: s }, 'waiting for the SMPP gateway');
  });

  const notify = await createNotifyWiring({
    stores,
    config: config.notify,
    // Staff texts through the stores' outbox (in turns on SQLite, never inside another's transaction).
    outbox,
    senderFor: async (id) => (await stores.businesses.byId(id))?.dids[0],
    clock,
    logger,
    metrics,
  });

  const assist = await createAssistWiring(config.assist, { log: stores.assistLog, clock, logger, metrics, ...(opts.assist ? { assist: opts.assist } : {}) });
  const inbound = new InboundMessageHandler(
    { helpContact: config.messaging.helpContact },
    {
      outbox: stores.outbox,
      businesses: stores.businesses,
      clock,
      logger,
      metrics,
      onEnqueued: () => dispatcher.kick(),
      ...(assist ? { routeReply: (ctx, p, text) => assist.guarded.routeReply(ctx, p, text) } : {}),
      // Questions and booking replies reach the on-call staff at once, with the caller's text.
      forward: (r) => notify.notify.notifyReply({ ...r, business: { id: r.business.id, name: r.business.name, timezone: r.business.timezone } }),
    },
  );
  // The SMSC gets its answer once the text's outcome is committed (a failure: an error, and it delivers again).
  gateway.onInbound(async (m) => {
    await inbound.handle(m);
  });

  const recognizer = opts.transcriber ?? createTranscriber(config.speech, { logger, now: () => clock.now() });
  // Load the model now (Whisper's): a missing or broken model is a clear start-up error, not a failed first call.
  await recognizer.warmUp?.();
  const transcriber = withTranscriptionMetrics(recognizer, metrics);
  // A saturated recognizer is loud: a warning, metrics, and `/readyz` speech: degraded (src/speech/README.md).
  const recognizerLoad = watchRecognizerLoad(recognizer, { clock, logger, metrics, readiness });
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

  const engine = await createEngine(config, logger, clock, metrics);
  engine.onStatus((s) => {
    readiness.set(engineLink, s === 'up');
    metrics.connection(engineLink, s === 'up');
    if (s !== 'up') logger.warn({ engine: engine.name, status: s }, 'waiting for the call engine');
  });

  const finishedListeners = new Set<(r: Awaited<ReturnType<CallRunner['run']>>) => void>();
  // A message transcribed after the call's notice went out (it said "pending"): the transcript follows.
  const onLateTranscript = (summary: StaffCallSummary) =>
    summary.business === null ? undefined : notify.notify.notifyTranscript({ ...summary, business: summary.business });
  // Messages the calls could not transcribe (saturated recognizer, a stop): made later, from the call rows.
  const messageBacklog = createMessageBacklog(config, recognizer, {
    callLog: stores.callLog,
    directory: stores.businesses,
    transcriber,
    assessUrgency: (i) => notify.assessUrgency.assess(i),
    onLateTranscript,
    clock,
    logger,
    metrics,
  });
  const runner = createCallRunner({
    engineName: engine.name,
    engineCapabilities: engine.capabilities,
    directory: stores.businesses,
    callLog: stores.callLog,
    consentStore: stores.consent,
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
    ...(assist
      ? {
          assist: {
            beginIntake: (i) => assist.intake.begin(i),
            settledProblem: (callId) => assist.intake.settledProblem(callId),
            refineUnclear: (i) => assist.guarded.refineUnclear({ callId: i.callId, businessId: i.businessId }, 'unclear', i.transcript),
          },
        }
      : {}),
    // Staff hear of every call; never awaited on the call's path. With the assist on, the notification
    // waits for the call's intake (bounded by assist.timeouts.intake) to carry its checked fields.
    onCallEnded: async (summary) => {
      const fields = assist ? await assist.intake.take(summary.callId) : null;
      if (summary.business === null) return undefined;
      return notify.notify.notifyCall({ ...summary, business: summary.business, intake: fields, urgency: raiseUrgency(summary.urgency, fields) });
    },
    onLateTranscript,
    messageBacklog,
  });

  let accepting = true;
  const idleWaiters: Array<() => void> = [];
  const onCall = (call: IncomingCall): void => {
    if (!accepting) {
      handBack(call);
      return;
    }
    void runner.run(call).then((result) => {
      for (const l of finishedListeners) l(result);
      if (runner.active() === 0) for (const w of idleWaiters.splice(0)) w();
    });
  };

  // Draining for a shutdown: the call goes back to the dialplan's fallback (voicemail, the staff),
  // never declined (dialplan/README files). Only if that fails is it hung up, rather than left in limbo.
  const handBack = (call: IncomingCall): void => {
    logger.info({ channelId: call.leg.id }, 'call handed back to the dialplan: service is shutting down');
    call.leg.release('draining').catch((e: unknown) => {
      if (isAppError(e, 'TELEPHONY.CHANNEL_GONE')) return;
      logger.warn({ channelId: call.leg.id, err: (e as Error).message }, 'could not hand the call back to the dialplan; hanging up');
      return call.leg.hangup();
    }).catch(() => undefined);
  };

  const purge = createRecordingPurge({ store: stores.retention, config, logger });
  const daily = opts.retention === false ? null : scheduleDailyPurge({ clock, logger, run: () => purge({ dryRun: false }) });

  const readinessWithAccepting = (): Record<string, boolean | 'degraded'> => ({ ...readiness.snapshot(), accepting });
  // The web console (sign-in required) on the admin port, and beside it the public opt-in pages
  // (/optin/*); src/http/README.md lists the routes that need no session.
  // SQLite: its own connection, so a console write never lands inside the stores' open transaction
  // (console-wiring.ts). PostgreSQL: the node's pool and stores, the tables every node shares (pg-console-wiring.ts).
  const consoleParts = { config, clock, logger, readiness: readinessWithAccepting, decisionLatency: () => metrics.decisionLatencyBuckets(), engineName: engine.name };
  const consoleDb = db === null || turns === null ? null : openConsoleConnection(config.database.path, db, turns);
  const consoleDeps = consoleDb !== null
    ? createConsoleWiring({ ...consoleParts, db: consoleDb.db, turns: consoleDb.turns, watchLedger: (s) => signing.watch(s) })
    : pgDb !== null
      ? createPgConsoleWiring({ ...consoleParts, pool: pgDb.pool, stores, nodeId: pgDb.nodeId })
      : null;
  const admin = new AdminHttpServer(config.admin, {
    readiness: readinessWithAccepting,
    metrics: metrics.registry,
    logger,
    plugins: [
      ...(consoleDeps === null ? [] : [consolePlugin(consoleDeps, { secureCookies: config.admin.trustProxy })]),
      optInPlugin({ businesses: stores.businesses, settings: programSettings(config) }),
    ],
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
      { name: 'prompt-refresh', stop: () => promptRefresh.stop() },
      { name: 'replies', stop: () => inbound.settled() },
      // Stops taking messages (its current one is stored and handed on); what is pending waits for the next start.
      { name: 'message-backlog', stop: () => messageBacklog.stop() },
      // Before notify: messages still in the recognizer's line finish and their late transcripts are
      // stored and reach the staff (`runner.settled`: the stores answer later) before notify drains.
      { name: 'transcriber', stop: async () => { recognizerLoad?.close(); await transcriber.close(); await runner.settled(); } },
      { name: 'notify', stop: async () => { await notify.notify.drain(); notify.close(); } },
      { name: 'outbox', stop: async () => { await dispatcher.stop(); await outboxWriter?.close(); } },
      { name: 'smpp', stop: () => gateway.stop() },
      { name: 'admin-http', stop: () => admin.close() },
      { name: 'ledger-signing', stop: () => signing.stop() },
      {
        name: 'database',
        stop: async () => {
          consoleDb?.close();
          await wakeups?.close();
          db?.close();
          await pgDb?.close();
          releaseLock();
        },
      },
    ],
    // Businesses and templates are read from the database for every call and text, so a reload has
    // nothing to rebuild; it re-checks the database and says so.
    reload: async () => {
      logger.info({ businesses: (await stores.businesses.list()).length }, 'reloaded businesses and templates');
      void warmAllPrompts();
    },
    drainTimeoutMs: config.call.drainTimeoutMs,
    // An interrupted call may still be transcribing an answer the caller gave (bounded at 30 s by
    // transcribeAnswerTimeoutMs); its decision and call row must be written before the database closes.
    interruptTimeoutMs: INTERRUPT_TIMEOUT_MS,
  });

  // Every business's prompts exist before the engine offers calls, again on SIGHUP, and every minute, so
  // that a business added with the CLI while the service runs never has its prompts synthesized on a
  // caller's first call (synthesis holds the event loop). A prompt already made costs a file lookup.
  const warmAllPrompts = async (quiet = false): Promise<void> => {
    const report = await warmPrompts(prompts, await stores.businesses.list());
    for (const f of report.failures) logger.error({ businessId: f.businessId, prompt: f.key, err: f.error }, 'prompt could not be synthesized');
    (quiet ? logger.debug : logger.info).call(logger, { prompts: report.prompts, failed: report.failures.length }, 'prompts ready');
  };
  await warmAllPrompts();
  const promptRefresh = repeatEvery(clock, PROMPT_REFRESH_MS, () =>
    warmAllPrompts(true).catch((e: unknown) => logger.warn({ err: (e as Error).message }, 'prompt refresh failed')),
  );

  // The dispatcher first: it recovers texts left in flight (committed before serve is up: with the writer
  // thread that is a round trip to a thread still starting) and registers for receipts before the bind.
  await dispatcher.start();
  signing.start();
  void gateway.start().catch((e: unknown) => {
    logger.error({ err: (e as Error).message }, 'SMPP gateway refused the bind: check smpp.systemId and smpp.password');
  });
  void engine.start(onCall).catch((e: unknown) => {
    logger.error({ err: (e as Error).message }, 'call engine failed to start');
  });
  messageBacklog.start();
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
    warmPrompts: warmAllPrompts,
  };
}

/** serve's database: SQLite (migrated, its ledger signed) or PostgreSQL (migrated, this node's name held). */
async function openStores(
  config: Config,
  clock: Clock,
  logger: Logger,
): Promise<{ db: SqliteDb | null; turns: ConnectionTurns | null; pgDb: PgServeDatabase | null; signing: LedgerSigning; stores: ServeStores }> {
  if (config.database.kind === 'postgres') {
    const pgDb = await openPgServeDatabase(config.database, { clock, logger });
    try {
      // This node signs the one chain with its own key into its own file (src/store/postgres/README.md, "The ledger").
      const signing = await openPgLedgerSigning({ config, pool: pgDb.pool, nodeId: pgDb.nodeId, clock, logger });
      return { db: null, turns: null, pgDb, signing, stores: { ...pgDb.stores, consent: signing.watchAsync(pgDb.stores.consent) } };
    } catch (e) {
      await pgDb.close();
      throw e;
    }
  }
  const db = openDatabase(config.database.path);
  try {
    const applied = migrate(db);
    if (applied.length > 0) logger.info({ versions: applied.map((m) => m.version) }, 'database migrated');
    // Signs the ledger head now and then, with a key outside the database (src/store/README.md).
    const signing = openLedgerSigning({ config, db, clock, logger });
    // The stores' turns are named so that a console sharing the connection (`:memory:`) takes them too.
    const turns = new ConnectionTurns();
    return { db, turns, pgDb: null, signing, stores: sqliteServeStores(db, { clock, consent: signing.watch(new SqliteConsentStore(db, clock)), turns }) };
  } catch (e) {
    db.close();
    throw e;
  }
}

/** What the public opt-in pages say about the program beyond each business (src/compliance/README.md). */
function programSettings(config: Config): { helpContact: string | undefined } {
  return { helpContact: config.messaging.helpContact };
}

/** The service's SQLite connection, for the demo and tests that read it; a service on PostgreSQL has none. */
export function sqliteDbOf(service: Pick<Service, 'db'>): SqliteDb {
  if (service.db === null) throw new Error('this service runs on PostgreSQL: it has no SQLite connection');
  return service.db;
}
