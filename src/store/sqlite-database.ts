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
 * SQLite's `PRAGMA application_id` of a callkeeper database: "CKDB" in ASCII. Set when the file is
 * created, so that `--db` pointed at another program's file is recognized before anything is written.
 */
export const APPLICATION_ID = 0x434b4442;

/**
 * Opens the SQLite database at `path`. Read-write (the default) creates it when missing: the file holds
 * consumers' phone numbers and consent records, so it is created with mode 0600 before SQLite touches it
 * (SQLite gives the -wal and -shm files the same permissions), and a looser existing file is tightened.
 * `readonly` never creates, writes or migrates (a missing file is INPUT.NOT_FOUND).
 *
 * Either way an existing file must be ours before anything is written to it or its mode changed: its
 * application_id is callkeeper's, or it is a database of an earlier callkeeper (which set no id; known by
 * its schema_migrations table, and given the id on a read-write open), or it holds no schema at all.
 * Anything else is STORE.NOT_CALLKEEPER_DB and the file is left as it was.
 */
export function openDatabase(path: string, opts: { readonly?: boolean } = {}): SqliteDb {
  const readonly = opts.readonly ?? false;
  if (path === ':memory:') {
    const db = new Database(path);
    db.pragma(`application_id = ${APPLICATION_ID}`);
    return configure(db, false);
  }
  let created = false;
  if (readonly) {
    requireRegularFile(path, 'INPUT.NOT_FOUND');
  } else {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(path, 'wx', 0o600));
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new AppError('INPUT.INVALID', `cannot create database ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
      }
      requireRegularFile(path, 'INPUT.INVALID');
    }
  }
  let db: SqliteDb;
  try {
    db = new Database(path, { readonly, fileMustExist: true });
  } catch (e) {
    throw new AppError('INPUT.INVALID', `cannot open database ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    claim(db, path, { readonly });
    if (!readonly && !created && (statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return configure(db, readonly);
  } catch (e) {
    db.close();
    throw e;
  }
}

function configure(db: SqliteDb, readonly: boolean): SqliteDb {
  db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  if (!readonly) db.pragma('journal_mode = WAL');
  // FULL: every commit's WAL is fsynced, so a consent record or a STOP survives a power cut too (with
  // NORMAL a power loss may roll back the last commits, and a lost STOP could mean a text after STOP).
  // The outbox batches its commits, so this costs a fraction of a millisecond per text, not per commit.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  return db;
}

/** A FIFO or a device given as --db would block SQLite or be written into; a directory cannot be opened. */
function requireRegularFile(path: string, missing: 'INPUT.NOT_FOUND' | 'INPUT.INVALID'): void {
  let isFile: boolean;
  try {
    isFile = statSync(path).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError(missing, `no database at ${path} (check --db / CALLKEEPER_DB, or run: callkeeper db migrate)`, { cause: e });
    throw new AppError('INPUT.INVALID', `cannot open database ${path}: ${code ?? (e as Error).message}`, { cause: e });
  }
  if (!isFile) throw notOurs(path, 'not a regular file');
}

/** Checks that the open file is a callkeeper database (see openDatabase) and, read-write, stamps an unstamped one. */
function claim(db: SqliteDb, path: string, opts: { readonly: boolean }): void {
  let id: number;
  let entries: string[];
  try {
    id = db.pragma('application_id', { simple: true }) as number;
    entries = db.prepare('SELECT name FROM sqlite_master').pluck().all() as string[];
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (code === 'SQLITE_NOTADB') throw notOurs(path, 'not an SQLite database');
    throw new AppError('INPUT.INVALID', `cannot read database ${path}: ${(e as Error).message}`, { cause: e });
  }
  if (id === APPLICATION_ID) return;
  if (id !== 0) throw notOurs(path, `an SQLite database of another program (application_id ${id})`);
  // No schema at all (a new or 0-byte file) holds nothing to damage: read-only sees every migration
  // pending, read-write takes it over.
  if (entries.length > 0 && !isEarlierCallkeeper(db, entries)) {
    throw notOurs(path, `an SQLite database of another program (${entries.length} schema entries, no callkeeper migrations)`);
  }
  if (!opts.readonly) db.pragma(`application_id = ${APPLICATION_ID}`);
}

/** Databases made before the application_id existed carry our migrations table with migration 1 in it. */
function isEarlierCallkeeper(db: SqliteDb, entries: readonly string[]): boolean {
  if (!entries.includes('schema_migrations')) return false;
  const first = MIGRATIONS[0];
  try {
    return first !== undefined && db.prepare('SELECT 1 FROM schema_migrations WHERE version = ? AND name = ?').get(first.version, first.name) !== undefined;
  } catch {
    return false;
  }
}

function notOurs(path: string, why: string): AppError {
  return new AppError('STORE.NOT_CALLKEEPER_DB', `${path} is not a callkeeper database (${why}); it was left unchanged (check --db / CALLKEEPER_DB)`);
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
