import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteRetentionStore } from '../../src/store/sqlite-retention-store.ts';
import { runRecordingRetentionStoreContract } from './recording-retention-store-contract.ts';
import { contractDb } from './sqlite-contract-db.ts';

runRecordingRetentionStoreContract('SQLite on a temp file', () => {
  const c = contractDb('retention', 1);
  const stamp = c.db.prepare('SELECT recording_deleted_at FROM calls WHERE id = ?').pluck();
  return {
    store: new SqliteRetentionStore(c.db),
    calls: new SqliteCallLog(c.db),
    consent: new SqliteConsentStore(c.db),
    businessId: c.businessIds[0]!,
    did: '+15125559000',
    deletedAt: (id) => (stamp.get(id) as number | null | undefined) ?? null,
    close: c.close,
  };
});
