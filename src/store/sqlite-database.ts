import { chmodSync, closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';

export type SqliteDb = Database.Database;

/**
 * How long a writer waits for another process's write transaction before giving up. The longest
 * writer we know is a `consent import` of an installer's file (seconds); live appends take
 * microseconds. Two callkeeper processes (service + CLI) appending at once must both succeed.
 */
const BUSY_TIMEOUT_MS = 15_000;

/**
 * Opens (creating if needed) the SQLite database at `path`. The file holds consumers' phone numbers and
 * consent records, so it is created with mode 0600 before SQLite touches it (SQLite gives the -wal and
 * -shm files the same permissions), and a looser existing file is tightened.
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): SqliteDb {
  if (path !== ':memory:' && !opts.readonly) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('INPUT.INVALID', `cannot create database ${path}: ${(e as Error).message}`, { cause: e });
      }
      if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    }
  }
  let db: SqliteDb;
  try {
    db = new Database(path, { readonly: opts.readonly ?? false, fileMustExist: opts.readonly ?? false });
  } catch (e) {
    throw new AppError('INPUT.INVALID', `cannot open database ${path}: ${(e as Error).message}`, { cause: e });
  }
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!opts.readonly) db.pragma('journal_mode = WAL');
  // FULL: every commit's WAL is fsynced, so a consent record or a STOP survives a power cut too (with
  // NORMAL a power loss may roll back the last commits, and a lost STOP could mean a text after STOP).
  // The outbox batches its commits, so this costs a fraction of a millisecond per text, not per commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY,
  name       TEXT    NOT NULL,
  applied_at INTEGER NOT NULL
)`;

function appliedVersions(db: SqliteDb): Set<number> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
  if (!exists) return new Set();
  return new Set(db.prepare('SELECT version FROM schema_migrations').pluck().all() as number[]);
}

/** Migrations not yet applied, in order (for `doctor` and `db migrate`). */
export function pendingMigrations(db: SqliteDb, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const done = appliedVersions(db);
  return migrations.filter((m) => !done.has(m.version));
}

/**
 * Applies pending migrations, each in its own IMMEDIATE transaction together with its
 * `schema_migrations` row, so that a failure leaves the schema at the last good version and two
 * processes migrating at once apply each migration once. Idempotent.
 */
export function migrate(db: SqliteDb, migrations: readonly Migration[] = MIGRATIONS, now: () => number = Date.now): Migration[] {
  db.exec(MIGRATIONS_TABLE);
  const applied: Migration[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    const run = db.transaction(() => {
      // Re-read inside the write lock: another process may have applied it meanwhile.
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(m.version)) return false;
      db.exec(m.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, now());
      return true;
    });
    try {
      if (run.immediate()) applied.push(m);
    } catch (e) {
      throw new AppError('STORE.MIGRATION_FAILED', `migration ${m.version} (${m.name}) failed: ${(e as Error).message}`, { cause: e });
    }
  }
  return applied;
}

/** Maps SQLite's constraint errors to the caller's words; everything else is rethrown. */
export function isConstraintError(e: unknown, kind?: 'UNIQUE' | 'PRIMARYKEY' | 'FOREIGNKEY' | 'CHECK' | 'TRIGGER'): boolean {
  const code = (e as { code?: unknown })?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT') && (kind === undefined || code === `SQLITE_CONSTRAINT_${kind}`);
}
