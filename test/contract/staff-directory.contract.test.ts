import assert from 'node:assert/strict';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { FakeDirectory } from '../app/notify/notify-fakes.ts';
import { InMemoryStaffStore } from '../fakes/in-memory-staff-store.ts';
import { fakeBusinesses } from './fake-contract-db.ts';
import { contractDb } from './sqlite-contract-db.ts';
import { runStaffDirectoryContract, runStaffRepositoryContract } from './staff-directory-contract.ts';

runStaffDirectoryContract('notify fake', (seed) => ({
  directory: new FakeDirectory(seed.staff.map((s, i) => ({ ...s, id: i + 1, createdAt: 0 })), seed.webhook),
}));

/** The contract's businesses 1 and 2. */
function sqlite(now?: () => number): { store: SqliteStaffStore; close(): void } {
  const c = contractDb('staff', 2);
  assert.deepEqual(c.businessIds, [1, 2]);
  return { store: new SqliteStaffStore(c.db, now === undefined ? {} : { clock: { now } }), close: c.close };
}

runStaffDirectoryContract('SQLite on a temp file', (seed) => {
  const { store, close } = sqlite();
  for (const s of seed.staff) store.add(s);
  store.setWebhook(seed.webhook.businessId, seed.webhook);
  return { directory: store, close };
});

runStaffRepositoryContract('SQLite on a temp file', (now) => {
  const { store, close } = sqlite(now);
  return { repository: store, close };
});

/** The contract's businesses 1 and 2, as the fake's directory. */
function fake(now?: () => number): InMemoryStaffStore {
  const b = fakeBusinesses(2);
  assert.deepEqual(b.businessIds, [1, 2]);
  return new InMemoryStaffStore(now === undefined ? { businesses: b.directory } : { businesses: b.directory, now });
}

runStaffDirectoryContract('in-memory fake', (seed) => {
  const store = fake();
  for (const s of seed.staff) store.add(s);
  store.setWebhook(seed.webhook.businessId, seed.webhook);
  return { directory: store };
});

runStaffRepositoryContract('in-memory fake', (now) => ({ repository: fake(now) }));
