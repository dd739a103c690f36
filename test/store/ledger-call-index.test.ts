import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from './store-test-helpers.ts';

test('migration 004 indexes the ledger by call, and the retention lookups use it', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const db = openDatabase(join(dir, 'i.db'));
  t.after(() => db.close());
  migrate(db);
  const plan = (sql: string): string =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join('\n');
  // The two ledger lookups of src/store/sqlite-retention-store.ts.
  assert.match(plan("SELECT call_id, audio_path FROM consent_ledger WHERE audio_path IS NOT NULL AND call_id IN (SELECT value FROM json_each('[1,2]')) ORDER BY id"), /consent_ledger_call/);
  assert.match(plan('SELECT id FROM calls WHERE id IN (SELECT call_id FROM consent_ledger WHERE call_id IS NOT NULL AND audio_path IS NOT NULL)'), /consent_ledger_call/);
  assert.match(plan('SELECT id FROM consent_ledger WHERE call_id = 7'), /consent_ledger_call/);
});
