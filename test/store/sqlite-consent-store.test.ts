import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase, type SqliteDb } from '../../src/store/sqlite-database.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { GENESIS_HASH, ledgerHash, canonicalLedgerJson } from '../../src/domain/ledger/ledger-record.ts';
import { consentEvent, tempDir } from './store-test-helpers.ts';
import { DEFAULT_WAIT_MS, withTimeout } from '../support/wait-for.ts';

function setup(t: { after(fn: () => void): void }, n = 0): { db: SqliteDb; store: SqliteConsentStore; path: string } {
  const { dir, cleanup } = tempDir();
  const path = join(dir, 'ledger.db');
  const db = openDatabase(path);
  migrate(db);
  let clock = Date.UTC(2026, 4, 26, 14, 0, 0, 0);
  const store = new SqliteConsentStore(db, { now: () => (clock += 1000) });
  for (let i = 1; i <= n; i++) store.append(consentEvent({ consumer: `+1512555010${i}`, transcript: `answer ${i}` }));
  t.after(() => {
    if (db.open) db.close();
    cleanup();
  });
  return { db, store, path };
}

/** A second connection that removes the append-only triggers, as someone editing the file would. */
function tamper(path: string, sql: string): void {
  const raw = new Database(path);
  raw.exec('DROP TRIGGER consent_ledger_no_update; DROP TRIGGER consent_ledger_no_delete; DROP TRIGGER consent_scripts_no_update;');
  raw.exec(sql);
  raw.close();
}

