import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../store/sqlite-consent-store.ts';
import { migrate, openDatabase, pendingMigrations, type SqliteDb } from '../store/sqlite-database.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

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

export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('the SQLite database');
  db.command('migrate')
    .description('create the database if needed (mode 0600) and apply pending schema migrations; safe to run again')
    .option('--json', 'print the applied migrations as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper --db /var/lib/callkeeper/callkeeper.db db migrate')
    .action((opts: { json?: boolean }) => {
      const path = ctx.dbPath();
      const handle = openDatabase(path);
      try {
        const applied = migrate(handle);
        const version = handle.prepare('SELECT max(version) FROM schema_migrations').pluck().get() as number | null;
        if (opts.json) {
          writeLine(ctx.stdout, JSON.stringify({ path, applied: applied.map((m) => ({ version: m.version, name: m.name })), version, pending: pendingMigrations(handle).length }));
        } else if (applied.length === 0) {
          writeLine(ctx.stdout, `up to date: schema version ${version ?? 0} (${path})`);
        } else {
          for (const m of applied) writeLine(ctx.stdout, `applied ${String(m.version).padStart(3, '0')} ${m.name}`);
          writeLine(ctx.stdout, `schema version ${version ?? 0} (${path})`);
        }
      } finally {
        handle.close();
      }
    });
}
