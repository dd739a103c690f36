import type pg from 'pg';
import { createSystemClock } from '../app/system-clock.ts';
import { pgDatabaseTarget } from '../compose/pg-database-target.ts';
import { pgServeStores, type ServeStores } from '../compose/serve-stores.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import type { AsyncConsentLedger } from '../domain/ports/async-consent-ledger.ts';
import { PgCallHistory } from '../store/postgres/pg-call-history.ts';
import { PgConsentStore } from '../store/postgres/pg-consent-store.ts';
import { openPgPool } from '../store/postgres/pg-database.ts';
import { migratePg, pendingPgMigrations } from '../store/postgres/pg-migrate.ts';

/**
 * The outbox claims' node name for the CLI's stores. The CLI never claims texts (only `serve` dispatches),
 * so it needs no name of its own and takes no node lock: it runs beside the nodes, as it does beside a
 * SQLite `serve`.
 */
const CLI_NODE_ID = 'cli';

/** One admin command's statements run one after another: two connections leave room for the migration lock's. */
const CLI_POOL_MAX = 2;

export interface CliPgStore {
  readonly stores: ServeStores;
  /** `calls list|show`'s reader, which serve does not need. */
  readonly calls: PgCallHistory;
  /** The ledger's admin side (`verify`), which ServeStores' consent port leaves out. */
  readonly ledger: AsyncConsentLedger;
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
  const target = pgDatabaseTarget(settings);
  // An idle connection's failure would otherwise end the process; the command's next query reports it.
  const pool = openPgPool({ connectionString: target.connectionString }, { max: CLI_POOL_MAX, onIdleError: () => undefined });
  let applied: string[] = [];
  try {
    // Connect first: a refused connection or login is then this one line, not the migration runner's.
    (await pool.connect()).release();
    if (opts.readonly) {
      const pending = await pendingPgMigrations(pool);
      if (pending.length > 0) {
        throw new AppError('STORE.SCHEMA_OUTDATED', `database ${target.where} lacks ${pending.length} schema migration(s) this callkeeper needs (run: callkeeper db migrate)`);
      }
    } else {
      applied = await migratePg(pool);
    }
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw scrubbed(e, target, 'STORE.UNREACHABLE');
  }
  const clock = createSystemClock();
  return {
    stores: pgServeStores(pool, { clock, nodeId: CLI_NODE_ID }),
    ledger: new PgConsentStore(pool, clock),
    calls: new PgCallHistory(pool),
    where: target.where,
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
    throw scrubbed(e, pgDatabaseTarget(settings), 'INTERNAL');
  } finally {
    await store.close();
  }
}

/**
 * An AppError with the password taken out of its message (a driver's text can quote the URL); any other
 * error (the driver's own: refused, authentication, a lost connection) as `code`, naming host and database.
 */
function scrubbed(e: unknown, target: { where: string; scrub(s: string): string }, code: 'STORE.UNREACHABLE' | 'INTERNAL'): AppError {
  if (isAppError(e)) return e.message === target.scrub(e.message) ? e : new AppError(e.code, target.scrub(e.message), { cause: e, retryable: e.retryable });
  return new AppError(code, `PostgreSQL at ${target.where}: ${target.scrub(e instanceof Error ? e.message : String(e))}`, { cause: e });
}
