/** The RecordingRetentionStore contract over PostgreSQL (src/store/postgres/pg-retention-store.ts), a fresh database per test; calls and consent answers go in through the PostgreSQL call log and ledger. */
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgRetentionStore } from '../../src/store/postgres/pg-retention-store.ts';
import { usePgCluster } from './pg-contract-db.ts';
import { runRecordingRetentionStoreContract } from './recording-retention-store-contract.ts';

const freshDb = usePgCluster();

runRecordingRetentionStoreContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  return {
    store: new PgRetentionStore(db.pool),
    calls: new PgCallLog(db.pool),
    consent: new PgConsentStore(db.pool),
    businessId: db.businessIds[0]!,
    did: '+15125559000',
    deletedAt: async (id) => (await db.pool.query<{ d: number | null }>('SELECT recording_deleted_at AS d FROM calls WHERE id = $1', [id])).rows[0]?.d ?? null,
    close: db.close,
  };
});
