import { accessSync, constants, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { isAppError } from '../domain/errors.ts';
import type { ChainVerification } from '../domain/ledger/ledger-chain.ts';
import { MIGRATIONS } from './migrations/index.ts';
import type { Migration } from './migrations/migration.ts';
import { SqliteConsentStore } from './sqlite-consent-store.ts';
import { openDatabase, pendingMigrations } from './sqlite-database.ts';
import { probeWritableDir, type DirProbe } from './writable-dir-probe.ts';

/**
 * The database as `doctor` sees it: permissions, schema version, and the ledger chain. It is
 * read-only on purpose: openDatabase() would tighten a loose mode and switch the journal, and a check
 * that repairs what it inspects hides the problem from the installer. The -wal and -shm files a
 * read-only connection may create get SQLite's usual mode, the database file's.
 */
export interface DatabaseHealth {
  readonly path: string;
  readonly exists: boolean;
  /** Why the file is not a callkeeper database (another program's, not SQLite), or null. Nothing else is inspected then. */
  readonly notOurs: string | null;
  /** The directory the file (and its -wal, -shm) lives in: writable, or creatable when missing. */
  readonly dir: DirProbe;
  /** Permission bits of the database file, when it exists. */
  readonly mode: number | null;
  /** The database, -wal or -shm files readable or writable by group or others. */
  readonly looseFiles: readonly { readonly file: string; readonly mode: number }[];
  /** Why the file cannot be written, or null. */
  readonly notWritable: string | null;
  readonly applied: number;
  readonly pending: readonly Migration[];
  /** Applied versions this build does not know: the database was migrated by a newer callkeeper. */
  readonly unknownVersions: readonly number[];
  /** Null when the ledger table does not exist yet (no migrations applied). */
  readonly ledger: ChainVerification | null;
}

export function inspectDatabase(path: string, migrations: readonly Migration[] = MIGRATIONS): DatabaseHealth {
  const dir = probeWritableDir(dirname(path));
  let mode: number | null;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    return { path, exists: false, notOurs: null, dir, mode: null, looseFiles: [], notWritable: null, applied: 0, pending: [...migrations], unknownVersions: [], ledger: null };
  }
  const looseFiles: { file: string; mode: number }[] = [];
  for (const file of [path, `${path}-wal`, `${path}-shm`]) {
    let m: number;
    try {
      m = statSync(file).mode & 0o777;
    } catch {
      continue;
    }
    if ((m & 0o077) !== 0) looseFiles.push({ file, mode: m });
  }
  let notWritable: string | null = null;
  try {
    accessSync(path, constants.R_OK | constants.W_OK);
  } catch (e) {
    notWritable = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
  }

  let db: ReturnType<typeof openDatabase>;
  try {
    db = openDatabase(path, { readonly: true });
  } catch (e) {
    if (!isAppError(e, 'STORE.NOT_CALLKEEPER_DB')) throw e;
    return { path, exists: true, notOurs: e.message, dir, mode, looseFiles, notWritable, applied: 0, pending: [], unknownVersions: [], ledger: null };
  }
  try {
    const pending = pendingMigrations(db, migrations);
    const known = new Set(migrations.map((m) => m.version));
    const hasTable = (name: string): boolean => db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
    const versions = hasTable('schema_migrations') ? (db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all() as number[]) : [];
    const ledger = hasTable('consent_ledger') && hasTable('consent_scripts') ? new SqliteConsentStore(db).verify() : null;
    return {
      path,
      exists: true,
      notOurs: null,
      dir,
      mode,
      looseFiles,
      notWritable,
      applied: versions.filter((v) => known.has(v)).length,
      pending,
      unknownVersions: versions.filter((v) => !known.has(v)),
      ledger,
    };
  } finally {
    db.close();
  }
}
