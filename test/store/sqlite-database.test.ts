import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate, openDatabase, pendingMigrations } from '../../src/store/sqlite-database.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { tempDir } from './store-test-helpers.ts';

describe('openDatabase and migrate', () => {
  test('creates the file (and its parent folder) with mode 0600, in WAL mode with foreign keys on', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const path = join(dir, 'nested', 'deeper', 'callkeeper.db');
    const db = openDatabase(path);
    t.after(() => db.close());
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(db.pragma('foreign_keys', { simple: true }), 1);
    assert.ok((db.pragma('busy_timeout', { simple: true }) as number) >= 1000);
  });

  test('tightens an existing file that is readable by others', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const path = join(dir, 'loose.db');
    writeFileSync(path, '');
    chmodSync(path, 0o644);
    openDatabase(path).close();
    assert.equal(statSync(path).mode & 0o777, 0o600);
  });

  test('applies every migration once; running migrate twice is a no-op', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const db = openDatabase(join(dir, 'm.db'));
    t.after(() => db.close());
    assert.deepEqual(
      pendingMigrations(db).map((m) => m.version),
      MIGRATIONS.map((m) => m.version),
    );
    const first = migrate(db);
    assert.deepEqual(
      first.map((m) => m.version),
      MIGRATIONS.map((m) => m.version),
    );
    const schema = db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    const rows = db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all();
    assert.deepEqual(migrate(db), []);
    assert.deepEqual(pendingMigrations(db), []);
    assert.deepEqual(db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all(), schema);
    assert.deepEqual(db.prepare('SELECT version, name, applied_at FROM schema_migrations ORDER BY version').all(), rows);
  });

  test('a failing migration leaves the earlier ones applied and records nothing for itself', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const db = openDatabase(join(dir, 'f.db'));
    t.after(() => db.close());
    const bad = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); CREATE TABLE a (y INTEGER);' },
    ];
    assert.throws(() => migrate(db, bad), (e: Error & { code?: string }) => e.code === 'STORE.MIGRATION_FAILED');
    assert.deepEqual(db.prepare('SELECT version FROM schema_migrations').pluck().all(), [1]);
    assert.equal(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'b'").pluck().get(), 0);
  });
});
