/**
 * PostgreSQL for the `*.pg.contract.test.ts` runners: one throwaway cluster per test file (started
 * before its first test, stopped after its last), and per test an empty migrated database with
 * `businesses` (1, 2, ...) in it, as sqlite-contract-db.ts gives SQLite's runners.
 */
import { after, before } from 'node:test';
import type pg from 'pg';
import { addBusiness, startPgTestCluster, type PgTestCluster } from '../store/postgres/pg-test-db.ts';

export interface PgContractDb {
  readonly pool: pg.Pool;
  readonly businessIds: number[];
  close(): Promise<void>;
}

/** Registers the file's cluster; call at the top level of a test file. Returns the per-test database maker. */
export function usePgCluster(): (businesses?: number) => Promise<PgContractDb> {
  let pgc: PgTestCluster | undefined;
  before(async () => {
    pgc = await startPgTestCluster();
  });
  after(async () => {
    await pgc?.stop();
  });
  return async (businesses = 0) => {
    if (!pgc) throw new Error('the PostgreSQL cluster did not start (see the before hook\'s error)');
    const db = await pgc.freshDb({ empty: true });
    const pool = db.pool(4);
    try {
      const businessIds: number[] = [];
      for (let i = 0; i < businesses; i++) businessIds.push(await addBusiness(pool, `Business ${i + 1}`, `+1512555${String(9000 + i)}`));
      return { pool, businessIds, close: () => db.close() };
    } catch (err) {
      await db.close();
      throw err;
    }
  };
}
