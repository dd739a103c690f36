import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { pgNodeId } from '../../src/compose/pg-node-id.ts';
import { COPY_ORDER } from '../../src/store/postgres/pg-copy-from-sqlite.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { openPgPool } from '../../src/store/postgres/pg-database.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import type { PgConnection } from '../support/pg-cluster.ts';
import { startPgTestCluster, type PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

/**
 * `db copy --to postgres://...` (src/store/postgres/README.md, "Moving an install") on a throwaway
 * cluster: a SQLite install with every kind of row is copied, read back table by table, verified, and
 * appended to; the refusals (a non-empty target, a tampered source, a bad URL or password) leave the
 * target as it was and never print the password.
 */
let pgc: PgTestCluster | undefined;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

const A = '+15125550100';
const B = '+15125550200';
const CALLER = '+15125550123';
const OTHER = '+15125550124';

/** An empty, unmigrated database (the target an installer creates) and its URL over the cluster's socket. */
async function emptyTarget(): Promise<{ conn: PgConnection; url: string }> {
  if (!pgc) throw new Error('the PostgreSQL cluster did not start (see the before hook\'s error)');
  const conn = await pgc.cluster.createDatabase(undefined, 'template0');
  return { conn, url: socketUrl(conn) };
}

/** node-postgres reads `?host=` as the socket directory; `localhost` is only the URL's placeholder. */
function socketUrl(conn: PgConnection, user = conn.user, password?: string): string {
  const cred = password === undefined ? user : `${user}:${encodeURIComponent(password)}`;
  return `postgres://${cred}@localhost/${conn.database}?host=${encodeURIComponent(conn.host)}&port=${conn.port}`;
}

/**
 * A SQLite install with rows in every table PostgreSQL has: console users and audit included, and a
 * console session and cookie key, which are left behind on purpose (NOT_COPIED). The ledger goes
 * through SqliteConsentStore (the chain is the store's); the rest is rows as
 * the stores write them, in several states.
 */
function sqliteInstall(t: { after(fn: () => void): void }): string {
  const { dir, cleanup } = tempDir('callkeeper-db-copy-');
  t.after(cleanup);
  const path = join(dir, 'ck.db');
  const db = openDatabase(path);
  try {
    migrate(db);
    const dirx = new SqliteBusinessDirectory(db);
    const b1 = dirx.add({ name: 'Acme Plumbing', dids: [A, '+15125550101'], timezone: 'America/Chicago', consentMode: 'verbal' }).id;
    const b2 = dirx.add({ name: 'Bolt Electric', dids: [B], timezone: 'America/New_York', consentMode: 'implied' }).id;
    const run = (sql: string, ...args: unknown[]): number => Number(db.prepare(sql).run(...args).lastInsertRowid);
    const call1 = run("INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at, ended_at, outcome, recording_path, recording_ms, transcript) VALUES ('asterisk', 'ch-1', ?, ?, ?, ?, 1000, 61000, 'recorded', '/var/rec/1.wav', 60000, 'my sink leaks')", b1, A, CALLER, CALLER);
    const call2 = run("INSERT INTO calls (engine, channel_id, business_id, did, caller_raw, caller_e164, started_at) VALUES ('freeswitch', 'ch-2', ?, ?, ?, ?, 2000)", b2, B, OTHER, OTHER);
    const ledger = new SqliteConsentStore(db);
    const granted = ledger.append(consentEvent({ businessId: b1, did: A, consumer: CALLER, callId: call1, at: 1500 }));
    ledger.append(consentEvent({ businessId: b2, did: B, consumer: OTHER, event: 'implied', method: 'implied', scriptVersion: null, scriptText: null, transcript: null, callId: call2, source: 'call', at: 2500 }));
    ledger.append(consentEvent({ businessId: b1, did: A, consumer: CALLER, event: 'revoked', method: 'sms-keyword', scriptVersion: null, scriptText: null, transcript: null, source: 'sms:7', at: 9000 }));
    ledger.append(consentEvent({ businessId: b1, did: A, consumer: OTHER, event: 'declined', transcript: 'no thanks', at: 9500 }));
    const text = (state: string, kind: string, extra = ''): number =>
      run(`INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, call_id, consent_event_id, state, attempts, created_at${extra ? ', ' : ''}${extra}) VALUES (?, ?, ?, 'Thanks for calling', ?, ?, ?, ?, 1, 1600${extra ? ', 2000, 2100' : ''})`, b1, A, CALLER, kind, call1, granted.id, state);
    const sent = text('delivered', 'first-reply', 'submitted_at, final_at');
    text('cancelled', 'follow-up');
    text('queued', 'follow-up');
    text('submitted', 'keyword-reply', 'submitted_at, claimed_at');
    run("INSERT INTO outbound_parts (smsc_message_id, outbound_id, part, state) VALUES ('AbC123', ?, 1, 'delivered')", sent);
    const inbound = run("INSERT INTO inbound_messages (business_id, recipient, sender, body, keyword, call_id, received_at) VALUES (?, ?, ?, 'STOP', 'STOP', ?, 9000)", b1, A, CALLER, call1);
    run("INSERT INTO inbound_messages (business_id, recipient, sender, body, received_at) VALUES (?, ?, ?, 'is tomorrow ok?', 9100)", b2, B, OTHER);
    const staff = run("INSERT INTO staff (business_id, name, mobile, channels, created_at) VALUES (?, 'Dana', '+15125550999', '[\"sms\"]', 100)", b1);
    run("INSERT INTO staff (business_id, name, email, channels, created_at, removed_at) VALUES (?, 'Eli', 'eli@example.net', '[\"email\"]', 100, 200)", b2);
    run("INSERT INTO business_webhooks (business_id, url, secret, updated_at) VALUES (?, 'https://hooks.example.net/x', 'whsec', 100)", b1);
    run("INSERT INTO business_urgency (business_id, trade, extra_json, updated_at) VALUES (?, 'plumbing', '[\"burst\"]', 100)", b1);
    const delivery = run("INSERT INTO notification_deliveries (notification_key, kind, business_id, call_id, channel, staff_id, address, urgent, state, attempts, created_at, updated_at, latency_ms) VALUES ('call:1:sms', 'call', ?, ?, 'sms', ?, '+15125550999', 1, 'delivered', 2, 1700, 1900, 200)", b1, call1, staff);
    run("INSERT INTO notification_deliveries (notification_key, kind, business_id, channel, address, urgent, state, created_at, updated_at) VALUES ('test:1', 'test', ?, 'email', 'eli@example.net', 0, 'failed', 1800, 1800)", b2);
    run('INSERT INTO notification_attempts (delivery_id, attempt, started_at, ended_at, ok, error) VALUES (?, 1, 1700, 1750, 0, ?)', delivery, 'timeout');
    run('INSERT INTO notification_attempts (delivery_id, attempt, started_at, ended_at, ok, ref) VALUES (?, 2, 1800, 1850, 1, ?)', delivery, 'SM1');
    run("INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade, rule, phrase, matched) VALUES (?, ?, 1650, 1, 'plumbing', 'leak', 'sink leaks', 'leaks')", call1, b1);
    run("INSERT INTO urgency_decisions (call_id, business_id, decided_at, urgent, trade) VALUES (?, ?, 2600, 0, 'general')", call2, b2);
    run("INSERT INTO assist_results (use, business_id, inbound_id, outcome, latency_ms, applied, at) VALUES ('reply', ?, ?, 'ok', 120, 'none', 9200)", b1, inbound);
    const admin = run("INSERT INTO console_users (username, role, password, created_at, updated_at) VALUES ('Admin', 'admin', 'scrypt$x', 1, 1)");
    run("INSERT INTO console_users (username, role, password, created_at, updated_at) VALUES ('vic', 'viewer', 'scrypt$y', 2, 3)");
    run("INSERT INTO console_audit (at, username, action, target, detail) VALUES (9300, 'Admin', 'revoke', '+15125550123@business:1', 'ledger record 3')");
    run("INSERT INTO console_sessions (id, user_id, data, expires_at) VALUES ('sess-1', ?, '{}', 99999999999999)", admin);
    run("INSERT INTO console_secret (id, value) VALUES (1, 'old-cookie-key')");
  } finally {
    db.close();
  }
  return path;
}

function sqliteCounts(path: string): Map<string, number> {
  const db = openDatabase(path, { readonly: true });
  try {
    return new Map(COPY_ORDER.map((t) => [t, db.prepare(`SELECT count(*) FROM ${t}`).pluck().get() as number]));
  } finally {
    db.close();
  }
}

function sqliteHead(path: string): { count: number; head: string; lastId: number } {
  const db = openDatabase(path, { readonly: true });
  try {
    const v = new SqliteConsentStore(db).verify();
    assert.ok(v.ok, 'the SQLite fixture verifies');
    return v;
  } finally {
    db.close();
  }
}

async function pgCounts(pool: pg.Pool): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const t of COPY_ORDER) out.set(t, (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${t}`)).rows[0]!.n);
  return out;
}

async function tableCount(conn: PgConnection): Promise<number> {
  const c = new pg.Client(conn);
  await c.connect();
  try {
    return (await c.query<{ n: number }>("SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public'")).rows[0]!.n;
  } finally {
    await c.end();
  }
}

const oneLine = (s: string): void => assert.equal(s.trimEnd().split('\n').length, 1, `one line on stderr, got: ${s}`);

describe('db copy --to postgres://', () => {
  test('copies every table with its ids: counts match, the chain verifies on both with one head, and PostgreSQL appends and inserts continue after the copied ids', async (t) => {
    const path = sqliteInstall(t);
    const { conn, url } = await emptyTarget();
    const r = await callkeeper(['--db', path, 'db', 'copy', '--to', url]);
    assert.equal(r.code, 0, r.stderr);
    const source = sqliteCounts(path);
    for (const [table, n] of source) {
      assert.ok(n > 0, `the fixture has rows in ${table}`);
      assert.match(r.stdout, new RegExp(`^copied ${table}: ${n} rows$`, 'm'));
    }
    assert.match(r.stdout, /^not copied console_sessions: 1 rows \(sessions are not moved: console users sign in again\)$/m);
    assert.match(r.stdout, /^not copied console_secret: 1 rows \(the cookie key of those sessions: the first node makes a new one\)$/m);
    const head = sqliteHead(path);
    assert.match(r.stdout, new RegExp(`^ledger: ${head.count} records verified on SQLite and PostgreSQL, head ${head.head} on both$`, 'm'));
    assert.match(r.stdout, new RegExp(`^copied ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} to ${conn.host.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:5432/${conn.database}$`, 'm'));

    const pool = openPgPool(conn, { max: 2 });
    t.after(() => pool.end());
    assert.deepEqual(await pgCounts(pool), source);
    // The flags arrive as booleans, the case of an SMSC id as it was, the PostgreSQL-only lease columns empty.
    assert.deepEqual((await pool.query('SELECT urgent FROM urgency_decisions ORDER BY id')).rows, [{ urgent: true }, { urgent: false }]);
    assert.deepEqual((await pool.query('SELECT ok FROM notification_attempts ORDER BY attempt')).rows, [{ ok: false }, { ok: true }]);
    assert.deepEqual((await pool.query("SELECT outbound_id FROM outbound_parts WHERE lower(smsc_message_id) = 'abc123'")).rows, [{ outbound_id: 1 }]);
    assert.deepEqual((await pool.query('SELECT count(*)::int AS n FROM outbound_messages WHERE claimed_by IS NOT NULL OR lease_until IS NOT NULL')).rows, [{ n: 0 }]);
    // The copied calls' recordings are on this host: every call names this host's node (no database.nodeId here: the host name).
    assert.deepEqual((await pool.query('SELECT DISTINCT node FROM calls')).rows, [{ node: pgNodeId({}) }]);
    // Console users keep their ids, names, roles and password strings (they sign in as before); the audit as it was; no session, no key.
    assert.deepEqual((await pool.query('SELECT id, username, role, password, created_at, updated_at FROM console_users ORDER BY id')).rows, [
      { id: 1, username: 'Admin', role: 'admin', password: 'scrypt$x', created_at: 1, updated_at: 1 },
      { id: 2, username: 'vic', role: 'viewer', password: 'scrypt$y', created_at: 2, updated_at: 3 },
    ]);
    assert.deepEqual((await pool.query('SELECT id, at, username, action, target, detail FROM console_audit')).rows, [
      { id: 1, at: 9300, username: 'Admin', action: 'revoke', target: '+15125550123@business:1', detail: 'ledger record 3' },
    ]);
    assert.deepEqual((await pool.query('SELECT (SELECT count(*)::int FROM console_sessions) AS s, (SELECT count(*)::int FROM console_secret) AS k')).rows, [{ s: 0, k: 0 }]);

    // `consent verify` on SQLite, and the same walk on PostgreSQL: ok, same count and head.
    const sv = await callkeeper(['--db', path, 'consent', 'verify']);
    assert.equal(sv.code, 0, sv.stderr);
    const ledger = new PgConsentStore(pool);
    const pv = await ledger.verify();
    assert.deepEqual(pv, { ok: true, count: head.count, head: head.head, lastId: head.lastId });

    // The next append chains onto the copied head; the identity sequences continue past the copied ids.
    const next = await ledger.append(consentEvent({ consumer: '+15125550125' }));
    assert.equal(next.id, head.lastId + 1);
    assert.equal(next.prevHash, head.head);
    assert.equal((await ledger.verify()).ok, true);
    const ids = async (sql: string): Promise<number> => (await pool.query<{ id: number }>(sql)).rows[0]!.id;
    assert.equal(await ids("INSERT INTO businesses (name, timezone, consent_mode, created_at, updated_at) VALUES ('Cora', 'UTC', 'verbal', 0, 0) RETURNING id"), 3);
    assert.equal(await ids("INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, created_at) VALUES (1, '+15125550100', '+15125550125', 'x', 'staff', 'queued', 0) RETURNING id"), source.get('outbound_messages')! + 1);
    assert.equal(await ids("INSERT INTO notification_deliveries (notification_key, kind, business_id, channel, address, urgent, state, created_at, updated_at) VALUES ('k', 'test', 1, 'sms', 'a', false, 'sending', 0, 0) RETURNING id"), source.get('notification_deliveries')! + 1);
    assert.equal(await ids("INSERT INTO calls (engine, channel_id, did, caller_raw, started_at) VALUES ('asterisk', 'ch-3', 'x', 'y', 0) RETURNING id"), source.get('calls')! + 1);
    assert.equal(await ids("INSERT INTO console_users (username, role, password, created_at, updated_at) VALUES ('cora', 'viewer', 'scrypt$z', 0, 0) RETURNING id"), 3);
    assert.equal(await ids("INSERT INTO console_audit (at, username, action, target) VALUES (0, 'cora', 'export', 'record:1') RETURNING id"), 2);
  });

  test('--json: rows per table, the tables not copied and the ledger head, without the password', async (t) => {
    const path = sqliteInstall(t);
    const { conn } = await emptyTarget();
    const r = await callkeeper(['--db', path, 'db', 'copy', '--json', '--to', socketUrl(conn, conn.user, 'unused-by-trust')]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('unused-by-trust'), 'the password is not printed');
    const out = JSON.parse(r.stdout) as { to: string; tables: { name: string; rows: number }[]; notCopied: { name: string; rows: number; reason: string }[]; ledger: { count: number; head: string } };
    assert.equal(out.to, `${conn.host}:5432/${conn.database}`);
    assert.deepEqual(out.tables, [...sqliteCounts(path)].map(([name, rows]) => ({ name, rows })));
    assert.deepEqual(out.notCopied, [
      { name: 'console_secret', rows: 1, reason: 'the cookie key of those sessions: the first node makes a new one' },
      { name: 'console_sessions', rows: 1, reason: 'sessions are not moved: console users sign in again' },
    ]);
    const head = sqliteHead(path);
    assert.deepEqual(out.ledger, { count: head.count, lastId: head.lastId, head: head.head });
  });

  test('a non-empty target is refused in one line and left as it was: a copied install, a single ledger row, or tables that are not callkeeper\'s', async (t) => {
    const path = sqliteInstall(t);
    const { conn, url } = await emptyTarget();
    const first = await callkeeper(['--db', path, 'db', 'copy', '--to', url]);
    assert.equal(first.code, 0, first.stderr);
    const pool = openPgPool(conn, { max: 1 });
    t.after(() => pool.end());
    const before = await pgCounts(pool);
    const headBefore = await new PgConsentStore(pool).verify();

    const again = await callkeeper(['--db', path, 'db', 'copy', '--to', url]);
    assert.equal(again.code, 1);
    oneLine(again.stderr);
    assert.match(again.stderr, /^callkeeper: the target .*:5432\/\w+ is not empty \(rows in businesses, business_dids, calls, consent_scripts, consent_ledger, .*\): db copy writes only into an empty database; nothing written$/m);
    assert.equal(again.stdout, '');
    assert.deepEqual(await pgCounts(pool), before);
    assert.deepEqual(await new PgConsentStore(pool).verify(), headBefore);

    // A migrated target holding nothing but one ledger record (and the script it points at).
    const { conn: c2, url: url2 } = await emptyTarget();
    const p2 = openPgPool(c2, { max: 1 });
    t.after(() => p2.end());
    const { migratePg } = await import('../../src/store/postgres/pg-migrate.ts');
    await migratePg(p2);
    const only = await new PgConsentStore(p2).append(consentEvent());
    const r2 = await callkeeper(['--db', path, 'db', 'copy', '--to', url2]);
    assert.equal(r2.code, 1);
    oneLine(r2.stderr);
    assert.match(r2.stderr, /is not empty \(rows in consent_scripts, consent_ledger\)/);
    assert.deepEqual(await new PgConsentStore(p2).verify(), { ok: true, count: 1, head: only.hash, lastId: 1 });
    assert.equal((await pgCounts(p2)).get('consent_scripts'), 1);

    // Someone else's database: refused before callkeeper's schema is added to it.
    const { conn: c3, url: url3 } = await emptyTarget();
    const p3 = openPgPool(c3, { max: 1 });
    t.after(() => p3.end());
    await p3.query('CREATE TABLE invoices (id int)');
    const r3 = await callkeeper(['--db', path, 'db', 'copy', '--to', url3]);
    assert.equal(r3.code, 1);
    oneLine(r3.stderr);
    assert.match(r3.stderr, /holds tables that are not callkeeper's \(invoices\)/);
    assert.equal(await tableCount(c3), 1);
  });

  test('a tampered SQLite ledger is refused before anything is written to the target', async (t) => {
    const path = sqliteInstall(t);
    const db = openDatabase(path);
    // The owner of the file can drop the trigger (src/store/README.md); the chain then names the edit.
    db.exec("DROP TRIGGER consent_ledger_no_update; UPDATE consent_ledger SET transcript = 'yes' WHERE id = 4");
    db.close();
    const { conn, url } = await emptyTarget();
    const r = await callkeeper(['--db', path, 'db', 'copy', '--to', url]);
    assert.equal(r.code, 1);
    oneLine(r.stderr);
    assert.match(r.stderr, /^callkeeper: the SQLite ledger does not verify \(record 4: .*\): nothing copied; see consent verify$/m);
    assert.equal(await tableCount(conn), 0, 'the target is untouched: not even migrated');
  });

  test('a row PostgreSQL refuses midway rolls back every table copied before it: the copy is one transaction', async (t) => {
    const path = sqliteInstall(t);
    const db = openDatabase(path);
    // SQLite keeps text in an INTEGER column (type affinity); PostgreSQL's bigint refuses it.
    db.prepare("UPDATE calls SET recording_ms = 'n/a' WHERE id = 2").run();
    db.close();
    const { conn, url } = await emptyTarget();
    const r = await callkeeper(['--db', path, 'db', 'copy', '--to', url]);
    assert.equal(r.code, 1);
    oneLine(r.stderr);
    assert.match(r.stderr, /^callkeeper: copying calls failed at SQLite rowid 1: .*bigint.*; rolled back, nothing written$/m);
    const pool = openPgPool(conn, { max: 1 });
    t.after(() => pool.end());
    assert.deepEqual([...(await pgCounts(pool)).values()], COPY_ORDER.map(() => 0), 'businesses and business_dids, copied before calls, are rolled back too');
  });

  test('a bad URL, an unreachable host and a wrong password are one line naming host and database, never the password', async (t) => {
    const path = sqliteInstall(t);
    const secret = 'Sw0rdf1sh-not-this';
    const bad = await callkeeper(['--db', path, 'db', 'copy', '--to', `mysql://root:${secret}@db.example.net/ck`]);
    assert.equal(bad.code, 1);
    oneLine(bad.stderr);
    assert.match(bad.stderr, /must be a postgres:\/\/ URL, not mysql:\/\//);
    const garbled = await callkeeper(['--db', path, 'db', 'copy', '--to', `postgres://root:${secret}@[db/ck`]);
    assert.equal(garbled.code, 1);
    oneLine(garbled.stderr);
    assert.match(garbled.stderr, /not a URL/);
    // Port 1 on the loopback: refused at once, no network beyond this machine.
    const refused = await callkeeper(['--db', path, 'db', 'copy', '--to', `postgres://root:${secret}@127.0.0.1:1/ck`]);
    assert.equal(refused.code, 1);
    oneLine(refused.stderr);
    assert.match(refused.stderr, /^callkeeper: cannot connect to PostgreSQL at 127\.0\.0\.1:1\/ck: /);

    // A role that must give its password over the socket (the cluster trusts everyone else).
    if (!pgc) throw new Error('the PostgreSQL cluster did not start');
    const admin = openPgPool(pgc.cluster.connection(), { max: 1 });
    t.after(() => admin.end());
    await admin.query("CREATE ROLE copier LOGIN PASSWORD 'the-right-one'");
    const hba = join(pgc.cluster.dir, 'data', 'pg_hba.conf');
    writeFileSync(hba, `local all copier scram-sha-256\n${readFileSync(hba, 'utf8')}`);
    await admin.query('SELECT pg_reload_conf()');
    const { conn } = await emptyTarget();
    const wrong = socketUrl(conn, 'copier', secret);
    // The reload is asynchronous in the postmaster: wait (bounded) until the socket asks copier for a password.
    const deadline = Date.now() + 15_000;
    let r = await callkeeper(['--db', path, 'db', 'copy', '--to', wrong]);
    while (!/password authentication failed/.test(r.stderr) && Date.now() < deadline) {
      await new Promise((res) => setTimeout(res, 100));
      r = await callkeeper(['--db', path, 'db', 'copy', '--to', wrong]);
    }
    assert.match(r.stderr, /password authentication failed for user "copier"/, 'the server did not start asking copier for a password within 15 s of pg_reload_conf()');
    assert.equal(r.code, 1);
    oneLine(r.stderr);
    assert.match(r.stderr, new RegExp(`^callkeeper: cannot connect to PostgreSQL at .*:5432/${conn.database}: `));
    for (const out of [bad, garbled, refused, r]) {
      assert.ok(!(out.stderr + out.stdout).includes(secret), `the password is not printed: ${out.stderr}`);
      assert.ok(!(out.stderr + out.stdout).includes(encodeURIComponent(secret)), 'nor its URL-encoded form');
    }
    assert.equal(await tableCount(conn), 0);
  });
});
