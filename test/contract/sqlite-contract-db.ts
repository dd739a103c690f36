import { join } from 'node:path';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { createBusiness } from '../sms/fixtures/messaging-db.ts';
import { tempDir } from '../store/store-test-helpers.ts';

/** A migrated SQLite database on a temp file for one contract test, with `businesses` (1, 2, ...) in it. */
export function contractDb(prefix: string, businesses = 0): { db: SqliteDb; businessIds: number[]; close(): void } {
  const { dir, cleanup } = tempDir(`ck-contract-${prefix}-`);
  const db = openDatabase(join(dir, `${prefix}.db`));
  migrate(db);
  const businessIds = Array.from({ length: businesses }, (_, i) => createBusiness(db, `Business ${i + 1}`, `+1512555${String(9000 + i)}`));
  return {
    db,
    businessIds,
    close: () => {
      db.close();
      cleanup();
    },
  };
}