describe('SqliteConsentStore', () => {
  test('chains each row to the previous one from the genesis hash', (t) => {
    const { store } = setup(t);
    const a = store.append(consentEvent());
    const b = store.append(consentEvent({ event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null }));
    assert.equal(a.id, 1);
    assert.equal(a.prevHash, GENESIS_HASH);
    assert.equal(b.prevHash, a.hash);
    const r1 = store.record(1)!;
    assert.equal(r1.hash, ledgerHash(r1));
    // The canonical bytes are the documented field order, independent of the input's key order.
    assert.ok(canonicalLedgerJson(r1).startsWith(`{"id":1,"at":"2026-05-26T14:00:01.000Z","business_id":1,"did":"+15125550100"`));
    assert.ok(canonicalLedgerJson(r1).endsWith(`"source":"call","prev_hash":"${GENESIS_HASH}"}`));
    assert.equal(store.verify().ok, true);
  });

  test('stores each script text once and returns it with the event', (t) => {
    const { db, store } = setup(t, 3);
    assert.equal(db.prepare('SELECT count(*) FROM consent_scripts').pluck().get(), 1);
    assert.equal(store.latest(1, '+15125550102')?.scriptText, consentEvent().scriptText);
  });

  test('the database refuses UPDATE and DELETE on the ledger and the script table', (t) => {
    const { db } = setup(t, 2);
    assert.throws(() => db.prepare("UPDATE consent_ledger SET event = 'granted' WHERE id = 1").run(), /append-only: UPDATE refused/);
    assert.throws(() => db.prepare('DELETE FROM consent_ledger WHERE id = 2').run(), /append-only: DELETE refused/);
    assert.throws(() => db.prepare("UPDATE consent_scripts SET text = 'x'").run(), /append-only: UPDATE refused/);
    assert.throws(() => db.prepare('DELETE FROM consent_scripts').run(), /append-only: DELETE refused/);
    assert.equal(db.prepare('SELECT count(*) FROM consent_ledger').pluck().get(), 2);
  });

  test('verify: ok with the count on an intact chain', (t) => {
    const { store } = setup(t, 5);
    const v = store.verify();
    assert.deepEqual(v, { ok: true, count: 5, head: store.record(5)!.hash, lastId: 5 });
  });

  test('verify names a row edited through a second connection (triggers dropped)', (t) => {
    const { db, store, path } = setup(t, 5);
    tamper(path, "UPDATE consent_ledger SET event = 'granted', transcript = 'yes' WHERE id = 3");
    const v = store.verify();
    assert.equal(v.ok, false);
    assert.ok(!v.ok && v.badId === 3 && v.reason === 'hash-mismatch', JSON.stringify(v));
    assert.ok(db.open);
  });

  test('verify names a row whose bytes were patched in the database file itself', (t) => {
    const { db, path } = setup(t, 5);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = readFileSync(path);
    const needle = Buffer.from('answer 4');
    const at = bytes.indexOf(needle);
    assert.ok(at > 0, 'transcript of row 4 is in the main file after the checkpoint');
    bytes[at + needle.length - 1] = '9'.charCodeAt(0);
    writeFileSync(path, bytes);
    const reopened = openDatabase(path);
    t.after(() => reopened.close());
    const v = new SqliteConsentStore(reopened).verify();
    assert.ok(!v.ok && v.badId === 4 && v.reason === 'hash-mismatch', JSON.stringify(v));
  });

  test('verify names the row after a deleted one', (t) => {
    const { store, path } = setup(t, 5);
    tamper(path, 'DELETE FROM consent_ledger WHERE id = 3');
    const v = store.verify();
    assert.ok(!v.ok && v.badId === 4 && v.reason === 'id-gap', JSON.stringify(v));
  });

  test('verify catches a deleted first row and a renumbered chain (prev_hash no longer links)', (t) => {
    const { store, path } = setup(t, 4);
    tamper(path, 'DELETE FROM consent_ledger WHERE id = 1');
    const v = store.verify();
    assert.ok(!v.ok && v.badId === 2 && v.reason === 'prev-hash-mismatch', JSON.stringify(v));
  });

  test('verify names the first row using a script whose text was edited', (t) => {
    const { store, path } = setup(t, 3);
    tamper(path, "UPDATE consent_scripts SET text = 'You agree to everything.'");
    const v = store.verify();
    assert.ok(!v.ok && v.badId === 1 && v.reason === 'script-mismatch', JSON.stringify(v));
  });

  test('current consent is the event recorded last, whatever its `at` says; history is in append order', (t) => {
    const { store } = setup(t);
    const c = '+15125550177';
    assert.equal(store.current(1, c), 'none');
    store.append(consentEvent({ consumer: c, event: 'granted', method: 'import', at: Date.UTC(2099, 0, 1) }));
    assert.equal(store.current(1, c), 'granted');
    store.append(consentEvent({ consumer: c, event: 'revoked', method: 'admin', at: Date.UTC(2026, 0, 3) }));
    assert.equal(store.current(1, c), 'revoked');
    assert.equal(store.current(2, c), 'none');
    assert.deepEqual(
      store.history(c).map((e) => e.event),
      ['granted', 'revoked'],
    );
  });

  test('appendAll runs its check inside the transaction with the current event, earlier batch events included', (t) => {
    const { db, store } = setup(t);
    const c = '+15125550177';
    const live = store.append(consentEvent({ consumer: c, event: 'revoked', method: 'sms-keyword' }));
    const seen: Array<number | undefined> = [];
    store.appendAll([consentEvent({ consumer: c }), consentEvent({ consumer: c, event: 'declined' })], (_e, _i, current) => seen.push(current?.id));
    assert.deepEqual(seen, [live.id, live.id + 1]);
    assert.throws(
      () =>
        store.appendAll([consentEvent({ consumer: c }), consentEvent({ consumer: c })], (_e, i) => {
          if (i === 1) throw new Error('refused');
        }),
      /refused/,
    );
    assert.equal(db.prepare('SELECT count(*) FROM consent_ledger').pluck().get(), 3, 'a refused batch writes nothing');
  });

  test('appendAll writes every event or none', (t) => {
    const { db, store } = setup(t, 1);
    assert.throws(() => store.appendAll([consentEvent(), consentEvent({ event: 'bogus' as never })]), /CHECK constraint/);
    assert.equal(db.prepare('SELECT count(*) FROM consent_ledger').pluck().get(), 1);
    store.appendAll([consentEvent(), consentEvent()]);
    assert.equal(store.verify().ok, true);
  });

  test('records() filters and streams in id order', (t) => {
    const { store } = setup(t, 4);
    store.append(consentEvent({ businessId: 2, event: 'declined' }));
    assert.deepEqual(
      [...store.records({ businessId: 1, events: ['granted'] })].map((r) => r.id),
      [1, 2, 3, 4],
    );
    assert.deepEqual(
      [...store.records({ events: ['declined'] })].map((r) => r.id),
      [5],
    );
    assert.deepEqual(
      [...store.records({ since: Date.UTC(2026, 4, 26, 14, 0, 2), until: Date.UTC(2026, 4, 26, 14, 0, 4) })].map((r) => r.id),
      [2, 3],
    );
    assert.deepEqual(
      [...store.records({ consumer: '+15125550102' })].map((r) => r.id),
      [2],
    );
  });

  test('two processes appending at once keep one valid chain', async (t) => {
    const { store, path } = setup(t);
    const worker = fileURLToPath(new URL('./fixtures/append-worker.ts', import.meta.url));
    const n = 300;
    const start = (tag: string) => {
      const child = spawn(process.execPath, ['--import', 'tsx', worker, path, String(n), tag], { stdio: ['pipe', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const ready = new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.on('error', reject);
      });
      const done = new Promise<void>((resolve, reject) =>
        child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`worker ${tag} exited ${code}: ${err}`)))),
      );
      return { child, ready, done };
    };
    const workers = [start('a'), start('b')];
    await withTimeout(Promise.all(workers.map((w) => w.ready)), DEFAULT_WAIT_MS, 'both append workers to be ready');
    for (const w of workers) w.child.stdin.end('go\n');
    await withTimeout(Promise.all(workers.map((w) => w.done)), DEFAULT_WAIT_MS, `both append workers to write ${n} records and exit`);
    const v = store.verify();
    assert.deepEqual(v.ok && v.count, 2 * n);
    const sources = [...store.records()].map((r) => r.source.split(':')[1]);
    assert.equal(sources.filter((s) => s === 'a').length, n);
    assert.equal(sources.filter((s) => s === 'b').length, n);
  });
});
