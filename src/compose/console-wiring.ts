import { tmpdir } from 'node:os';
import { verifyLedger } from '../app/consent/verify-ledger.ts';
import type { Config } from '../config/config-schema.ts';
import type { ConsoleDeps } from '../console/console-deps.ts';
import { isAppError } from '../domain/errors.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ConsentStore } from '../domain/ports/consent-store.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { FsEvidenceWriter } from '../store/fs-evidence-writer.ts';
import { FsRecordingReader } from '../store/fs-recording-reader.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteCallHistory } from '../store/sqlite-call-history.ts';
import { SqliteCallRecordReader } from '../store/sqlite-call-record-reader.ts';
import { SqliteConsentStore } from '../store/sqlite-consent-store.ts';
import { SqliteConsoleAccounts } from '../store/sqlite-console-accounts.ts';
import { SqliteConsoleStats } from '../store/sqlite-console-stats.ts';
import { openDatabase, type SqliteDb } from '../store/sqlite-database.ts';
import { SqliteMessageLog } from '../store/sqlite-message-log.ts';
import { SqliteOutbox } from '../store/sqlite-outbox.ts';
import { ConnectionTurns, inTurns, sqliteAsyncStores } from '../store/sqlite-async-stores.ts';
import { SqliteStaffStore } from '../store/sqlite-staff-store.ts';
import { checkpointInput } from './ledger-verify-input.ts';
import { recordingRoots } from './recording-purge.ts';

/**
 * The console's own connection to serve's database. The app's stores share serve's connection in turns
 * (src/store/sqlite-async-stores.ts), and an outbox `atomically` holds a transaction open on it across
 * awaits: a console write made directly on that connection meanwhile (a revocation, a staff change, a
 * sign-in) would join that transaction and be committed or rolled back with it, and a read would see what
 * it has not committed. On its own connection a console write takes SQLite's write lock for itself
 * (busy_timeout, sqlite-database.ts): it commits on its own, or is refused (SQLITE_BUSY), never taken
 * into another transaction (test/compose/console-connection.test.ts). `:memory:` is one database per
 * connection, so there the console keeps the shared one.
 */
export function openConsoleConnection(
  path: string,
  shared: SqliteDb,
  sharedTurns: ConnectionTurns,
): { readonly db: SqliteDb; readonly turns: ConnectionTurns; close(): void } {
  // On the shared connection the console's revocation transaction (`atomically`) takes serve's turns, so
  // that neither opens a transaction inside the other's.
  if (path === ':memory:') return { db: shared, turns: sharedTurns, close: () => {} };
  const db = openDatabase(path);
  return { db, turns: new ConnectionTurns(), close: () => db.close() };
}

/** What both wirings take from `serve` (or a test) beside the database. */
export interface ConsoleServiceParts {
  config: Config;
  clock: Clock;
  logger?: Logger;
  readiness?: () => Record<string, boolean | 'degraded'>;
  decisionLatency?: () => Promise<Array<{ le: string; count: number }>>;
  engineName: string;
}

/** The console's parts that are not in the database: files, the service's health, the clock. */
export function consoleServiceDeps(opts: ConsoleServiceParts): Pick<
  ConsoleDeps,
  'evidenceWriter' | 'scratchDir' | 'recordings' | 'readiness' | 'decisionLatency' | 'engineName' | 'programSettings' | 'clock' | 'logger'
> {
  const roots = recordingRoots(opts.config);
  return {
    evidenceWriter: new FsEvidenceWriter({ sourceRoots: roots }),
    scratchDir: tmpdir(),
    recordings: new FsRecordingReader({ roots }),
    readiness: opts.readiness ?? (() => ({})),
    decisionLatency: opts.decisionLatency ?? (async () => []),
    engineName: opts.engineName,
    programSettings: { helpContact: opts.config.messaging.helpContact },
    clock: opts.clock,
    ...(opts.logger ? { logger: opts.logger } : {}),
  };
}

/**
 * The console's ports on SQLite: the same adapters the CLI's `calls`, `consent`, `messages`, `optout`,
 * `business` and `staff` commands use (src/console/README.md), each behind its async port in turns on
 * the console's connection, so that no console statement lands inside a revocation's open transaction
 * there. PostgreSQL: pg-console-wiring.ts.
 */
export function createConsoleWiring(opts: ConsoleServiceParts & {
  db: SqliteDb;
  /** The connection's turns (openConsoleConnection); default: turns of its own. */
  turns?: ConnectionTurns;
  /** The service's signing watch (ledger-signing.ts), so a revocation made here counts toward the next checkpoint. */
  watchLedger?: (s: ConsentStore) => ConsentStore;
}): ConsoleDeps {
  const { db, config, clock } = opts;
  const base = new SqliteConsentStore(db, clock);
  const watched = opts.watchLedger?.(base) ?? base;
  const turns = opts.turns ?? new ConnectionTurns();
  // The watched ledger: a revocation made here counts toward the next signed checkpoint.
  const { outbox } = sqliteAsyncStores(db, watched, new SqliteOutbox(db, { clock }), turns);
  const accounts = new SqliteConsoleAccounts(db, clock);
  const businesses = inTurns(new SqliteBusinessDirectory(db, clock), turns);
  return {
    ...consoleServiceDeps(opts),
    accounts: inTurns(accounts, turns),
    sessions: inTurns(accounts, turns),
    calls: inTurns(new SqliteCallHistory(db), turns),
    callRecords: inTurns(new SqliteCallRecordReader(db), turns),
    ledger: inTurns(base, turns),
    revocation: { outbox, businesses },
    verifyLedger: () =>
      turns.run(() => {
        // `consent verify`'s inputs: the checkpoints and public key beside the database.
        let input;
        try {
          input = checkpointInput(config, config.database.path);
        } catch (e) {
          if (!isAppError(e)) throw e;
          input = { kind: 'none' as const, why: e.message };
        }
        return verifyLedger(base, input);
      }),
    messages: inTurns(new SqliteMessageLog(db), turns),
    businesses,
    staff: inTurns(new SqliteStaffStore(db, { clock }), turns),
    stats: inTurns(new SqliteConsoleStats(db), turns),
  };
}
