import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteUrgencyStore } from '../../src/store/sqlite-urgency-store.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { InMemoryUrgencyStore } from '../fakes/in-memory-urgency-store.ts';
import { fakeBusinesses } from './fake-contract-db.ts';
import { contractDb } from './sqlite-contract-db.ts';
import { runUrgencyStoreContract } from './urgency-store-contract.ts';

runUrgencyStoreContract('SQLite on a temp file', () => {
  const c = contractDb('urgency', 2);
  const [b1, b2] = [c.businessIds[0]!, c.businessIds[1]!];
  const calls = new SqliteCallLog(c.db);
  const call = (n: number) =>
    calls.open({ engine: 'asterisk', channelId: `c${n}`, businessId: b1, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: n });
  return { store: new SqliteUrgencyStore(c.db), businessIds: [b1, b2], callIds: [call(1), call(2)], close: c.close };
});

runUrgencyStoreContract('in-memory fake', () => {
  const b = fakeBusinesses(2);
  const [b1, b2] = [b.businessIds[0]!, b.businessIds[1]!];
  const calls = new InMemoryCallLog();
  const call = (n: number) =>
    calls.open({ engine: 'asterisk', channelId: `c${n}`, businessId: b1, did: b.dids[0]!, callerRaw: '5125550123', callerE164: '+15125550123', startedAt: n });
  return { store: new InMemoryUrgencyStore({ businesses: b.directory }), businessIds: [b1, b2], callIds: [call(1), call(2)] };
});
