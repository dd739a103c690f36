import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { ChainVerification } from '../../domain/ledger/ledger-chain.ts';
import { SqliteConsentStore } from '../sqlite-consent-store.ts';
import type { SqliteDb } from '../sqlite-database.ts';
import { PgConsentStore, LEDGER_LOCK, LOCK_CLASS } from './pg-consent-store.ts';
import { inPgTransaction, type PgQueryable } from './pg-database.ts';
import { migratePg } from './pg-migrate.ts';

/**
 * Every table of the PostgreSQL schema (migrations/), parents before children, so that each row's
 * foreign keys point at rows already copied: the ledger after its scripts, texts after calls, parts
 * after texts, deliveries after staff, assist results after inbound texts. A table a new migration
 * adds and this list lacks stops the copy before it writes (a copy that silently skipped it would not
 * be a copy).
 */
export const COPY_ORDER = [
  'businesses',
  'business_dids',
  'calls',
  'consent_scripts',
  'consent_ledger',
  'outbound_messages',
  'outbound_parts',
  'inbound_messages',
  'staff',
  'business_webhooks',
  'business_urgency',
  'notification_deliveries',
  'notification_attempts',
  'urgency_decisions',
  'assist_results',
  'console_users',
  'console_audit',
] as const;

/**
 * Tables of the PostgreSQL schema that are left behind on purpose, with why (printed as "not copied"):
 * signed-in sessions end with the move (everyone signs in again), and the key that signed their cookies
 * goes with them; the first node to serve the console makes a new one.
 */
export const NOT_COPIED: ReadonlyMap<string, string> = new Map([
  ['console_sessions', 'sessions are not moved: console users sign in again'],
  ['console_secret', 'the cookie key of those sessions: the first node makes a new one'],
]);
/** Why a SQLite table that PostgreSQL does not have is not copied. */
const NO_TABLE_YET = 'no PostgreSQL table yet';

/** Kysely's Migrator's own tables (pg-migrate.ts): present in every migrated target, never copied. */
const RUNNER_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);
/** SQLite's own bookkeeping: the migration runner's table and AUTOINCREMENT's counters. */
const SQLITE_BOOKKEEPING = new Set(['schema_migrations', 'sqlite_sequence']);

/** Rows per INSERT: at most 16 columns × 500 rows stays far below PostgreSQL's 65,535 parameters per statement. */
const BATCH_ROWS = 500;

export interface CopyReport {
  /** Rows copied per table, in COPY_ORDER. */
  readonly tables: readonly { readonly name: string; readonly rows: number }[];
  /** SQLite tables not copied, with their row counts and why: left behind on purpose (NOT_COPIED), or with no PostgreSQL table yet. */
  readonly notCopied: readonly { readonly name: string; readonly rows: number; readonly reason: string }[];
  /** The ledger as verified on both sides after the copy: its record count, newest id and head hash. */
  readonly ledger: { readonly count: number; readonly lastId: number; readonly head: string };
}

interface Column {
  readonly name: string;
  readonly boolean: boolean;
  readonly identity: boolean;
}

/**
 * Copies a SQLite install into an empty PostgreSQL database (src/store/postgres/README.md, "Moving an
 * install"). In order, and nothing is written before the step that writes:
 * 1. SQLite is read in one read transaction (a snapshot: a service appending meanwhile does not tear
 *    the copy) and its ledger verified; a chain that does not verify is refused.
 * 2. The target is reached (`where` names it in errors), refused if it holds tables that are not
 *    callkeeper's, migrated (migratePg), and its columns checked against SQLite's.
 * 3. One PostgreSQL transaction: the ledger's advisory lock (no node appends meanwhile), every table
 *    checked empty, rows copied in COPY_ORDER with their ids (the ledger's ids are hashed; the foreign
 *    keys name them), ledger rows in id order through plain INSERTs (the append-only triggers refuse
 *    only UPDATE, DELETE and TRUNCATE, so none is disabled), identity sequences set past the copied ids,
 *    then counts and the chain verified inside the transaction: any difference rolls everything back.
 * 4. After the commit the ledger is verified again through the pool, as any node will read it.
 * `callNode`: the node name of the host running the copy, set on every copied call (its recordings are here).
 */
