import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../store/store-test-helpers.ts';
import { exportLedgerDb, exportText } from '../support/export-ledger.ts';

const BIN = fileURLToPath(new URL('../../bin/callkeeper.mjs', import.meta.url));
/** The sources as they are, through tsx: never a dist/ left from an older build (test/build/ covers dist). */
const env = { ...process.env, CALLKEEPER_DEV: '1' };
/** Many chunks (256 ids each): the rows cross chunk borders. */
const ROWS = 10_500;

test('bin/callkeeper.mjs exports from any directory, byte for byte as the reader does in-process', async (t) => {
  const { dir, cleanup } = tempDir('callkeeper-export-bin-');
  t.after(cleanup);
  const path = join(dir, 'ck.db');
  const db = exportLedgerDb(path, ROWS, (i) => (i % 4 === 0 ? `=cmd, "${i}"` : `yes ${i}`));
  t.after(() => db.close());
  const out = join(dir, 'out.csv');
  const run = await promisify(execFile)(process.execPath, [BIN, '--db', path, 'consent', 'export', '--out', out], { cwd: dir, env });
  assert.equal(run.stderr, '');
  const stdout = await promisify(execFile)(process.execPath, [BIN, '--db', path, 'consent', 'export', '--format', 'ndjson'], { cwd: dir, env, maxBuffer: 64 << 20 });

  const inline = (format: 'csv' | 'ndjson'): Promise<string> => exportText(db, format);
  const csv = readFileSync(out, 'utf8');
  assert.equal(csv.split('\r\n').length, ROWS + 2);
  assert.equal(csv, await inline('csv'));
  assert.equal(stdout.stdout, await inline('ndjson'));
});
