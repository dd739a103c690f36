import pg from 'pg';
import { AppError } from '../../domain/errors.ts';

/** Where a pool connects: node-postgres options (a unix socket directory is a `host`), or a `postgres://` URL. */
export type PgTarget = { readonly connectionString: string } | { readonly host: string; readonly port?: number; readonly user?: string; readonly database: string; readonly password?: string };

/** A pool, or one connection inside a transaction: both take queries. */
export type PgQueryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

const INT8 = 20;

/**
 * int8 (ids, counts, UTC ms) as a JS number. Every int8 the store holds is an id, a count or a time in
 * ms, all far below 2^53; one past it is refused rather than rounded, since a rounded ledger id or
 * time would break the hash chain.
 */
function parseInt8(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new AppError('STORE.NOT_CALLKEEPER_DB', 'an integer in the database is beyond 2^53: not a callkeeper value');
  return n;
}

/** Per pool, not pg's global parser: a module-level setting would change every other pool in the process. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === INT8 && format !== 'binary' ? parseInt8 : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser,
};

/**
 * A pool for the store. `max` bounds the connections one node holds (each claim or append holds one for
 * its transaction). An idle connection's failure (the server restarting) is an 'error' event on the
 * pool; unhandled, it would end the process, so it goes to `onIdleError` and the pool drops the client.
 */
export function openPgPool(target: PgTarget, opts: { max?: number; onIdleError?: (err: Error) => void; connectTimeoutMs?: number } = {}): pg.Pool {
  // connectTimeoutMs: how long a connection (and a wait for a free one) may take; unset, without end
  // (a server that accepts and never answers holds the caller, and pool.end(), forever).
  const pool = new pg.Pool({ ...target, max: opts.max ?? 10, types, ...(opts.connectTimeoutMs === undefined ? {} : { connectionTimeoutMillis: opts.connectTimeoutMs }) });
  pool.on('error', (err) => opts.onIdleError?.(err));
  return pool;
}

/**
 * Runs `fn` in one READ COMMITTED transaction on one pooled connection: committed when `fn` resolves,
 * rolled back when it throws. READ COMMITTED on purpose: each statement sees what committed before it
 * began, so a read after `pg_advisory_xact_lock` sees the previous holder's rows (under REPEATABLE READ
 * the snapshot of the lock statement itself would hide them), and a claim's consent read sees a STOP
 * committed a moment ago.
 */
export async function inPgTransaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN ISOLATION LEVEL READ COMMITTED');
    const out = await fn(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (e) {
      // The connection itself failed: destroy it rather than return it to the pool mid-transaction.
      broken = e instanceof Error ? e : new Error(String(e));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

/** `@name` parameters (ledger-filter-sql.ts, shared with SQLite) as PostgreSQL's `$n`, numbered from `first`. */
export function positional(sql: string, params: Record<string, unknown>, first = 1): { text: string; values: unknown[] } {
  const values: unknown[] = [];
  const seen = new Map<string, number>();
  const text = sql.replace(/@([A-Za-z_][A-Za-z0-9_]*)/g, (_, name: string) => {
    let n = seen.get(name);
    if (n === undefined) {
      if (!(name in params)) throw new AppError('INTERNAL', `no value for SQL parameter ${name}`);
      values.push(params[name]);
      n = first + values.length - 1;
      seen.set(name, n);
    }
    return `$${n}`;
  });
  return { text, values };
}

/** PostgreSQL's SQLSTATEs the stores turn into AppErrors: a row naming a parent that does not exist; a duplicate key. */
const FOREIGN_KEY_VIOLATION = '23503';
const UNIQUE_VIOLATION = '23505';

const sqlState = (e: unknown): unknown => (typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined);

/** Whether `e` is PostgreSQL refusing a duplicate key (e.g. a DID another transaction inserted first). */
export function isUniqueViolation(e: unknown): boolean {
  return sqlState(e) === UNIQUE_VIOLATION;
}

/** Whether `e` is PostgreSQL refusing a row whose parent does not exist: the store turns it into INPUT.NOT_FOUND, as SQLite's stores do. */
export function isForeignKeyViolation(e: unknown): boolean {
  return sqlState(e) === FOREIGN_KEY_VIOLATION;
}
