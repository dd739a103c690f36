/**
 * The consent ledger on PostgreSQL (src/store/postgres/pg-consent-store.ts) on a throwaway cluster, for
 * what the ConsentStore contract (test/contract/consent-store.pg.contract.test.ts runs it here) does not
 * cover: the same chain as the SQLite ledger for the same events, one linear chain from two pools
 * appending at once, the admin side (appendAll, paging, verify), and UPDATE/DELETE/TRUNCATE refused by
 * the database.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { NewConsentEvent } from '../../../src/domain/consent.ts';
import { verifyChain } from '../../../src/domain/ledger/ledger-chain.ts';
import { PgConsentStore } from '../../../src/store/postgres/pg-consent-store.ts';
import { migratePg } from '../../../src/store/postgres/pg-migrate.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../../src/store/sqlite-database.ts';
import { consentEvent, tempDir } from '../store-test-helpers.ts';
import { startPgTestCluster, type PgTestCluster, type PgTestDb } from './pg-test-db.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const A = '+15125550123';
const B = '+15125550124';
const ev = (over: Partial<NewConsentEvent> = {}): NewConsentEvent => consentEvent({ consumer: A, ...over });

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

async function open(t: { after(fn: () => Promise<void>): void }): Promise<{ store: PgConsentStore; clock: { t: number }; db: PgTestDb }> {
  const db = await pgc.freshDb();
  t.after(() => db.close());
  const clock = { t: T0 };
  return { store: new PgConsentStore(db.pool(), { now: () => clock.t }), clock, db };
}

describe('PgConsentStore: the chain', () => {
  test('the same events make the same chain, byte for byte, on SQLite and PostgreSQL, and both verify', async (t) => {
    const { store } = await open(t);
    const { dir, cleanup } = tempDir('ck-pg-vs-sqlite-');
    const sdb = openDatabase(join(dir, 'ledger.db'));
    t.after(() => {
      sdb.close();
      cleanup();
    });
    migrate(sdb);
    const sqlite = new SqliteConsentStore(sdb, { now: () => T0 });
    const events = [
      ev(),
      ev({ consumer: B, transcript: 'sure, "quoted", and\nnew line', audioPath: '/rec/2.wav', audioSha256: 'cd'.repeat(32), callId: 42 }),
      ev({ event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: null, source: 'sms:1' }),
      ev({ event: 'reinstated', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: 'START', at: T0 + 1 }),
    ];
    for (const e of events) {
      const a = sqlite.append(e);
      const b = await store.append(e);
      assert.deepEqual(b, a);
    }
    const pgRecords = [];
    for await (const r of store.records()) pgRecords.push(r);
    assert.deepEqual(pgRecords, [...sqlite.records()]);
    const v = await store.verify();
    assert.deepEqual(v, sqlite.verify());
    assert.equal(v.ok, true);
    assert.deepEqual(verifyChain(pgRecords), v, 'the domain walk over what PostgreSQL returns agrees');
  });

  test('two pools appending 200 events at once make one linear chain that verifies', async (t) => {
    const { db } = await open(t);
    const nodeA = new PgConsentStore(db.pool(4), { now: () => T0 });
    const nodeB = new PgConsentStore(db.pool(4), { now: () => T0 });
    const appends = Array.from({ length: 200 }, (_, i) => (i % 2 === 0 ? nodeA : nodeB).append(ev({ consumer: `+1512555${String(1000 + i)}` })));
    const done = await Promise.all(appends);
    const ids = done.map((e) => e.id).sort((x, y) => x - y);
    assert.deepEqual(ids, Array.from({ length: 200 }, (_, i) => i + 1), 'ids 1..200, none twice, none missing');
    const byId = new Map(done.map((e) => [e.id, e]));
    for (let id = 2; id <= 200; id++) assert.equal(byId.get(id)?.prevHash, byId.get(id - 1)?.hash, `record ${id} links to ${id - 1}`);
    const v = await nodeA.verify();
    assert.equal(v.ok, true, JSON.stringify(v));
    assert.equal(v.count, 200);
  });

  test('appendAll is all or nothing, and its check sees the pair as of the batch (earlier events of the batch included)', async (t) => {
    const { store } = await open(t);
    await store.append(ev({ event: 'revoked', method: 'sms-keyword' }));
    const seen: Array<string | undefined> = [];
    await assert.rejects(
      store.appendAll([ev({ consumer: B }), ev({ event: 'granted', method: 'import' })], (e, _i, cur) => {
        seen.push(cur?.event);
        if (cur?.event === 'revoked') throw new Error('refused: a STOP is on record');
      }),
      /refused/,
    );
    assert.deepEqual(seen, [undefined, 'revoked']);
    assert.deepEqual(await store.history(B), [], 'the first event of a refused batch is not stored either');
    const both = await store.appendAll([ev({ consumer: B }), ev({ consumer: B, event: 'revoked' })], (_e, i, cur) => seen.push(`${i}:${cur?.event}`));
    assert.deepEqual(seen.slice(2), ['0:undefined', '1:granted']);
    assert.equal(both[1]?.prevHash, both[0]?.hash);
  });

  test('records page through a ledger of more than one page, filters apply, and verify walks all of it', async (t) => {
    const { store } = await open(t);
    const n = 2_100;
    await store.appendAll(Array.from({ length: n }, (_, i) => ev({ consumer: i % 3 === 0 ? B : A, at: T0 + i })));
    let count = 0;
    let last = 0;
    for await (const r of store.records()) {
      assert.equal(r.id, last + 1);
      last = r.id;
      count++;
    }
    assert.equal(count, n);
    let bCount = 0;
    for await (const r of store.recordsWithScript({ consumer: B, since: T0 + 1_000 })) {
      assert.equal(r.consumer, B);
      assert.ok(Date.parse(r.at) >= T0 + 1_000);
      assert.equal(r.script_text, ev().scriptText);
      bCount++;
    }
    assert.equal(bCount, Array.from({ length: n }, (_, i) => i).filter((i) => i % 3 === 0 && i >= 1_000).length);
    const v = await store.verify();
    assert.deepEqual(v.ok && [v.count, v.lastId], [n, n]);
    assert.equal((await store.record(n))?.id, n);
    assert.equal(await store.record(n + 1), undefined);
  });
});

describe('PgConsentStore: append-only in the database', () => {
  test('UPDATE, DELETE and TRUNCATE of the ledger and of the scripts are refused by triggers', async (t) => {
    const { store, db } = await open(t);
    await store.append(ev());
    const pool = db.pool(1);
    const refused = [
      ["UPDATE consent_ledger SET event = 'granted' WHERE id = 1", /consent_ledger is append-only: UPDATE refused/],
      ['DELETE FROM consent_ledger WHERE id = 1', /consent_ledger is append-only: DELETE refused/],
      ['TRUNCATE consent_ledger CASCADE', /consent_ledger is append-only: TRUNCATE refused/],
      ["UPDATE consent_scripts SET text = 'edited'", /consent_scripts is append-only: UPDATE refused/],
      ['DELETE FROM consent_scripts', /consent_scripts is append-only: DELETE refused/],
    ] as const;
    for (const [q, msg] of refused) await assert.rejects(pool.query(q), msg, q);
    assert.equal((await store.verify()).ok, true);
    assert.equal((await store.history(A)).length, 1);
  });

  test('an edit past the triggers (by a superuser who disables them) is caught by verify, naming the record', async (t) => {
    const { store, db } = await open(t);
    for (let i = 0; i < 3; i++) await store.append(ev({ transcript: `yes ${i}` }));
    const pool = db.pool(1);
    await pool.query('ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_no_update');
    await pool.query("UPDATE consent_ledger SET transcript = 'no' WHERE id = 2");
    const v = await store.verify();
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.badId, 2);
  });

  test('migrating twice applies nothing the second time', async (t) => {
    const { db } = await open(t);
    assert.deepEqual(await migratePg(db.pool(1)), []);
  });
});
