import { join } from 'node:path';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { InMemoryConsentStore } from '../fakes/in-memory-consent-store.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { runConsentStoreContract } from './consent-store-contract.ts';

runConsentStoreContract('in-memory fake', (now) => ({ store: new InMemoryConsentStore({ now }), close: () => {} }));

runConsentStoreContract('SQLite on a temp file', (now) => {
  const { dir, cleanup } = tempDir('ck-contract-consent-');
  const db = openDatabase(join(dir, 'ledger.db'));
  migrate(db);
  return {
    store: new SqliteConsentStore(db, { now }),
    close: () => {
      db.close();
      cleanup();
    },
  };
});
