/**
 * One throwaway cluster per test file (test/support/pg-cluster.ts), and per test a fresh database copied
 * from a template that carries the migrated schema and one business, so a test starts from the state
 * SQLite's tests get from a new temp file, in the time of a CREATE DATABASE.
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

export interface PgTestDb {
  readonly conn: PgConnection;
  /** A new pool on this database (a second "node"); closed by `close`. */
  pool(max?: number): pg.Pool;
  close(): Promise<void>;
}

export interface PgTestCluster {
  readonly cluster: PgCluster;
  freshDb(): Promise<PgTestDb>;
  stop(): Promise<void>;
}

export async function startPgTestCluster(): Promise<PgTestCluster> {
  const cluster = await startPgCluster();
  try {
    const conn = await cluster.createDatabase(TEMPLATE);
    const pool = openPgPool(conn, { max: 1 });
    try {
      await migratePg(pool);
      await pool.query("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES ($1, 'Acme Plumbing', $2, 'verbal', 0, 0)", [BUSINESS_ID, TIMEZONE]);
      await pool.query('INSERT INTO business_dids (did, business_id) VALUES ($1, $2)', [DID, BUSINESS_ID]);
    } finally {
      // CREATE DATABASE ... TEMPLATE refuses while anyone is connected to the template.
      await pool.end();
    }
  } catch (err) {
    await cluster.stop();
    throw err;
  }
  return {
    cluster,
    async freshDb() {
      const conn = await cluster.createDatabase(undefined, TEMPLATE);
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
