/**
 * The MessageLog contract over PostgreSQL (src/store/postgres/pg-message-log.ts), a fresh database per
 * test with two businesses; the history it reads is filled through the PostgreSQL call log, outbox and
 * ledger on the same database.
 */
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgMessageLog } from '../../src/store/postgres/pg-message-log.ts';
import { PgOutbox } from '../../src/store/postgres/pg-outbox.ts';
import { runMessageLogContract } from './message-log-contract.ts';
import { usePgCluster } from './pg-contract-db.ts';

const freshDb = usePgCluster();

runMessageLogContract('PostgreSQL', async (now) => {
  const db = await freshDb(2);
  const clock = { now };
  const dids = (await db.pool.query<{ did: string }>('SELECT did FROM business_dids ORDER BY business_id')).rows.map((r) => r.did);
  return {
    messages: new PgMessageLog(db.pool),
    calls: new PgCallLog(db.pool),
    outbox: new PgOutbox(db.pool, { nodeId: 'contract', clock }),
    consent: new PgConsentStore(db.pool, clock),
    businessIds: [db.businessIds[0]!, db.businessIds[1]!],
    dids: [dids[0]!, dids[1]!],
    close: db.close,
  };
});
