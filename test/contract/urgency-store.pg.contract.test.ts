/** The UrgencyStore contract over PostgreSQL (src/store/postgres/pg-urgency-store.ts), a fresh database per test with two businesses and two calls. */
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgUrgencyStore } from '../../src/store/postgres/pg-urgency-store.ts';
import { usePgCluster } from './pg-contract-db.ts';
import { runUrgencyStoreContract } from './urgency-store-contract.ts';

const freshDb = usePgCluster();

runUrgencyStoreContract('PostgreSQL', async () => {
  const db = await freshDb(2);
  const [b1, b2] = [db.businessIds[0]!, db.businessIds[1]!];
  const calls = new PgCallLog(db.pool);
  const call = (n: number): Promise<number> =>
    calls.open({ engine: 'asterisk', channelId: `c${n}`, businessId: b1, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: n });
  return { store: new PgUrgencyStore(db.pool), businessIds: [b1, b2], callIds: [await call(1), await call(2)], close: db.close };
});
