import { SqliteCallLog } from '../../src/store/sqlite-call-log.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteRetentionStore } from '../../src/store/sqlite-retention-store.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { InMemoryConsentStore } from '../fakes/in-memory-consent-store.ts';
import { InMemoryRetentionStore } from '../fakes/in-memory-retention-store.ts';
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

runRecordingRetentionStoreContract('in-memory fake', () => {
  const calls = new InMemoryCallLog();
  const consent = new InMemoryConsentStore();
  const store = new InMemoryRetentionStore({ calls, consent });
  return { store, calls, consent, businessId: 1, did: '+15125559000', deletedAt: (id) => store.deletedAt(id) };
});