export async function copySqliteToPg(source: SqliteDb, pool: pg.Pool, where: string, opts: { callNode?: string } = {}): Promise<CopyReport> {
  source.prepare('BEGIN').run();
  try {
    const sqliteChain = new SqliteConsentStore(source).verify();
    if (!sqliteChain.ok) {
      throw new AppError('STORE.LEDGER_TAMPERED', `the SQLite ledger does not verify (record ${sqliteChain.badId}: ${sqliteChain.detail}): nothing copied; see consent verify`);
    }
    const sqliteTables = new Set(source.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const notCopied = [...sqliteTables]
      .filter((t) => !SQLITE_BOOKKEEPING.has(t) && !(COPY_ORDER as readonly string[]).includes(t))
      .sort()
      .map((name) => ({ name, rows: countSqlite(source, name), reason: NOT_COPIED.get(name) ?? NO_TABLE_YET }));

    await reach(pool, where);
    await refuseForeignTables(pool, where);
    await migratePg(pool);
    const columns = await targetColumns(pool);
    checkColumns(source, sqliteTables, columns);

    const tables = await inPgTransaction(pool, async (client) => {
      await client.query('SELECT pg_advisory_xact_lock($1, $2)', [LOCK_CLASS, LEDGER_LOCK]);
      await refuseRows(client, where);
      const copied: { name: string; rows: number }[] = [];
      for (const name of COPY_ORDER) {
        const cols = columns.get(name) ?? [];
        const rows = await copyTable(source, client, name, cols);
        await resetIdentities(client, name, cols);
        copied.push({ name, rows });
      }
      // The SQLite install's recordings are on this host: its calls are this host's node's to purge
      // (README, "The recordings purge across nodes").
      if (opts.callNode !== undefined) await client.query('UPDATE calls SET node = $1', [opts.callNode]);
      await checkCounts(client, copied);
      compareChains(sqliteChain, await new PgConsentStore(pool, undefined, client).verify(), 'inside the copy transaction: rolled back, nothing written');
      return copied;
    });

    const pgChain = await new PgConsentStore(pool).verify();
    compareChains(sqliteChain, pgChain, 'after the commit: the copy was written, investigate before using it');
    return { tables, notCopied, ledger: { count: sqliteChain.count, lastId: sqliteChain.lastId, head: sqliteChain.head } };
  } finally {
    source.prepare('COMMIT').run();
  }
}

function countSqlite(db: SqliteDb, table: string): number {
  return db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get() as number;
}

/**
 * One connection first, so that a wrong URL, host, password or database is one line naming the target
 * (`where`: host, port, database; never the URL, which holds the password) before anything else runs.
 */
async function reach(pool: pg.Pool, where: string): Promise<void> {
  try {
    const c = await pool.connect();
    c.release();
  } catch (e) {
    // Node's AggregateError (every address of a name refused, e.g. ::1 and 127.0.0.1) has an empty message: its code says why.
    const message = e instanceof Error ? (e.message.split('\n', 1)[0] ?? '') : String(e);
    const code = typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
    const reason = message !== '' ? message : typeof code === 'string' ? code : 'connection failed';
    throw new AppError('STORE.UNREACHABLE', `cannot connect to PostgreSQL at ${where}: ${reason}`, { cause: e });
  }
}

/**
 * Refuses, before migrating, a database holding tables that are not callkeeper's: migrating it would
 * add callkeeper's schema to someone else's database.
 */
async function refuseForeignTables(db: PgQueryable, where: string): Promise<void> {
  const r = await db.query<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
  );
  const foreign = r.rows.map((x) => x.name).filter((t) => !RUNNER_TABLES.has(t) && !NOT_COPIED.has(t) && !(COPY_ORDER as readonly string[]).includes(t));
  if (foreign.length > 0) {
    throw new AppError('STORE.TARGET_NOT_EMPTY', `the target ${where} holds tables that are not callkeeper's (${foreign.slice(0, 5).join(', ')}${foreign.length > 5 ? ', ...' : ''}): db copy writes only into an empty database`);
  }
}

/** The migrated target's columns per table; a table of the schema that COPY_ORDER lacks stops the copy. */
async function targetColumns(db: PgQueryable): Promise<Map<string, Column[]>> {
  const r = await db.query<{ table_name: string; column_name: string; data_type: string; is_identity: string }>(
    'SELECT table_name, column_name, data_type, is_identity FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
  );
  const out = new Map<string, Column[]>();
  for (const c of r.rows) {
    if (RUNNER_TABLES.has(c.table_name) || NOT_COPIED.has(c.table_name)) continue;
    if (!(COPY_ORDER as readonly string[]).includes(c.table_name)) {
      throw new AppError('INTERNAL', `the PostgreSQL schema has a table db copy does not know (${c.table_name}): add it to COPY_ORDER in pg-copy-from-sqlite.ts`);
    }
    const list = out.get(c.table_name) ?? [];
    list.push({ name: c.column_name, boolean: c.data_type === 'boolean', identity: c.is_identity === 'YES' });
    out.set(c.table_name, list);
  }
  return out;
}

/**
 * Every SQLite column must have a PostgreSQL column of the same name, or its values would be dropped.
 * The reverse is fine: PostgreSQL-only columns (the outbox's `claimed_by`, `lease_until`) take their
 * defaults, NULL, which is what a text no node has claimed holds.
 */
