/**
 * PgConsoleStats (src/store/postgres/pg-console-stats.ts) gives the figures SqliteConsoleStats gives for
 * the same rows: one SQLite install with calls, consent decisions and texts across three UTC days (the
 * edges of a day included, staff texts and non-verbal events that must not count), copied into PostgreSQL
 * with `db copy`'s copySqliteToPg so both stores hold the very same rows; then every figure is asked of
 * both and compared, and checked against what the rows say.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { copySqliteToPg } from '../../../src/store/postgres/pg-copy-from-sqlite.ts';
import { PgConsoleStats } from '../../../src/store/postgres/pg-console-stats.ts';
import { openPgPool } from '../../../src/store/postgres/pg-database.ts';
import { SqliteBusinessDirectory } from '../../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { SqliteConsoleStats } from '../../../src/store/sqlite-console-stats.ts';
import { migrate, openDatabase } from '../../../src/store/sqlite-database.ts';
import { consentEvent, tempDir } from '../store-test-helpers.ts';
import { startPgTestCluster, type PgTestCluster } from './pg-test-db.ts';

let pgc: PgTestCluster | undefined;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

const DAY = 86_400_000;
const D1 = Date.UTC(2026, 10, 28);
const A = '+15125550100';

test('the dashboard and health figures are the same on PostgreSQL as on SQLite for the same rows', async (t) => {
  if (!pgc) throw new Error('the PostgreSQL cluster did not start (see the before hook\'s error)');
  const { dir, cleanup } = tempDir('callkeeper-pg-console-stats-');
  t.after(cleanup);
  const db = openDatabase(join(dir, 'ck.db'));
  t.after(() => db.close());
  migrate(db);
  new SqliteBusinessDirectory(db).add({ name: 'Acme Plumbing', dids: [A], timezone: 'America/Chicago', consentMode: 'verbal' });
  const run = (sql: string, ...args: unknown[]): number => Number(db.prepare(sql).run(...args).lastInsertRowid);
  const call = (startedAt: number, outcome: string | null): number =>
    run("INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, started_at, outcome) VALUES ('asterisk', 'c', 1, ?, '5125550123', ?, ?)", A, startedAt, outcome);
  call(D1 - 1, 'consent-granted'); // the day before `since`: not counted
  call(D1, 'consent-granted'); // the first ms of D1
  call(D1 + DAY - 1, 'consent-declined'); // the last ms of D1
  call(D1 + DAY, 'consent-granted');
  call(D1 + DAY + 5, null); // still in progress
  call(D1 + 2 * DAY + 7, 'caller-hung-up');
  const ledger = new SqliteConsentStore(db);
  ledger.append(consentEvent({ consumer: '+15125550101', at: D1 + 10 }));
  ledger.append(consentEvent({ consumer: '+15125550102', event: 'declined', at: D1 + DAY - 1 }));
  ledger.append(consentEvent({ consumer: '+15125550103', event: 'unclear', at: D1 + DAY }));
  ledger.append(consentEvent({ consumer: '+15125550101', event: 'revoked', method: 'sms-keyword', at: D1 + DAY + 1 })); // not verbal
  ledger.append(consentEvent({ consumer: '+15125550104', event: 'implied', method: 'implied', at: D1 + DAY + 2 })); // not verbal
  const text = (state: string, kind: string, at: number, reason: string | null = null, finalAt: number | null = null): number =>
    run('INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, state_reason, created_at, final_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?)', A, '+15125550101', 'x', kind, state, reason, at, finalAt);
  text('delivered', 'first-reply', D1 + 20, null, D1 + 30);
  text('queued', 'follow-up', D1 + 40);
  text('submitting', 'follow-up', D1 + 41);
  text('failed', 'follow-up', D1 + 50, 'SMSC refused: 0x45', D1 + 60);
  text('undeliverable', 'first-reply', D1 + 70, null, null);
  text('queued', 'staff', D1 + 80); // a staff alert: not in the texts figure, but waiting in the queue
  run("INSERT INTO notification_deliveries (notification_key, kind, business_id, channel, address, urgent, state, created_at, updated_at, last_error) VALUES ('k1', 'test', 1, 'email', 'a@example.net', 0, 'failed', ?, ?, 'timeout')", D1 + 55, D1 + 65);
  run("INSERT INTO notification_deliveries (notification_key, kind, business_id, channel, address, urgent, state, created_at, updated_at) VALUES ('k2', 'test', 1, 'email', 'a@example.net', 0, 'delivered', ?, ?)", D1, D1);

  const target = await pgc.cluster.createDatabase(undefined, 'template0');
  const pool = openPgPool(target, { max: 2 });
  t.after(() => pool.end());
  await copySqliteToPg(db, pool, 'test target');

  const sqlite = new SqliteConsoleStats(db);
  const pg = new PgConsoleStats(pool);
  const figures = async (s: { callsPerDay(x: number): unknown; consentPerDay(x: number): unknown; textsByState(): unknown; queueDepth(): unknown; recentErrors(n: number): unknown }) => ({
    calls: await s.callsPerDay(D1),
    consent: await s.consentPerDay(D1),
    texts: await s.textsByState(),
    queue: await s.queueDepth(),
    errors: await s.recentErrors(20),
    errorsTop1: await s.recentErrors(1),
  });
  const onSqlite = await figures(sqlite);
  const onPg = await figures(pg);
  assert.deepEqual(onPg, onSqlite);
  // And what the rows say, so that two stores agreeing on a wrong answer fail too.
  assert.deepEqual(onPg.calls, [
    { day: '2026-11-28', key: 'consent-declined', n: 1 },
    { day: '2026-11-28', key: 'consent-granted', n: 1 },
    { day: '2026-11-29', key: 'consent-granted', n: 1 },
    { day: '2026-11-29', key: 'in-progress', n: 1 },
    { day: '2026-11-30', key: 'caller-hung-up', n: 1 },
  ]);
  assert.deepEqual(onPg.consent, [
    { day: '2026-11-28', key: 'declined', n: 1 },
    { day: '2026-11-28', key: 'granted', n: 1 },
    { day: '2026-11-29', key: 'unclear', n: 1 },
  ]);
  assert.deepEqual(onPg.texts, [
    { state: 'delivered', n: 1 },
    { state: 'failed', n: 1 },
    { state: 'queued', n: 1 },
    { state: 'submitting', n: 1 },
    { state: 'undeliverable', n: 1 },
  ]);
  assert.equal(onPg.queue, 3);
  assert.deepEqual(onPg.errors, [
    { at: D1 + 70, kind: 'text', ref: 5, state: 'undeliverable', detail: '' },
    { at: D1 + 65, kind: 'staff', ref: 1, state: 'failed', detail: 'timeout' },
    { at: D1 + 60, kind: 'text', ref: 4, state: 'failed', detail: 'SMSC refused: 0x45' },
  ]);
});
