/**
 * A throwaway PostgreSQL cluster for tests and benchmarks: `initdb` in a temp dir, `postgres` listening
 * only on a unix socket in that dir (no TCP port to collide with the other suites on this machine),
 * one database per caller, stopped and removed by `stop()`. The binaries are Debian's
 * (`/usr/lib/postgresql/<major>/bin`, package `postgresql`, installed by scripts/setup.sh).
 *
 * initdb and postgres refuse to run as root. CI and the development box run tests as root, so as uid 0
 * both run as the `postgres` system user (`runuser -u postgres --`), owning the temp dir; root itself
 * connects through the socket as the cluster's superuser (trust auth, socket only).
 *
 * Missing PostgreSQL is a failure with a one-line reason, never a skip: the set-up installs it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/** Where Debian puts the server binaries, one folder per major version. */
const PG_LIB = '/usr/lib/postgresql';
/** initdb on the shared 2-core box at load ~6 takes a few seconds; 60 s names a stuck one. */
const INITDB_TIMEOUT_MS = 60_000;
/** From spawn to the socket accepting a connection: crash recovery of a fresh cluster is instant, so this only bounds a stuck start. */
const START_TIMEOUT_MS = 60_000;
/** A fast shutdown rolls back open transactions and exits; 30 s bounds a stuck one before SIGKILL. */
const STOP_TIMEOUT_MS = 30_000;
/** How often the start is polled: a real delay so the poll does not spin a core. */
const POLL_MS = 50;

export interface PgConnection {
  /** The socket directory: node-postgres takes a directory as `host`. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly database: string;
}

export interface PgCluster {
  readonly dir: string;
  readonly major: number;
  /** Connection settings for `database` (default: the cluster's `postgres` database). */
  connection(database?: string): PgConnection;
  /** A new empty database (from `template`, default `template0`... see `createDatabase`). */
  createDatabase(name?: string, template?: string): Promise<PgConnection>;
  /** Fast shutdown, then the temp dir is removed. Safe to call twice. */
  stop(): Promise<void>;
}

