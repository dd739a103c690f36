/**
 * The outbox contracts (enqueue, and claim/STOP/receipts) over the PostgreSQL outbox
 * (src/store/postgres/pg-outbox.ts): one throwaway cluster for this file, a fresh database per test
 * (test/store/postgres/pg-test-db.ts: migrated, one business with its DID and time zone). What several
 * nodes add is tested in test/store/postgres/pg-outbox.test.ts.
 */
import { after, before } from 'node:test';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgOutbox } from '../../src/store/postgres/pg-outbox.ts';
import { BUSINESS_ID, DID, startPgTestCluster, TIMEZONE, type PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { runDispatchOutboxContract, runOutboxContract } from './outbox-contract.ts';

/** 2026-03-10 12:00 in America/Chicago: outside quiet hours, as the SQLite runner's clock starts. */
const NOW = Date.UTC(2026, 2, 10, 17, 0, 0);

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

async function node(): Promise<{ outbox: PgOutbox; consent: PgConsentStore; close(): Promise<void> }> {
  const db = await pgc.freshDb();
  const pool = db.pool(4);
  const clock = { now: () => NOW };
  return { outbox: new PgOutbox(pool, { nodeId: 'contract', clock }), consent: new PgConsentStore(pool, clock), close: () => db.close() };
}

runOutboxContract('PostgreSQL', async () => {
  const n = await node();
  return { outbox: n.outbox, close: n.close };
});

runDispatchOutboxContract('PostgreSQL', async () => {
  const n = await node();
  return {
    outbox: n.outbox,
    consent: n.consent,
    atomically: (fn) => n.outbox.atomically(fn),
    businessId: BUSINESS_ID,
    did: DID,
    timezone: TIMEZONE,
    now: () => NOW,
    close: n.close,
  };
});
