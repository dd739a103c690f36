/**
 * `node --import tsx bench/pg-driver.bench.ts`: the PostgreSQL driver and query layer, chosen by what the
 * store does most (src/store/postgres/README.md, "Driver and query layer"), on a throwaway cluster
 * (test/support/pg-cluster.ts), one connection, each operation awaited before the next (a node's store
 * path: one claim or append at a time):
 * - `append`: a ledger append: BEGIN, pg_advisory_xact_lock, read the last row's hash, INSERT, COMMIT;
 * - `claim10`: BEGIN, SELECT 10 due rows FOR UPDATE SKIP LOCKED, UPDATE them to claimed, COMMIT;
 * - `select`: a point SELECT by primary key.
 * Drivers: `pg` (node-postgres, prepared statements by name), `pg-unnamed` (the same, unnamed statements,
 * as the store sends them), `postgres` (porsager; prepares by
 * default), and Kysely over `pg` (its built-in PostgresDialect) for the builder's overhead. Rounds are
 * interleaved (pg, pg-unnamed, postgres, kysely, pg, ...), so load on the shared box falls on all alike; each line
 * gives the median µs/op of the rounds and the median of the per-round ratios to `pg` (same run, same round).
 * BENCH_PG_OPS (per round, default 200), BENCH_PG_ROUNDS (default 15), BENCH_PG_FSYNC=1 for fsync on.
 */
import { loadavg } from 'node:os';
import { Kysely, PostgresDialect, sql as ksql, type Generated } from 'kysely';
import pg from 'pg';
import postgres from 'postgres';
import { startPgCluster, type PgConnection } from '../test/support/pg-cluster.ts';

const OPS = Number(process.env.BENCH_PG_OPS ?? 200);
const ROUNDS = Number(process.env.BENCH_PG_ROUNDS ?? 15);
const FSYNC = process.env.BENCH_PG_FSYNC === '1';
const LOCK_KEY = 0x434b4442;

const SCHEMA = `
CREATE TABLE ledger (id bigint PRIMARY KEY, at bigint NOT NULL, consumer text NOT NULL, event text NOT NULL, prev_hash text NOT NULL, hash text NOT NULL);
CREATE TABLE queue (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, recipient text NOT NULL, body text NOT NULL, state text NOT NULL, next_at bigint NOT NULL);
CREATE INDEX queue_due ON queue (next_at, id) WHERE state = 'queued';
`;

interface Db {
  ledger: { id: number; at: number; consumer: string; event: string; prev_hash: string; hash: string };
  queue: { id: Generated<number>; recipient: string; body: string; state: string; next_at: number };
}

type Op = 'append' | 'claim10' | 'select';
interface Driver {
  readonly name: string;
  run(op: Op, i: number): Promise<void>;
  close(): Promise<void>;
}

const hashOf = (prev: string, i: number): string => `${prev.slice(0, 8)}${String(i).padStart(56, '0')}`;
const consumer = (i: number): string => `+1512${String(5_000_000 + (i % 1000)).padStart(7, '0')}`;

/** Driver-neutral numbers: int8 as a JS number (ids and UTC ms stay below 2^53). */
pg.types.setTypeParser(20, (v) => Number(v));

/**
 * `named`: prepared once per connection by name (pg's `name`). Unnamed: parsed and planned on every
 * call, as src/store/postgres does (a statement planned once on an empty table keeps that plan).
 */
