import { closeSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';

/** Who holds the lock, as written beside it for the message a second `serve` prints. */
export interface ServiceHolder {
  readonly pid: number;
  readonly host: string;
  /** Epoch ms when the holder took the lock. */
  readonly startedAt: number;
}

/**
 * One `serve` per database (src/store/README.md). A second service on the same database would take the first
 * one's in-flight texts for a crash's leftovers and send them again, so it must refuse before it
 * opens the queue.
 *
 * The lock is an exclusive SQLite transaction held open on a small database of its own,
 * `<db>.serve-lock`: SQLite's unix VFS takes it as a POSIX advisory lock (fcntl), which the kernel
 * drops when the process ends however it ends, kill -9 included, so there is no staleness to guess.
 * SQLite also keeps two connections of one process apart, so a second service in the same process is
 * refused too. The holder's pid, host and start time go in `<db>.serve-lock.json`, written once the lock
 * is held; that file only words the refusal, the lock alone decides. Why not a pid file or
 * proper-lockfile: src/store/README.md.
 */
export class SqliteServiceLock {
  private released = false;

  private constructor(
    private readonly db: Database.Database,
    readonly lockPath: string,
    private readonly infoPath: string,
    readonly holder: ServiceHolder,
  ) {}

  static acquire(dbPath: string, holder: ServiceHolder = { pid: process.pid, host: hostname(), startedAt: Date.now() }): SqliteServiceLock {
    const lockPath = `${dbPath}.serve-lock`;
    const infoPath = `${lockPath}.json`;
    mkdirSync(dirname(lockPath), { recursive: true, mode: 0o700 });
    try {
      closeSync(openSync(lockPath, 'wx', 0o600));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw lockError(lockPath, e);
    }
    let db: Database.Database;
    try {
      db = new Database(lockPath, { fileMustExist: true });
      // Never wait: a held lock means a running service, and the answer is to refuse at once.
      db.pragma('busy_timeout = 0');
    } catch (e) {
      throw lockError(lockPath, e);
    }
    try {
      db.exec('BEGIN EXCLUSIVE');
    } catch (e) {
      db.close();
      if ((e as { code?: unknown }).code === 'SQLITE_BUSY') throw alreadyRunning(dbPath, readHolder(infoPath));
      throw lockError(lockPath, e);
    }
    const tmp = `${infoPath}.${process.pid}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(holder)}\n`, { mode: 0o600 });
    renameSync(tmp, infoPath);
    return new SqliteServiceLock(db, lockPath, infoPath, holder);
  }

  /** Lets the next service start. The holder file goes first, so it never describes the next holder's lock as ours. */
  release(): void {
    if (this.released) return;
    this.released = true;
    const info = readHolder(this.infoPath);
    if (info && info.pid === this.holder.pid && info.startedAt === this.holder.startedAt) {
      try {
        unlinkSync(this.infoPath);
      } catch {
        // Already gone: nothing to describe.
      }
    }
    this.db.close();
  }
}

function readHolder(infoPath: string): ServiceHolder | null {
  try {
    const h = JSON.parse(readFileSync(infoPath, 'utf8')) as Partial<ServiceHolder>;
    if (typeof h.pid !== 'number' || typeof h.host !== 'string' || typeof h.startedAt !== 'number') return null;
    // Left by a holder killed before it could remove it, while the new holder has not written its own yet.
    if (h.host === hostname() && !alive(h.pid)) return null;
    return { pid: h.pid, host: h.host, startedAt: h.startedAt };
  } catch {
    // Missing or half-written: the holder has not said who it is yet.
  }
  return null;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function alreadyRunning(dbPath: string, h: ServiceHolder | null): AppError {
  const who = h ? `pid ${h.pid} on ${h.host}, started ${new Date(h.startedAt).toISOString()}` : 'a service that is still starting';
  return new AppError('STORE.SERVICE_RUNNING', `callkeeper serve is already running on ${dbPath} (${who}); one service per database: stop it first`, {
    details: { holder: h },
  });
}

function lockError(lockPath: string, e: unknown): AppError {
  return new AppError('INPUT.INVALID', `cannot take the service lock ${lockPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
}
