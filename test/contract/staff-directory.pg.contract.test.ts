/** The StaffDirectory and StaffRepository contracts over PostgreSQL (src/store/postgres/pg-staff-store.ts), a fresh database per test holding businesses 1 and 2. */
import assert from 'node:assert/strict';
import { PgStaffStore } from '../../src/store/postgres/pg-staff-store.ts';
import { usePgCluster } from './pg-contract-db.ts';
import { runStaffDirectoryContract, runStaffRepositoryContract } from './staff-directory-contract.ts';

const freshDb = usePgCluster();

/** The contract's businesses 1 and 2. */
async function pgStaff(now?: () => number): Promise<{ store: PgStaffStore; close(): Promise<void> }> {
  const db = await freshDb(2);
  assert.deepEqual(db.businessIds, [1, 2]);
  return { store: new PgStaffStore(db.pool, now === undefined ? {} : { clock: { now } }), close: db.close };
}

runStaffDirectoryContract('PostgreSQL', async (seed) => {
  const { store, close } = await pgStaff();
  for (const s of seed.staff) await store.add(s);
  await store.setWebhook(seed.webhook.businessId, seed.webhook);
  return { directory: store, close };
});

runStaffRepositoryContract('PostgreSQL', async (now) => {
  const { store, close } = await pgStaff(now);
  return { repository: store, close };
});
