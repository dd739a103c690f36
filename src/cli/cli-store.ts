import { existsSync } from 'node:fs';
import { AppError } from '../domain/errors.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from '../store/sqlite-database.ts';
import type { CliContext } from './cli-context.ts';

export interface CliStore {
  readonly db: SqliteDb;
  readonly consent: SqliteConsentStore;
  readonly businesses: SqliteBusinessDirectory;
  close(): void;
}

/**
 * Opens the database for one CLI command and brings its schema up to date (migrations are idempotent,
 * so an installer's first `business add` works on a fresh path). Read-only commands (`verify`, `export`,
 * `show`, `list`) pass `mustExist`, so that a mistyped `--db` fails instead of verifying an empty file.
 */
export function openCliStore(ctx: CliContext, opts: { mustExist?: boolean } = {}): CliStore {
  const path = ctx.dbPath();
  if (opts.mustExist && path !== ':memory:' && !existsSync(path)) {
    throw new AppError('INPUT.NOT_FOUND', `no database at ${path} (check --db / CALLKEEPER_DB, or run: callkeeper db migrate)`);
  }
  const db = openDatabase(path);
  try {
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return { db, consent: new SqliteConsentStore(db), businesses: new SqliteBusinessDirectory(db), close: () => db.close() };
}

/** Runs `fn` with the store open and always closes it (the WAL is checkpointed on close). */
export async function withCliStore<T>(ctx: CliContext, opts: { mustExist?: boolean }, fn: (s: CliStore) => T | Promise<T>): Promise<T> {
  const store = openCliStore(ctx, opts);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
