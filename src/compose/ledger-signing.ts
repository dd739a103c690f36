import { dirname, join } from 'node:path';
import type pg from 'pg';
import { AsyncLedgerCheckpointer } from '../app/consent/async-ledger-checkpointer.ts';
import { LedgerCheckpointer } from '../app/consent/ledger-checkpointer.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import type { AsyncConsentStore } from '../domain/ports/async-consent-ledger.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ConsentStore } from '../domain/ports/consent-store.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { FsCheckpointLog } from '../store/fs-checkpoint-log.ts';
import { ensureSigningKey, type LedgerKeyFiles } from '../store/fs-ledger-key.ts';
import { PgLedgerChainReader } from '../store/postgres/pg-ledger-chain-reader.ts';
import { SqliteLedgerChainReader } from '../store/sqlite-ledger-chain-reader.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { pgNodeId } from './pg-node-id.ts';

export interface LedgerSigningPaths extends LedgerKeyFiles {
  readonly checkpointsFile: string;
}

/** The configured paths, else beside the database: `<db>.ledger-key`, `<db>.ledger-key.pub`, `<db>.checkpoints`. */
export function ledgerSigningPaths(ledger: Config['ledger'], dbPath: string): LedgerSigningPaths {
  const keyFile = ledger.keyFile ?? `${dbPath}.ledger-key`;
  return {
    keyFile,
    publicKeyFile: ledger.publicKeyFile ?? `${keyFile}.pub`,
    checkpointsFile: ledger.checkpointsFile ?? `${dbPath}.checkpoints`,
  };
}

/**
 * On PostgreSQL each node signs the one chain with its own key into its own checkpoint file, kept in
 * the node's data directory (the directory of database.path, `./data` by default) under the node's
 * name: `<dir>/<nodeId>.ledger-key`, `.ledger-key.pub`, `<dir>/<nodeId>.checkpoints`, unless
 * `ledger.keyFile`/`checkpointsFile` say otherwise (src/store/postgres/README.md, "The ledger").
 */
export function pgLedgerSigningPaths(config: Pick<Config, 'ledger' | 'database'>, nodeId = pgNodeId(config.database)): LedgerSigningPaths {
  return ledgerSigningPaths(config.ledger, join(dirname(config.database.path), nodeId));
}

export interface LedgerSigning {
  /** SQLite's synchronous store, with every append reported to the checkpointer. */
  watch(store: ConsentStore): ConsentStore;
  /** The same for a store behind the async port: reported once the append has resolved (is committed). */
  watchAsync(store: AsyncConsentStore): AsyncConsentStore;
  /** Starts the interval trigger (with the service's other workers, once nothing can fail the start). */
  start(): void;
  /** The shutdown checkpoint; call before the database closes. */
  stop(): Promise<void>;
}

/** No signing: `ledger.signing: false` and an in-memory database. */
export const LEDGER_SIGNING_OFF: LedgerSigning = { watch: (s) => s, watchAsync: (s) => s, start: () => undefined, stop: () => Promise.resolve() };
const OFF = LEDGER_SIGNING_OFF;

/**
 * `serve`'s ledger signing: loads the key (creating it on first use; a key others may read
 * fails the start) and signs the head now; `start()` then arms the interval, and appends and `stop()`
 * do the rest. Off with `ledger.signing: false` and for an in-memory database (nothing outlives it).
 */
export function openLedgerSigning(deps: { config: Config; db: SqliteDb; clock: Clock; logger: Logger }): LedgerSigning {
  const { config, db, logger } = deps;
  if (!config.ledger.signing || config.database.path === ':memory:') return OFF;
  const paths = ledgerSigningPaths(config.ledger, config.database.path);
  const { key, created } = loadKey(paths, logger);
  const checkpointer = new LedgerCheckpointer(
    { everyRecords: config.ledger.checkpointEveryRecords, intervalMs: config.ledger.checkpointIntervalMs },
    {
      chain: new SqliteLedgerChainReader(db),
      log: new FsCheckpointLog(paths.checkpointsFile),
      key,
      keyCreated: created,
      clock: deps.clock,
      logger: logger.child({ component: 'ledger-signing' }),
    },
  );
  checkpointer.checkpoint('start');
  return {
    watch: (store) => ({
      append(event) {
        const stored = store.append(event);
        checkpointer.noteAppended();
        return stored;
      },
      appendUnless(event, refuse) {
        const stored = store.appendUnless(event, refuse);
        if (stored) checkpointer.noteAppended();
        return stored;
      },
      latest: (businessId, consumer) => store.latest(businessId, consumer),
      current: (businessId, consumer) => store.current(businessId, consumer),
      history: (consumer, businessId) => store.history(consumer, businessId),
    }),
    watchAsync: (store) => watchedAsync(store, () => checkpointer.noteAppended()),
    start: () => checkpointer.startTimer(),
    stop: () => {
      checkpointer.stop();
      return Promise.resolve();
    },
  };
}

/**
 * `serve`'s ledger signing on PostgreSQL: this node's key (created on first use, as on SQLite) and
 * checkpoint file (pgLedgerSigningPaths), the start checkpoint signed before it resolves. The checkpoints
 * cover the whole chain, every node's records; the ledger's advisory lock keeps appends out while one is
 * taken (src/store/postgres/pg-ledger-chain-reader.ts).
 */
export async function openPgLedgerSigning(deps: { config: Config; pool: pg.Pool; nodeId: string; clock: Clock; logger: Logger }): Promise<LedgerSigning> {
  const { config, logger } = deps;
  if (!config.ledger.signing) return OFF;
  const paths = pgLedgerSigningPaths(config, deps.nodeId);
  const { key, created } = loadKey(paths, logger);
  const checkpointer = new AsyncLedgerCheckpointer(
    { everyRecords: config.ledger.checkpointEveryRecords, intervalMs: config.ledger.checkpointIntervalMs },
    {
      chain: new PgLedgerChainReader(deps.pool),
      log: new FsCheckpointLog(paths.checkpointsFile),
      key,
      keyCreated: created,
      clock: deps.clock,
      logger: logger.child({ component: 'ledger-signing', nodeId: deps.nodeId }),
    },
  );
  await checkpointer.checkpoint('start');
  return {
    watch: () => {
      throw new AppError('INTERNAL', 'a node on PostgreSQL has no synchronous consent store to watch');
    },
    watchAsync: (store) => watchedAsync(store, () => checkpointer.noteAppended()),
    start: () => checkpointer.startTimer(),
    stop: async () => {
      await checkpointer.stop();
    },
  };
}

function loadKey(paths: LedgerSigningPaths, logger: Logger): ReturnType<typeof ensureSigningKey> {
  const loaded = ensureSigningKey(paths);
  if (loaded.created) {
    logger.warn({ keyId: loaded.key.id, keyFile: paths.keyFile, publicKeyFile: paths.publicKeyFile }, 'ledger signing key created: copy the public key off this machine (README: the consent ledger)');
  }
  return loaded;
}

/** `store` with each committed append reported (`noted`); a refused `appendUnless` appended nothing. */
function watchedAsync(store: AsyncConsentStore, noted: () => void): AsyncConsentStore {
  return {
    async append(event) {
      const stored = await store.append(event);
      noted();
      return stored;
    },
    async appendUnless(event, refuse) {
      const stored = await store.appendUnless(event, refuse);
      if (stored) noted();
      return stored;
    },
    latest: (businessId, consumer) => store.latest(businessId, consumer),
    current: (businessId, consumer) => store.current(businessId, consumer),
    history: (consumer, businessId) => store.history(consumer, businessId),
  };
}
