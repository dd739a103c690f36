import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import { SqliteOutbox } from '../../src/store/sqlite-outbox.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { InMemoryConsentStore } from '../fakes/in-memory-consent-store.ts';
import { InMemoryMessageLog } from '../fakes/in-memory-message-log.ts';
import { InMemoryOutbox } from '../fakes/in-memory-outbox.ts';
import { fakeBusinesses } from './fake-contract-db.ts';
import { runMessageLogContract } from './message-log-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

runMessageLogContract('SQLite on a temp file', (now) => {
  const c = contractDb('messages', 2);
  const clock = { now };
  const dids = c.db.prepare('SELECT did FROM business_dids ORDER BY business_id').pluck().all() as string[];
  return {
    messages: new SqliteMessageLog(c.db),
    calls: new SqliteCallLog(c.db),
    outbox: new SqliteOutbox(c.db, { clock }),
    consent: new SqliteConsentStore(c.db, clock),
    businessIds: [c.businessIds[0]!, c.businessIds[1]!],
    dids: [dids[0]!, dids[1]!],
    close: c.close,
  };
});

runMessageLogContract('in-memory fake', (now) => {
  const b = fakeBusinesses(2);
  const calls = new InMemoryCallLog();
  const outbox = new InMemoryOutbox({ now });
  const consent = new InMemoryConsentStore({ now });
  return {
    messages: new InMemoryMessageLog({ calls, outbox, consent }),
    calls,
    outbox,
    consent,
    businessIds: [b.businessIds[0]!, b.businessIds[1]!],
    dids: [b.dids[0]!, b.dids[1]!],
  };
});
