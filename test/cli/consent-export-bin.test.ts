import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { exportConsent } from '../../src/app/consent/export-consent.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteLedgerExportReader } from '../../src/store/sqlite-ledger-export-reader.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';

const BIN = fileURLToPath(new URL('../../bin/callkeeper.mjs', import.meta.url));
/** The sources as they are, through tsx: never a dist/ left from an older build (test/build/ covers dist). */
const env = { ...process.env, CALLKEEPER_DEV: '1' };
/** Many chunks (256 ids each): the rows cross chunk borders. */
const ROWS = 10_500;

test('bin/callkeeper.mjs exports from any directory, byte for byte as the reader does in-process', async (t) => {
  const { dir, cleanup } = tempDir('callkeeper-export-bin-');
  t.after(cleanup);
  const path = join(dir, 'ck.db');
  const db = openDatabase(path);
  t.after(() => db.close());
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
  let clock = Date.UTC(2026, 4, 26, 14, 0, 0, 0);
  new SqliteConsentStore(db, { now: () => (clock += 1234) }).appendAll(
    Array.from({ length: ROWS }, (_, i) => consentEvent({ consumer: `+1512555${String(1000 + (i % 500))}`, transcript: i % 4 === 0 ? `=cmd, "${i}"` : `yes ${i}` })),
  );
  const out = join(dir, 'out.csv');
  const run = await promisify(execFile)(process.execPath, [BIN, '--db', path, 'consent', 'export', '--out', out], { cwd: dir, env });
  assert.equal(run.stderr, '');
  const stdout = await promisify(execFile)(process.execPath, [BIN, '--db', path, 'consent', 'export', '--format', 'ndjson'], { cwd: dir, env, maxBuffer: 64 << 20 });

  const inline = async (format: 'csv' | 'ndjson'): Promise<string> => {
    let s = '';
    for await (const p of exportConsent(new SqliteLedgerExportReader(db), format)) s += typeof p === 'string' ? p : Buffer.from(p).toString('utf8');
    return s;
  };
  const csv = readFileSync(out, 'utf8');
  assert.equal(csv.split('\r\n').length, ROWS + 2);
  assert.equal(csv, await inline('csv'));
  assert.equal(stdout.stdout, await inline('ndjson'));
});
