import { LedgerCheckpointer } from '../app/consent/ledger-checkpointer.ts';
import type { Config } from '../config/config-schema.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ConsentStore } from '../domain/ports/consent-store.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { FsCheckpointLog } from '../store/fs-checkpoint-log.ts';
import { ensureSigningKey, type LedgerKeyFiles } from '../store/fs-ledger-key.ts';
import { SqliteLedgerChainReader } from '../store/sqlite-ledger-chain-reader.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';

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

export interface LedgerSigning {
  /** The store, with every append reported to the checkpointer. */
  watch(store: ConsentStore): ConsentStore;
  /** Starts the interval trigger (with the service's other workers, once nothing can fail the start). */
  start(): void;
  /** The shutdown checkpoint; call before the database closes. */
  stop(): void;
}

/** No signing: `ledger.signing: false`, an in-memory database, and PostgreSQL (its checkpoints are not kept yet). */
export const LEDGER_SIGNING_OFF: LedgerSigning = { watch: (s) => s, start: () => undefined, stop: () => undefined };
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
  const { key, created } = ensureSigningKey(paths);
  if (created) {
    logger.warn({ keyId: key.id, keyFile: paths.keyFile, publicKeyFile: paths.publicKeyFile }, 'ledger signing key created: copy the public key off this machine (README: the consent ledger)');
  }
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
    start: () => checkpointer.startTimer(),
    stop: () => void checkpointer.stop(),
  };
}