function checkColumns(source: SqliteDb, sqliteTables: Set<string>, target: Map<string, Column[]>): void {
  for (const table of COPY_ORDER) {
    if (!sqliteTables.has(table)) throw new AppError('STORE.NOT_CALLKEEPER_DB', `the SQLite database has no ${table} table: not a callkeeper database at its newest schema (run: callkeeper db migrate)`);
    const pgCols = new Set((target.get(table) ?? []).map((c) => c.name));
    const missing = (source.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]).filter((c) => !pgCols.has(c));
    if (missing.length > 0) {
      throw new AppError('STORE.COPY_MISMATCH', `the PostgreSQL schema lacks ${table}.${missing.join(`, ${table}.`)}, which SQLite holds: nothing copied`);
    }
  }
}

/** Inside the copy transaction: any row in any callkeeper table (the ledger included) refuses the copy. */
async function refuseRows(client: pg.PoolClient, where: string): Promise<void> {
  const r = await client.query<{ name: string }>(COPY_ORDER.map((t) => `SELECT '${t}' AS name WHERE EXISTS (SELECT 1 FROM ${t})`).join(' UNION ALL '));
  if (r.rows.length > 0) {
    throw new AppError('STORE.TARGET_NOT_EMPTY', `the target ${where} is not empty (rows in ${r.rows.map((x) => x.name).join(', ')}): db copy writes only into an empty database; nothing written`);
  }
}

/**
 * Copies one table in SQLite rowid order (for the ledger, its id: the chain's order), BATCH_ROWS rows
 * per INSERT, ids as they are. `OVERRIDING SYSTEM VALUE` lets the copied ids into the `GENERATED
 * ALWAYS` identity columns; 0/1 flags become booleans (migrations/pg-002-stores.ts).
 */
async function copyTable(source: SqliteDb, client: pg.PoolClient, table: string, pgColumns: readonly Column[]): Promise<number> {
  const sqliteCols = new Set(source.prepare(`SELECT name FROM pragma_table_info('${table}')`).pluck().all() as string[]);
  const cols = pgColumns.filter((c) => sqliteCols.has(c.name));
  const read = source.prepare(`SELECT rowid, ${cols.map((c) => `"${c.name}"`).join(', ')} FROM "${table}" WHERE rowid > ? ORDER BY rowid LIMIT ${BATCH_ROWS}`).raw();
  const overriding = cols.some((c) => c.identity) ? ' OVERRIDING SYSTEM VALUE' : '';
  const head = `INSERT INTO ${table} (${cols.map((c) => c.name).join(', ')})${overriding} VALUES `;
  let after = 0;
  let n = 0;
  for (;;) {
    const batch = read.all(after) as unknown[][];
    if (batch.length === 0) return n;
    const values: unknown[] = [];
    const tuples = batch.map((row) => {
      const start = values.length;
      cols.forEach((c, i) => {
        const v = row[i + 1];
        values.push(c.boolean && v !== null ? v === 1 || v === true : v);
      });
      return `(${cols.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    try {
      await client.query(head + tuples.join(', '), values);
    } catch (e) {
      throw new AppError('STORE.COPY_MISMATCH', `copying ${table} failed at SQLite rowid ${String(batch[0]?.[0])}: ${e instanceof Error ? e.message : String(e)}; rolled back, nothing written`, { cause: e });
    }
    n += batch.length;
    after = batch[batch.length - 1]![0] as number;
  }
}

/**
 * Rows inserted with their ids do not advance an identity's sequence, so the next insert would take
 * id 1 and collide: each sequence is set to the largest copied id (the next value is one past it).
 * An empty table's sequence is left unused, so its first row still gets 1.
 */
async function resetIdentities(client: pg.PoolClient, table: string, cols: readonly Column[]): Promise<void> {
  for (const c of cols.filter((x) => x.identity)) {
    await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), m) FROM (SELECT max(${c.name}) AS m FROM ${table}) x WHERE m IS NOT NULL`, [table, c.name]);
  }
}

async function checkCounts(client: pg.PoolClient, copied: readonly { name: string; rows: number }[]): Promise<void> {
  for (const t of copied) {
    const n = (await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t.name}`)).rows[0]?.n ?? 0;
    if (n !== t.rows) throw new AppError('STORE.COPY_MISMATCH', `${t.name} holds ${n} rows after copying ${t.rows}: rolled back, nothing written`);
  }
}

function compareChains(sqlite: ChainVerification & { ok: true }, target: ChainVerification, when: string): void {
  if (!target.ok) {
    throw new AppError('STORE.COPY_MISMATCH', `the copied ledger does not verify on PostgreSQL (record ${target.badId}: ${target.detail}) ${when}`);
  }
  if (target.count !== sqlite.count || target.head !== sqlite.head) {
    throw new AppError('STORE.COPY_MISMATCH', `the copied ledger differs: SQLite ${sqlite.count} records, head ${sqlite.head}; PostgreSQL ${target.count}, head ${target.head} ${when}`);
  }
}