/** The installed major version and its bin dir, or a one-line error saying how to install it. */
export function findPgBin(lib = PG_LIB): { major: number; bin: string } {
  const majors = existsSync(lib)
    ? readdirSync(lib)
        .filter((d) => /^\d+$/.test(d) && existsSync(join(lib, d, 'bin', 'postgres')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  const major = majors[0];
  if (major === undefined) {
    throw new Error(`PostgreSQL server binaries not found under ${lib}/<version>/bin: install the Debian package "postgresql" (scripts/setup.sh does)`);
  }
  return { major, bin: join(lib, String(major), 'bin') };
}

const asRoot = (): boolean => process.getuid?.() === 0;

/** The command line that runs `exe` as the user that owns the cluster. */
function asOwner(exe: string, args: string[]): [string, string[]] {
  return asRoot() ? ['runuser', ['-u', 'postgres', '--', exe, ...args]] : [exe, args];
}

function ownerIds(): { uid: number; gid: number } | undefined {
  if (!asRoot()) return undefined;
  const r = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (r.status !== 0 || g.status !== 0) throw new Error('running as root, but there is no "postgres" system user to run initdb/postgres as (the Debian package "postgresql" creates it)');
  return { uid: Number(r.stdout.trim()), gid: Number(g.stdout.trim()) };
}

let seq = 0;

/**
 * Starts a cluster. Settings for a test box: tiny memory, no fsync (durability is not what the tests
 * check, and fsync on the shared disk is the slowest thing a test could do), and a socket only.
 */
export async function startPgCluster(opts: { fsync?: boolean } = {}): Promise<PgCluster> {
  const { major, bin } = findPgBin();
  const dir = mkdtempSync(join(tmpdir(), 'ck-pg-'));
  const data = join(dir, 'data');
  const owner = ownerIds();
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const user = 'postgres';
  let child: ChildProcess | undefined;
  let stopped = false;

  // A test process that ends without stop() (an uncaught error, process.exit) still takes its server
  // and files with it: an immediate shutdown (SIGQUIT) and the dir removed, synchronously, at exit.
  const atExit = (): void => {
    try {
      const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
      if (pid > 0) process.kill(pid, 'SIGQUIT');
    } catch {
      // not started, or already gone
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', atExit);
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', atExit);
    try {
      if (child && child.exitCode === null && child.signalCode === null) await stopServer(child, data);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };

  try {
    const [cmd, args] = asOwner(join(bin, 'initdb'), ['-D', data, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync']);
    const init = spawnSync(cmd, args, { encoding: 'utf8', timeout: INITDB_TIMEOUT_MS });
    if (init.status !== 0) {
      const why = init.error ? init.error.message : (init.stderr || init.stdout).trim().split('\n').slice(-3).join(' | ');
      throw new Error(`initdb failed (${why})`);
    }
    const settings = [
      '-k', dir,
      '-c', 'listen_addresses=',
      '-c', `fsync=${opts.fsync ? 'on' : 'off'}`,
      '-c', `synchronous_commit=${opts.fsync ? 'on' : 'off'}`,
      '-c', 'full_page_writes=off',
      '-c', 'shared_buffers=16MB',
      '-c', 'max_connections=60',
      '-c', 'log_min_messages=warning',
    ];
    const [pcmd, pargs] = asOwner(join(bin, 'postgres'), ['-D', data, ...settings]);
    let stderr = '';
    child = spawn(pcmd, pargs, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      stderr = (stderr + s).slice(-2000);
    });
    const conn = (database = 'postgres'): PgConnection => ({ host: dir, port: 5432, user, database });
    await waitUntilUp(conn(), child, () => stderr);
    return {
      dir,
      major,
      connection: conn,
      async createDatabase(name = `t${process.pid}_${++seq}`, template = 'template1') {
        if (!/^[a-z_][a-z0-9_]*$/.test(name) || !/^[a-z_][a-z0-9_]*$/.test(template)) throw new Error(`bad database name ${name}`);
        const c = new pg.Client(conn());
        await c.connect();
        try {
          await c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        } finally {
          await c.end();
        }
        return conn(name);
      },
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitUntilUp(conn: PgConnection, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = performance.now() + START_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`postgres exited at start (${child.exitCode ?? child.signalCode}): ${stderr().trim().split('\n').slice(-3).join(' | ')}`);
    }
    if (existsSync(join(conn.host, `.s.PGSQL.${conn.port}`))) {
      const c = new pg.Client(conn);
      try {
        await c.connect();
        await c.query('SELECT 1');
        await c.end();
        return;
      } catch {
        await c.end().catch(() => {});
      }
    }
    if (performance.now() >= deadline) throw new Error(`timed out after ${START_TIMEOUT_MS}ms waiting for postgres to accept connections on ${conn.host}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/**
 * SIGINT to the postmaster is PostgreSQL's fast shutdown. Under runuser the child is runuser, not the
 * postmaster, so the postmaster's pid comes from the first line of `postmaster.pid`.
 */
async function stopServer(child: ChildProcess, data: string): Promise<void> {
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  let pid = child.pid;
  try {
    pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  } catch {
    // no pid file: the postmaster is already gone or never wrote one; signal the child
  }
  const signal = (s: NodeJS.Signals): void => {
    try {
      if (pid) process.kill(pid, s);
    } catch {
      // already exited
    }
  };
  signal('SIGINT');
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((r) => {
    timer = setTimeout(() => r(true), STOP_TIMEOUT_MS);
  });
  const late = await Promise.race([exited.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) {
    signal('SIGKILL');
    child.kill('SIGKILL');
    throw new Error(`postgres did not stop within ${STOP_TIMEOUT_MS}ms of a fast shutdown; killed`);
  }
}

/**
 * A `postgres://` URL for `c` as a config or `--to` takes it: the socket directory as `?host=` (the
 * placeholder host `localhost` keeps it a valid URL for the CLI's parser), an optional password.
 */
export function pgUrlOf(c: PgConnection, database = c.database, password = ''): string {
  return `postgres://${c.user}${password ? `:${password}` : ''}@localhost/${database}?host=${encodeURIComponent(c.host)}&port=${c.port}`;
}
