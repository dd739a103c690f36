/**
 * The ConsentStore contract over the PostgreSQL ledger (src/store/postgres/pg-consent-store.ts): one
 * throwaway cluster for this file, a fresh database per test (test/store/postgres/pg-test-db.ts). What
 * several nodes and the database add (one chain from two pools, triggers, paging, the same bytes as
 * SQLite) is tested in test/store/postgres/pg-consent-store.test.ts.
 */
import { after, before } from 'node:test';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { startPgTestCluster, type PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { runConsentStoreContract } from './consent-store-contract.ts';

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

runConsentStoreContract('PostgreSQL', async (now) => {
  const db = await pgc.freshDb();
  return { store: new PgConsentStore(db.pool(4), { now }), close: () => db.close() };
});
