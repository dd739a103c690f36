import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { APPLICATION_ID, migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { inspectDatabase } from '../../src/store/sqlite-database-health.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { callkeeper, type CliRun } from './cli-test-harness.ts';

const sha = (path: string): string => createHash('sha256').update(readFileSync(path)).digest('hex');
const mode = (path: string): number => statSync(path).mode & 0o777;

/** Every command that takes --db, read-only and writing, as an installer might mistype it. */
const COMMANDS: string[][] = [
  ['consent', 'verify'],
  ['consent', 'show', '+15125550123'],
  ['consent', 'export', '--format', 'ndjson'],
  ['consent', 'evidence', '1', '--out', 'unused'],
  ['business', 'list'],
  ['messages', 'list'],
  ['db', 'migrate'],
  ['business', 'add', '--name', 'Acme', '--did', '+15125550100'],
  ['consent', 'revoke', '+15125550123', '--business', '1', '--reason', 'x'],
];

function oneLine(r: CliRun, what: string): string {
  assert.equal(r.code, 1, `${what}: exit ${r.code} ${r.stderr}`);
  assert.doesNotMatch(r.stderr, /^\s+at /m, `${what}: stack trace`);
  const lines = r.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
  return lines[0]!;
}

describe('--db on a file that is not a callkeeper database', () => {
  test("another program's SQLite file is refused by every command and left byte for byte, mode and all", async (t) => {
    const { dir, cleanup } = tempDir('ck-foreign-');
    t.after(cleanup);
    const path = join(dir, 'other.sqlite');
    const other = new Database(path);
    other.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('keep me');");
    other.close();
    chmodSync(path, 0o644);
    const before = sha(path);
    for (const args of COMMANDS) {
      const line = oneLine(await callkeeper(['--db', path, ...args]), args.join(' '));
      assert.equal(line, `callkeeper: ${path} is not a callkeeper database (an SQLite database of another program (1 schema entries, no callkeeper migrations)); it was left unchanged (check --db / CALLKEEPER_DB)`, args.join(' '));
    }
    assert.equal(sha(path), before);
    assert.equal(mode(path), 0o644);
    assert.equal(existsSync(`${path}-wal`), false, 'a -wal file was made');
    const check = new Database(path, { readonly: true });
    assert.deepEqual(check.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all(), ['notes']);
    check.close();
    assert.match(inspectDatabase(path).notOurs ?? '', /is not a callkeeper database/);
  });

  test('a stamped database of another program, and a text file, are refused the same way', async (t) => {
    const { dir, cleanup } = tempDir('ck-foreign-');
    t.after(cleanup);
    const stamped = join(dir, 'stamped.sqlite');
    const other = new Database(stamped);
    other.pragma('application_id = 1234');
    other.close();
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a database at all\n', { mode: 0o644 });
    chmodSync(text, 0o644);
    const texts = sha(text);
    for (const args of [['consent', 'verify'], ['db', 'migrate'], ['business', 'add', '--name', 'Acme', '--did', '+15125550100']]) {
      assert.match(oneLine(await callkeeper(['--db', stamped, ...args]), args.join(' ')), /is not a callkeeper database \(an SQLite database of another program \(application_id 1234\)\)/);
      assert.match(oneLine(await callkeeper(['--db', text, ...args]), args.join(' ')), /is not a callkeeper database \(not an SQLite database\)/);
    }
    assert.equal(sha(text), texts);
    assert.equal(mode(text), 0o644);
    assert.match(oneLine(await callkeeper(['--db', dir, 'consent', 'verify']), 'a directory'), /is not a callkeeper database \(not a regular file\)/);
  });

  test('read-only commands on a missing database: one line, and no file is created', async (t) => {
    const { dir, cleanup } = tempDir('ck-foreign-');
    t.after(cleanup);
    const path = join(dir, 'missing.db');
    for (const args of COMMANDS.slice(0, 6)) {
      const line = oneLine(await callkeeper(['--db', path, ...args]), args.join(' '));
      assert.equal(line, `callkeeper: no database at ${path} (check --db / CALLKEEPER_DB, or run: callkeeper db migrate)`);
    }
    assert.equal(existsSync(path), false);
  });

  test('read-only commands open read-only and never migrate; a write command does', async (t) => {
    const { dir, cleanup } = tempDir('ck-foreign-');
    t.after(cleanup);
    const path = join(dir, 'old.db');
    const db = openDatabase(path);
    migrate(db, MIGRATIONS.slice(0, -1));
    db.close();
    const versions = (): number => {
      const d = new Database(path, { readonly: true });
      const n = d.prepare('SELECT count(*) FROM schema_migrations').pluck().get() as number;
      d.close();
      return n;
    };
    for (const args of [['consent', 'verify'], ['business', 'list']]) {
      assert.equal(oneLine(await callkeeper(['--db', path, ...args]), args.join(' ')), `callkeeper: database ${path} lacks 1 schema migration(s) this callkeeper needs (run: callkeeper db migrate)`);
    }
    assert.equal(versions(), MIGRATIONS.length - 1);
    const add = await callkeeper(['--db', path, 'business', 'add', '--name', 'Acme', '--did', '+15125550100']);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(versions(), MIGRATIONS.length);
    assert.equal((await callkeeper(['--db', path, 'consent', 'verify'])).code, 0);
  });

  test('a new database gets the application id; one made by an earlier callkeeper is recognized, and stamped only when opened for writing', async (t) => {
    const { dir, cleanup } = tempDir('ck-foreign-');
    t.after(cleanup);
    const fresh = join(dir, 'fresh.db');
    assert.equal((await callkeeper(['--db', fresh, 'db', 'migrate'])).code, 0);
    const idOf = (p: string): number => {
      const d = new Database(p, { readonly: true });
      const id = d.pragma('application_id', { simple: true }) as number;
      d.close();
      return id;
    };
    assert.equal(idOf(fresh), APPLICATION_ID);

    const legacy = join(dir, 'legacy.db');
    const db = openDatabase(legacy);
    migrate(db);
    db.pragma('application_id = 0');
    db.close();
    const list = await callkeeper(['--db', legacy, 'business', 'list', '--json']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(idOf(legacy), 0, 'a read-only command wrote the application id');
    assert.equal((await callkeeper(['--db', legacy, 'business', 'add', '--name', 'Acme', '--did', '+15125550100'])).code, 0);
    assert.equal(idOf(legacy), APPLICATION_ID);
  });
});
