/**
 * One throwaway cluster per test file (test/support/pg-cluster.ts), and per test a fresh database copied
 * from a template that carries the migrated schema and one business (or, `{ empty: true }`, the schema
 * alone), so a test starts from the state SQLite's tests get from a new temp file, in the time of a
 * CREATE DATABASE.
 */
import type pg from 'pg';
import { openPgPool } from '../../../src/store/postgres/pg-database.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrate.ts';
import { startPgCluster, type PgCluster, type PgConnection } from '../../support/pg-cluster.ts';

export const DID = '+15125550100';
export const TIMEZONE = 'America/Chicago';
/** The business every template copy holds. */
export const BUSINESS_ID = 1;
const TEMPLATE = 'ck_template';
const EMPTY_TEMPLATE = 'ck_template_empty';

export interface PgTestDb {
  readonly conn: PgConnection;
  /** A new pool on this database (a second "node"); closed by `close`. */
  pool(max?: number): pg.Pool;
  close(): Promise<void>;
}

export interface PgTestCluster {
  readonly cluster: PgCluster;
  /** A new database: migrated, holding business BUSINESS_ID with DID and TIMEZONE, or nothing with `empty`. */
  freshDb(opts?: { empty?: boolean }): Promise<PgTestDb>;
  stop(): Promise<void>;
}

export async function startPgTestCluster(): Promise<PgTestCluster> {
  const cluster = await startPgCluster();
  try {
    const emptyConn = await cluster.createDatabase(EMPTY_TEMPLATE);
    const empty = openPgPool(emptyConn, { max: 1 });
    try {
      await migratePg(empty);
    } finally {
      // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
      await empty.end();
    }
    const pool = openPgPool(await cluster.createDatabase(TEMPLATE, EMPTY_TEMPLATE), { max: 1 });
    try {
      // Through the identity column, so that a business a test adds next gets id 2.
      const id = await addBusiness(pool, 'Acme Plumbing', DID, TIMEZONE);
      if (id !== BUSINESS_ID) throw new Error(`the template's business got id ${id}, not ${BUSINESS_ID}`);
    } finally {
      await pool.end();
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return {
    cluster,
    async freshDb(opts = {}) {
      const conn = await cluster.createDatabase(undefined, opts.empty ? EMPTY_TEMPLATE : TEMPLATE);
      const pools: pg.Pool[] = [];
      return {
        conn,
        pool(max = 4) {
          const p = openPgPool(conn, { max });
          pools.push(p);
          return p;
        },
        async close() {
          await Promise.all(pools.map((p) => p.end()));
        },
      };
    },
    stop: () => cluster.stop(),
  };
}

/** Adds a business with one DID, as test/sms/fixtures/messaging-db.ts `createBusiness` does on SQLite; its id. */
export async function addBusiness(pool: pg.Pool, name: string, did: string, timezone = TIMEZONE): Promise<number> {
  const r = await pool.query<{ id: number }>("INSERT INTO businesses (name, timezone, consent_mode, created_at, updated_at) VALUES ($1, $2, 'verbal', 0, 0) RETURNING id", [name, timezone]);
  const id = r.rows[0]!.id;
  await pool.query('INSERT INTO business_dids (did, business_id, position) VALUES ($1, $2, 0)', [did, id]);
  return id;
}
