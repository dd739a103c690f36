import type pg from 'pg';
import { pgDatabaseTarget } from '../compose/pg-database-target.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import { openPgPool } from '../store/postgres/pg-database.ts';
import { migratePg, pendingPgMigrations } from '../store/postgres/pg-migrate.ts';

/** One admin command's statements run one after another: two connections leave room for the migration lock's. */
const CLI_POOL_MAX = 2;

export interface CliPgPool {
  readonly pool: pg.Pool;
  /** `host:port/database`, safe to print. */
  readonly where: string;
  /** Migrations applied when opening (`readonly: false`), else empty. */
  readonly applied: readonly string[];
}

/**
 * The configured PostgreSQL database for one admin command (src/store/postgres/README.md, "The admin CLI
 * on PostgreSQL"), as openCliStore opens a SQLite file: commands that write bring the schema up to date
 * first (migratePg, under Kysely's lock, so beside running nodes too); read-only ones never migrate and
 * ask for `db migrate` when the schema is behind this build. Errors are one line naming host and
 * database, never the password (the URL's or database.password's). Apart from cli-pg-store.ts so that
 * `consent export`, which needs only the pool, does not load every store at start-up.
 */
export async function openCliPgPool(settings: Config['database'], opts: { readonly: boolean }): Promise<CliPgPool> {
  const target = pgDatabaseTarget(settings);
  // An idle connection's failure would otherwise end the process; the command's next query reports it.
  const pool = openPgPool({ connectionString: target.connectionString }, { max: CLI_POOL_MAX, onIdleError: () => undefined, connectTimeoutMs: 10_000 });
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
    throw scrubbedPgError(e, target, 'STORE.UNREACHABLE');
  }
  return { pool, where: target.where, applied };
}

/** Runs `fn` with the pool open and always ends it; a driver's error comes out as one line without the password. */
export async function withCliPgPool<T>(settings: Config['database'], opts: { readonly: boolean }, fn: (p: CliPgPool) => Promise<T>): Promise<T> {
  const p = await openCliPgPool(settings, opts);
  try {
    return await fn(p);
  } catch (e) {
    throw scrubbedPgError(e, pgDatabaseTarget(settings), 'INTERNAL');
  } finally {
    await p.pool.end();
  }
}

/**
 * An AppError with the password taken out of its message (a driver's text can quote the URL); any other
 * error (the driver's own: refused, authentication, a lost connection) as `code`, naming host and database.
 */
export function scrubbedPgError(e: unknown, target: { where: string; scrub(s: string): string }, code: 'STORE.UNREACHABLE' | 'INTERNAL'): AppError {
  if (isAppError(e)) return e.message === target.scrub(e.message) ? e : new AppError(e.code, target.scrub(e.message), { cause: e, retryable: e.retryable });
  return new AppError(code, `PostgreSQL at ${target.where}: ${target.scrub(e instanceof Error ? e.message : String(e))}`, { cause: e });
}