function pgDriver(conn: PgConnection, ids: { next: number }, named: boolean): Driver {
  const n = (name: string): { name?: string } => (named ? { name } : {});
  // A pool of one, as the store holds one (a connection per transaction, checked out and back).
  const pool = new pg.Pool({ ...conn, max: 1 });
  // An idle client's error (the server going away) is an 'error' event on the pool: unhandled, it ends the process.
  pool.on('error', () => {});
  return {
    name: named ? 'pg' : 'pg-unnamed',
    async run(op, i) {
      if (op === 'select') {
        await pool.query({ ...n('sel'), text: 'SELECT * FROM ledger WHERE id = $1', values: [1 + (i % ids.next)] });
        return;
      }
      const client = await pool.connect();
      try {
        await tx(client, op, i);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
  async function tx(client: pg.PoolClient, op: Op, i: number): Promise<void> {
    if (op === 'append') {
      await client.query('BEGIN');
      try {
        await client.query({ ...n('lock'), text: 'SELECT pg_advisory_xact_lock($1)', values: [LOCK_KEY] });
        const last = await client.query<{ id: number; hash: string }>({ ...n('last'), text: 'SELECT id, hash FROM ledger ORDER BY id DESC LIMIT 1' });
        const prev = last.rows[0] ?? { id: 0, hash: '0'.repeat(64) };
        await client.query({
          ...n('ins'),
          text: 'INSERT INTO ledger (id, at, consumer, event, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6)',
          values: [prev.id + 1, Date.now(), consumer(i), 'granted', prev.hash, hashOf(prev.hash, i)],
        });
        await client.query('COMMIT');
      } catch (e) {
        await client.query('ROLLBACK');
        throw e;
      }
    } else {
      await client.query('BEGIN');
      const due = await client.query<{ id: number }>({
        ...n('due'),
        text: "SELECT id FROM queue WHERE state = 'queued' AND next_at <= $1 ORDER BY next_at, id LIMIT 10 FOR UPDATE SKIP LOCKED",
        values: [Date.now()],
      });
      await client.query({ ...n('take'), text: "UPDATE queue SET state = 'claimed' WHERE id = ANY($1)", values: [due.rows.map((r) => r.id)] });
      await client.query('COMMIT');
    }
  }
}

function porsagerDriver(conn: PgConnection, ids: { next: number }): Driver {
  const sql = postgres({ host: conn.host, port: conn.port, user: conn.user, database: conn.database, max: 1, onnotice: () => {}, types: { bigint: postgres.BigInt } });
  // int8 comes back as a BigInt (types.bigint); turned into a number as the store would.
  const num = (v: unknown): number => Number(v);
  return {
    name: 'postgres',
    async run(op, i) {
      if (op === 'select') {
        await sql`SELECT * FROM ledger WHERE id = ${1 + (i % ids.next)}`;
      } else if (op === 'append') {
        await sql.begin(async (tx) => {
          await tx`SELECT pg_advisory_xact_lock(${LOCK_KEY})`;
          const last = await tx`SELECT id, hash FROM ledger ORDER BY id DESC LIMIT 1`;
          const row = last[0];
          const prev = row ? { id: num(row.id), hash: String(row.hash) } : { id: 0, hash: '0'.repeat(64) };
          await tx`INSERT INTO ledger (id, at, consumer, event, prev_hash, hash) VALUES (${prev.id + 1}, ${Date.now()}, ${consumer(i)}, 'granted', ${prev.hash}, ${hashOf(prev.hash, i)})`;
        });
      } else {
        await sql.begin(async (tx) => {
          const due = await tx`SELECT id FROM queue WHERE state = 'queued' AND next_at <= ${Date.now()} ORDER BY next_at, id LIMIT 10 FOR UPDATE SKIP LOCKED`;
          await tx`UPDATE queue SET state = 'claimed' WHERE id = ANY(${due.map((r) => num(r.id))}::bigint[])`;
        });
      }
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

function kyselyDriver(conn: PgConnection, ids: { next: number }): Driver {
  const pool = new pg.Pool({ ...conn, max: 1 });
  pool.on('error', () => {});
  const db = new Kysely<Db>({ dialect: new PostgresDialect({ pool }) });
  return {
    name: 'kysely+pg',
    async run(op, i) {
      if (op === 'select') {
        await db.selectFrom('ledger').selectAll().where('id', '=', 1 + (i % ids.next)).execute();
      } else if (op === 'append') {
        await db.transaction().execute(async (tx) => {
          await ksql`SELECT pg_advisory_xact_lock(${LOCK_KEY})`.execute(tx);
          const row = await tx.selectFrom('ledger').select(['id', 'hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
          const prev = row ?? { id: 0, hash: '0'.repeat(64) };
          await tx
            .insertInto('ledger')
            .values({ id: prev.id + 1, at: Date.now(), consumer: consumer(i), event: 'granted', prev_hash: prev.hash, hash: hashOf(prev.hash, i) })
            .execute();
        });
      } else {
        await db.transaction().execute(async (tx) => {
          const due = await tx
            .selectFrom('queue')
            .select('id')
            .where('state', '=', 'queued')
            .where('next_at', '<=', Date.now())
            .orderBy('next_at')
            .orderBy('id')
            .limit(10)
            .forUpdate()
            .skipLocked()
            .execute();
          await tx.updateTable('queue').set({ state: 'claimed' }).where('id', 'in', due.length ? due.map((r) => r.id) : [-1]).execute();
        });
      }
    },
    close: () => db.destroy(),
  };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const emit = (o: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'pg-driver', ...o }));

async function main(): Promise<void> {
  const cluster = await startPgCluster({ fsync: FSYNC });
  try {
    const conn = await cluster.createDatabase('bench');
    const setup = new pg.Client(conn);
    await setup.connect();
    await setup.query(SCHEMA);
    // Enough queued rows for every claim of every round of every driver, plus slack.
    const needed = OPS * ROUNDS * 3 * 10 + 1000;
    await setup.query("INSERT INTO queue (recipient, body, state, next_at) SELECT '+15125550100', 'a text of about the usual length, rates may apply', 'queued', 0 FROM generate_series(1, $1)", [needed]);
    // A ledger that is not empty when statements are first planned: a prepared statement planned on an
    // empty table keeps its sequential scan (a plan without parameters is never re-planned), which
    // made the drivers that prepare look slower the longer a run went.
    const ledgerRows = Number(process.env.BENCH_PG_LEDGER ?? 20_000);
    await setup.query(
      "INSERT INTO ledger SELECT g, 0, '+15125550100', 'granted', lpad(to_hex(g - 1), 64, '0'), lpad(to_hex(g), 64, '0') FROM generate_series(1, $1) g",
      [ledgerRows],
    );
    await setup.query('ANALYZE');
    await setup.end();
    const ids = { next: ledgerRows };
    const drivers = [pgDriver(conn, ids, true), pgDriver(conn, ids, false), porsagerDriver(conn, ids), kyselyDriver(conn, ids)];
    const ops: Op[] = ['append', 'claim10', 'select'];
    const us: Record<string, Record<Op, number[]>> = {};
    for (const d of drivers) us[d.name] = { append: [], claim10: [], select: [] };
    // Warm-up: connections, prepared statements, JIT.
    for (const d of drivers) for (const op of ops) for (let i = 0; i < 50; i++) await d.run(op, i);
    const load = [loadavg()[0]!];
    for (let r = 0; r < ROUNDS; r++) {
      for (const op of ops) {
        for (const d of drivers) {
          const t0 = performance.now();
          for (let i = 0; i < OPS; i++) await d.run(op, i);
          us[d.name]![op].push(((performance.now() - t0) * 1000) / OPS);
        }
      }
      load.push(loadavg()[0]!);
    }
    for (const op of ops) {
      for (const d of drivers) {
        const m = median(us[d.name]![op]);
        // Paired: each round's time over pg's in the same round, so a load change between rounds cancels out.
        const ratios = us[d.name]![op].map((x, r) => x / us.pg![op][r]!);
        emit({ op, driver: d.name, usPerOp: Math.round(m), ratioToPg: Math.round(median(ratios) * 100) / 100, rounds: us[d.name]![op].map(Math.round), opsPerRound: OPS, fsync: FSYNC, pgMajor: cluster.major, loadavg1: load.map((x) => Math.round(x * 10) / 10) });
      }
    }
    for (const d of drivers) {
      await d.close().catch((e: unknown) => console.error(`closing ${d.name}: ${e instanceof Error ? e.message : String(e)}`));
    }
  } finally {
    await cluster.stop();
  }
}

await main();
