import { existsSync } from 'node:fs';
import { AppError } from '../domain/errors.ts';
import type { ServeStores } from '../compose/serve-stores.ts';
import type { AsyncCallHistory } from '../domain/ports/async-stores.ts';
import { ConnectionTurns, inTurns } from '../store/sqlite-async-stores.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteCallHistory } from '../store/sqlite-call-history.ts';
import { SqliteConsentStore } from '../store/sqlite-consent-store.ts';
import { migrate, openDatabase, pendingMigrations, type SqliteDb } from '../store/sqlite-database.ts';
import type { CliContext } from './cli-context.ts';

export interface CliStore {
  readonly db: SqliteDb;
  readonly consent: SqliteConsentStore;
  readonly businesses: SqliteBusinessDirectory;
  close(): void;
}

/**
 * Opens the database for one CLI command. Commands that write bring the schema up to date first
 * (migrations are idempotent, so an installer's first `business add` works on a fresh path); `mustExist`
 * makes a mistyped `--db` fail instead of creating a file. Read-only commands (`verify`, `export`, `show`,
 * `evidence`, the lists) pass `readonly`: the file is opened read-only and never created or migrated, a
 * missing one is one line, and a schema older than this build is one line asking for `db migrate`.
 * Either way a file that is not a callkeeper database is refused before anything is written
 * (openDatabase).
 */
export function openCliStore(ctx: CliContext, opts: { mustExist?: boolean; readonly?: boolean } = {}): CliStore {
  const path = ctx.dbPath();
  if ((opts.mustExist || opts.readonly) && path !== ':memory:' && !existsSync(path)) {
    throw new AppError('INPUT.NOT_FOUND', `no database at ${path} (check --db / CALLKEEPER_DB, or run: callkeeper db migrate)`);
  }
  const db = openDatabase(path, { readonly: opts.readonly ?? false });
  try {
    if (opts.readonly) {
      const pending = pendingMigrations(db);
      if (pending.length > 0) {
        throw new AppError('STORE.SCHEMA_OUTDATED', `database ${path} lacks ${pending.length} schema migration(s) this callkeeper needs (run: callkeeper db migrate)`);
      }
    } else {
      migrate(db);
    }
  } catch (e) {
    db.close();
    throw e;
  }
  return { db, consent: new SqliteConsentStore(db), businesses: new SqliteBusinessDirectory(db), close: () => db.close() };
}

/** Runs `fn` with the store open and always closes it (the WAL is checkpointed on close). */
export async function withCliStore<T>(ctx: CliContext, opts: { mustExist?: boolean; readonly?: boolean }, fn: (s: CliStore) => T | Promise<T>): Promise<T> {
  const store = openCliStore(ctx, opts);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}

/**
 * The stores the commands that run on SQLite and PostgreSQL alike work with, behind the async ports
 * (src/domain/ports/async-*.ts): one action's code for either kind. They are serve's stores
 * (src/compose/serve-stores.ts), plus the call history `calls list|show` read.
 */
export interface CliStores extends ServeStores {
  readonly calls: AsyncCallHistory;
}

/**
 * Runs `fn` on the command's database (`ctx.database()`), opened as `withCliStore` opens a SQLite file
 * (same options, same errors), or the configured PostgreSQL (src/cli/cli-pg-store.ts, imported only then).
 * The SQLite stores take turns on their one connection (sqlite-async-stores.ts), as serve's do.
 */
export async function withCliStores<T>(ctx: CliContext, opts: { mustExist?: boolean; readonly?: boolean }, fn: (s: CliStores) => Promise<T>): Promise<T> {
  const db = ctx.database();
  if (db.kind === 'postgres') {
    const { withCliPgStore } = await import('./cli-pg-store.ts');
    return withCliPgStore(db.settings, { readonly: opts.readonly ?? false }, ({ stores, calls }) => fn({ ...stores, calls }));
  }
  // Imported here: serve-stores.ts brings the PostgreSQL driver, which the SQLite-only commands this
  // file serves too (`consent export`: bench/export.bench.ts) should not load.
  const [{ sqliteServeStores }, { createSystemClock }] = await Promise.all([import('../compose/serve-stores.ts'), import('../app/system-clock.ts')]);
  return withCliStore(ctx, opts, (s) => {
    const turns = new ConnectionTurns();
    const stores = sqliteServeStores(s.db, { clock: createSystemClock(), consent: s.consent, turns });
    return fn({ ...stores, calls: inTurns(new SqliteCallHistory(s.db), turns) });
  });
}
