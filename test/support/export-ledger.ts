import { exportConsent } from '../../src/app/consent/export-consent.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { SqliteLedgerExportReader } from '../../src/store/sqlite-ledger-export-reader.ts';
import { consentEvent } from '../store/store-test-helpers.ts';

/**
 * A migrated database at `path` holding one business (Acme, verbal consent) and `rows` consent events,
 * 1.234 s apart from 2026-05-26 14:00 UTC, over 500 consumers, each with `transcript(i)`: the ledger the
 * export tests compare the CLI's output against. The caller closes the returned handle.
 */
export function exportLedgerDb(path: string, rows: number, transcript: (i: number) => string): SqliteDb {
  const db = openDatabase(path);
  try {
    migrate(db);
    new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
    let clock = Date.UTC(2026, 4, 26, 14, 0, 0, 0);
    new SqliteConsentStore(db, { now: () => (clock += 1234) }).appendAll(
      Array.from({ length: rows }, (_, i) => consentEvent({ consumer: `+1512555${String(1000 + (i % 500))}`, transcript: transcript(i) })),
    );
    return db;
  } catch (e) {
    db.close();
    throw e;
  }
}

/** The in-process export of `db` in `format`, as one string. */
export async function exportText(db: SqliteDb, format: 'csv' | 'ndjson'): Promise<string> {
  let s = '';
  for await (const p of exportConsent(new SqliteLedgerExportReader(db), format)) s += typeof p === 'string' ? p : Buffer.from(p).toString('utf8');
  return s;
}
