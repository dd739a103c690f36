import { existsSync } from 'node:fs';
import { AppError } from '../domain/errors.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
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
