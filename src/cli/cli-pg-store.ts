import { createSystemClock } from '../app/system-clock.ts';
import { pgDatabaseTarget } from '../compose/pg-database-target.ts';
import { pgNodeId } from '../compose/pg-node-id.ts';
import { pgServeStores, type ServeStores } from '../compose/serve-stores.ts';
import type { Config } from '../config/config-schema.ts';
import type { AsyncConsentLedger } from '../domain/ports/async-consent-ledger.ts';
import { PgCallHistory } from '../store/postgres/pg-call-history.ts';
import { PgCallRecordReader } from '../store/postgres/pg-call-record-reader.ts';
import { PgConsoleAccounts } from '../store/postgres/pg-console-accounts.ts';
import { PgConsentStore } from '../store/postgres/pg-consent-store.ts';
import { PgLedgerChainReader } from '../store/postgres/pg-ledger-chain-reader.ts';
import { openCliPgPool, scrubbedPgError } from './cli-pg-pool.ts';

/**
 * The outbox claims' node name for the CLI's stores. The CLI never claims texts (only `serve` dispatches),
 * so it needs no name of its own and takes no node lock: it runs beside the nodes, as it does beside a
 * SQLite `serve`.
 */
const CLI_NODE_ID = 'cli';

export interface CliPgStore {
  readonly stores: ServeStores;
  /** `calls list|show`'s reader, which serve does not need. */
  readonly calls: PgCallHistory;
  /** `consent evidence`'s call rows, every column as stored. */
  readonly callRecords: PgCallRecordReader;
  /** The ledger's admin side (`verify`, `record`, `appendAll`), which ServeStores' consent port leaves out. */
  readonly ledger: AsyncConsentLedger;
  /** The reads behind signed checkpoints (`consent verify` against them, `ledger checkpoint`). */
  readonly chain: PgLedgerChainReader;
  /** `user add|list|remove|passwd`: the web console's users, shared by every node. */
  readonly consoleAccounts: PgConsoleAccounts;
  /** `host:port/database`, safe to print. */
  readonly where: string;
  /** Migrations applied when opening (`migrate: true`), else empty. */
  readonly applied: readonly string[];
  close(): Promise<void>;
}

/**
 * The configured PostgreSQL database for one admin command (src/store/postgres/README.md, "The admin CLI
 * on PostgreSQL"), as openCliStore opens a SQLite file: commands that write bring the schema up to date
 * first (migratePg, under Kysely's lock, so beside running nodes too); read-only ones never migrate and
 * ask for `db migrate` when the schema is behind this build. Errors are one line naming host and
 * database, never the password (the URL's or database.password's).
 */
export async function openCliPgStore(settings: Config['database'], opts: { readonly: boolean }): Promise<CliPgStore> {
  const { pool, where, applied } = await openCliPgPool(settings, opts);
  const clock = createSystemClock();
  return {
    // `purge` on this host lists the calls this host's node took: their recordings are here.
    stores: pgServeStores(pool, { clock, nodeId: CLI_NODE_ID, callNode: pgNodeId(settings) }),
    ledger: new PgConsentStore(pool, clock),
    chain: new PgLedgerChainReader(pool),
    consoleAccounts: new PgConsoleAccounts(pool),
    calls: new PgCallHistory(pool),
    callRecords: new PgCallRecordReader(pool),
    where,
    applied,
    close: () => pool.end(),
  };
}

/** Runs `fn` with the database open and always ends the pool; a driver's error comes out as one line without the password. */
export async function withCliPgStore<T>(settings: Config['database'], opts: { readonly: boolean }, fn: (s: CliPgStore) => Promise<T>): Promise<T> {
  const store = await openCliPgStore(settings, opts);
  try {
    return await fn(store);
  } catch (e) {
    throw scrubbedPgError(e, pgDatabaseTarget(settings), 'INTERNAL');
  } finally {
    await store.close();
  }
}
