/**
 * The admin CLI on a PostgreSQL config, the commands an installer operates with: `staff`, `notify
 * webhook set|clear`, `notify test`, `urgency set|show|check`, `calls list|show`, `consent revoke`, `sms send`
 * and `purge` run on the configured database and print what they print on SQLite for the same data
 * (each action's one code path on the async ports: src/store/postgres/README.md, "The admin CLI on
 * PostgreSQL"). An admin revocation appends `revoked` and cancels the queued texts in one transaction.
 * On a throwaway cluster (test/support/pg-cluster.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import { revokeConsentAtomically } from '../../src/app/consent/revoke-consent.ts';
import { createSystemClock } from '../../src/app/system-clock.ts';
import { pgNodeId } from '../../src/compose/pg-node-id.ts';
import { pgServeStores, sqliteServeStores, type ServeStores } from '../../src/compose/serve-stores.ts';
import type { Clock } from '../../src/domain/ports/clock.ts';
import type { UrgencyDecision } from '../../src/domain/urgency/urgency-judge.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import type { PgTestDb } from '../store/postgres/pg-test-db.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { pgUrlOf, type PgConnection } from '../support/pg-cluster.ts';
import { callkeeper } from './cli-test-harness.ts';
import { ACME, ACME_DID, usePgCliCluster } from './pg-cli-fixture.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const DAY = 86_400_000;
const A = '+15125550123';
const B = '+15125550124';
const FIXED: Clock = { ...createSystemClock(), now: () => T0 };

const pgc = usePgCliCluster();


type Run = (args: string[]) => ReturnType<typeof callkeeper>;

interface Pair {
  /** The CLI on the PostgreSQL config. */
  readonly pg: Run;
  /** The same config with `--db` naming a SQLite file, which wins. */
  readonly lite: Run;
  readonly dir: string;
  readonly sqliteFile: string;
  readonly db: PgTestDb;
  /** Runs `fn` on serve's stores over each database (PostgreSQL first), to put the same rows in both. */
  seed(fn: (s: ServeStores) => Promise<void>): Promise<void>;
  pool(): pg.Pool;
}

/** An empty PostgreSQL database and a SQLite file, each holding business 1 (Acme) added by the CLI. `extra`: top-level YAML. */
async function pair(t: { after(fn: () => unknown): void }, extra = ''): Promise<Pair> {
  const db = await pgc.freshDb(t, { empty: true });
  const { dir, cleanup } = tempDir('callkeeper-pg-cli2-');
  t.after(cleanup);
  const file = join(dir, 'callkeeper.yaml');
  writeFileSync(file, `database:\n  kind: postgres\n  url: ${JSON.stringify(pgUrlOf(db.conn))}\n${extra}`);
  const sqliteFile = join(dir, 'ck.db');
  const pgRun: Run = (args) => callkeeper(['--config', file, ...args], {});
  const lite: Run = (args) => callkeeper(['--config', file, '--db', sqliteFile, ...args], {});
  for (const run of [pgRun, lite]) {
    const r = await run(ACME);
    assert.equal(r.code, 0, r.stderr);
  }
  const pool = db.pool(2);
  return {
    pg: pgRun,
    lite,
    dir,
    sqliteFile,
    db,
    pool: () => pool,
    async seed(fn) {
      await fn(pgServeStores(pool, { clock: FIXED, nodeId: 'seed' }));
      const sdb = openDatabase(sqliteFile);
      try {
        await fn(sqliteServeStores(sdb, { clock: FIXED, consent: new SqliteConsentStore(sdb, FIXED) }));
      } finally {
        sdb.close();
      }
    },
  };
}

/** Runs each command on both and asserts the same exit code and output; returns the PostgreSQL runs. */
async function same(p: Pair, commands: string[][]): Promise<Array<Awaited<ReturnType<Run>>>> {
  const out = [];
  for (const args of commands) {
    const onPg = await p.pg(args);
    const onLite = await p.lite(args);
    assert.equal(onPg.code, onLite.code, `${args.join(' ')}: exit ${onPg.code} on PostgreSQL (${onPg.stderr}), ${onLite.code} on SQLite (${onLite.stderr})`);
    assert.equal(onPg.stdout, onLite.stdout, args.join(' '));
    assert.equal(onPg.stderr, onLite.stderr, args.join(' '));
    out.push(onPg);
  }
  return out;
}

const URGENT: UrgencyDecision = { urgent: true, rule: 'plumbing.flood', phrase: 'flood*', matched: 'flooding', trade: 'plumbing', suppressed: [] };

describe('callkeeper on a PostgreSQL config: the commands an installer operates with', () => {
  test('staff, notify webhook and urgency print on PostgreSQL what they print on SQLite', async (t) => {
    const p = await pair(t);
    const [added, , , , , list] = await same(p, [
      ['staff', 'add', '--business', '1', '--name', 'Dana', '--mobile', '+15125550142', '--email', 'dana@acme.test', '--on-call', 'Mon-Fri 08:00-18:00'],
      ['staff', 'add', '--business', '1', '--name', 'Temp', '--email', 'temp@acme.test'],
      ['staff', 'add', '--business', '9', '--name', 'X', '--email', 'x@acme.test'],
      ['staff', 'remove', '2'],
      ['staff', 'remove', '2'],
      ['staff', 'list'],
      ['staff', 'list', '--business', '1'],
      ['notify', 'webhook', 'set', '--business', '1', '--url', 'https://hooks.acme.test/ck', '--secret', 'a-secret-of-16-chars'],
      ['notify', 'webhook', 'clear', '--business', '1'],
      ['urgency', 'set', '--business', '1', '--trade', 'plumbing', '--add', 'no hot water', '--disable', 'common.emergency'],
      ['urgency', 'set', '--business', '1', '--add', '... nothing'],
      ['urgency', 'show', '--business', '1'],
      ['urgency', 'show', '--business', '1', '--json'],
      ['urgency', 'check', '--business', '1', 'We have no hot water and a newborn'],
      ['urgency', 'check', '--business', '1', 'This is an emergency'],
    ]);
    assert.match(added!.stdout, /^added staff 1: Dana \(business 1; sms, email; on call Mon-Fri 08:00-18:00\)\n$/);
    assert.equal(list!.stdout, 'id\tbusiness\tname\tmobile\temail\ton-call\tchannels\n1\t1\tDana\t+15125550142\tdana@acme.test\tMon-Fri 08:00-18:00\tsms,email\n');
    // The JSON carries each row's creation time, which differs between the two runs.
    const names = async (run: Run) => JSON.parse((await run(['staff', 'list', '--json'])).stdout).map((s: { createdAt?: number }) => ({ ...s, createdAt: 0 }));
    assert.deepEqual(await names(p.pg), await names(p.lite));

    const pool = p.pool();
    const staffRows = (await pool.query('SELECT id, name, removed_at IS NOT NULL AS removed FROM staff ORDER BY id')).rows;
    assert.deepEqual(staffRows, [{ id: 1, name: 'Dana', removed: false }, { id: 2, name: 'Temp', removed: true }], 'written to PostgreSQL; a removed member kept for past records');
    const settings = (await pool.query('SELECT * FROM business_urgency WHERE business_id = 1')).rows;
    assert.equal(settings.length, 1, 'urgency set wrote PostgreSQL');
    assert.match(JSON.stringify(settings[0]), /no hot water/);
    const hook = await p.pg(['notify', 'webhook', 'set', '--business', '1', '--url', 'https://hooks.acme.test/ck']);
    assert.equal(hook.code, 0, hook.stderr);
    assert.match(hook.stdout, /^webhook set for business 1: https:\/\/hooks\.acme\.test\/ck\nsigning secret \(store it in the receiver; it is not shown again\): [0-9a-f]{64}\n$/);
    assert.deepEqual((await pool.query('SELECT url FROM business_webhooks WHERE business_id = 1')).rows, [{ url: 'https://hooks.acme.test/ck' }]);
  });

  test('notify test queues the staff text on PostgreSQL, as on SQLite', async (t) => {
    const p = await pair(t);
    const [noStaff, noBusiness] = await same(p, [
      ['notify', 'test', '--business', '1'],
      ['notify', 'test', '--business', '7'],
    ]);
    assert.equal(noStaff!.code, 1, 'no staff yet: as on SQLite');
    assert.equal(noBusiness!.stderr, 'callkeeper: no business with id 7\n');
    await same(p, [['staff', 'add', '--business', '1', '--name', 'Dana', '--mobile', '+15125550142', '--channels', 'sms']]);
    const [ok] = await same(p, [['notify', 'test', '--business', '1']]);
    assert.equal(ok!.code, 0, ok!.stderr);
    assert.match(ok!.stdout, /^ok\tsms\tDana <\+15125550142> \(outbox 1; the running service sends it\)\n$/);
    const rows = (await p.pool().query("SELECT recipient, state FROM outbound_messages WHERE kind = 'staff'")).rows;
    assert.deepEqual(rows, [{ recipient: '+15125550142', state: 'queued' }]);
  });

  test('calls list and show print the same rows in the same order on PostgreSQL as on SQLite', async (t) => {
    const p = await pair(t);
    await p.seed(async (s) => {
      const c1 = await s.callLog.open({ engine: 'asterisk', channelId: 'c1', businessId: 1, did: ACME_DID, callerRaw: A, callerE164: A, startedAt: T0 });
      const c2 = await s.callLog.open({ engine: 'asterisk', channelId: 'c2', businessId: 1, did: ACME_DID, callerRaw: B, callerE164: B, startedAt: T0 + 60_000 });
      await s.callLog.open({ engine: 'freeswitch', channelId: 'c3', businessId: null, did: '+15125550199', callerRaw: 'anonymous', callerE164: null, startedAt: T0 + 120_000 });
      await s.callLog.close(c1, { outcome: 'consent-granted', endedAt: T0 + 30_000 });
      await s.callLog.close(c2, { outcome: 'consent-declined', endedAt: T0 + 90_000 });
      const granted = await s.consent.append(consentEvent({ consumer: A, callId: c1 }));
      await s.consent.append(consentEvent({ consumer: B, callId: c2, event: 'declined', transcript: 'no thanks' }));
      await s.urgency.recordDecision({ callId: c1, businessId: 1, decision: { ...URGENT, urgent: false, rule: null, phrase: null, matched: null }, at: T0 });
      await s.urgency.recordDecision({ callId: c1, businessId: 1, decision: URGENT, at: T0 + 1 });
      await s.urgency.recordDecision({ callId: c2, businessId: 1, decision: { ...URGENT, urgent: false }, at: T0 });
      await s.outbox.enqueue({ businessId: 1, from: ACME_DID, to: A, body: 'Thanks for calling Acme', kind: 'first-reply', callId: c1, consentEventId: granted.id });
      await s.outbox.enqueue({ businessId: 1, from: ACME_DID, to: A, body: 'We are on our way', kind: 'follow-up', callId: c1, consentEventId: granted.id });
      await s.outbox.enqueue({ businessId: 1, from: ACME_DID, to: '+15125550142', body: 'New call', kind: 'staff', callId: c1, consentEventId: null });
    });
    const [all, , , , urgent, byPhone, none, show1, show1Json, , , show9] = await same(p, [
      ['calls', 'list'],
      ['calls', 'list', '--json'],
      ['calls', 'list', '--limit', '2'],
      ['calls', 'list', '--business', '1', '--outcome', 'consent-declined'],
      ['calls', 'list', '--urgent'],
      ['calls', 'list', '--phone', A, '--since', new Date(T0).toISOString(), '--until', new Date(T0 + 1).toISOString()],
      ['calls', 'list', '--since', new Date(T0 + DAY).toISOString()],
      ['calls', 'show', '1'],
      ['calls', 'show', '1', '--json'],
      ['calls', 'show', '2'],
      ['calls', 'show', '3'],
      ['calls', 'show', '9'],
    ]);
    const lines = all!.stdout.trimEnd().split('\n');
    assert.deepEqual(lines.map((l) => l.split('  ')[0]), ['#3', '#2', '#1'], 'newest first');
    assert.match(lines[2]!, /consent-granted {2}consent granted {2}URGENT {2}2 texts$/, 'the latest urgency decision; staff texts not counted');
    assert.match(lines[1]!, /consent declined {2}routine {2}0 texts$/);
    assert.match(lines[0]!, /\(withheld\) {2}\(in progress\) {2}consent - {2}- {2}0 texts$/);
    assert.deepEqual(urgent!.stdout.trimEnd().split('\n').map((l) => l.split('  ')[0]), ['#1']);
    assert.deepEqual(byPhone!.stdout.trimEnd().split('\n').map((l) => l.split('  ')[0]), ['#1']);
    assert.equal(none!.stdout, 'no calls\n');
    assert.match(show1!.stdout, /^call #1 on asterisk \(channel c1\)\n/);
    assert.match(show1!.stdout, /\n  urgency: URGENT \(rule plumbing\.flood: "flooding"\)\n  consent: granted \(verbal\) at .*\n  text #1 first-reply: queued, \? SMS, "Thanks for calling Acme"\n  text #2 follow-up: queued/);
    assert.deepEqual(Object.keys(JSON.parse(show1Json!.stdout).call).slice(0, 3), ['id', 'engine', 'channel_id'], 'the call row as stored');
    assert.equal(show9!.stderr, 'callkeeper: no call 9\n');
  });

  test('consent revoke on PostgreSQL appends revoked and cancels the queued texts, as on SQLite', async (t) => {
    const p = await pair(t);
    await p.seed(async (s) => {
      const granted = await s.consent.append(consentEvent({ consumer: A }));
      await s.outbox.enqueue({ businessId: 1, from: ACME_DID, to: A, body: 'Thanks for calling Acme', kind: 'first-reply', callId: null, consentEventId: granted.id });
      await s.outbox.enqueue({ businessId: 1, from: ACME_DID, to: B, body: 'Thanks for calling Acme', kind: 'first-reply', callId: null, consentEventId: null });
    });
    const [bad, missing, ok] = await same(p, [
      ['consent', 'revoke', A, '--business', '9', '--reason', 'by phone'],
      ['consent', 'revoke', A, '--business', '1', '--reason', '  '],
      ['consent', 'revoke', A, '--business', '1', '--reason', 'asked by phone'],
    ]);
    assert.equal(bad!.stderr, 'callkeeper: no business with id 9\n');
    assert.equal(missing!.code, 1);
    assert.equal(ok!.stdout, 'revoked: record 2\n');
    const pool = p.pool();
    const ledger = (await pool.query('SELECT id, event, method, consumer FROM consent_ledger ORDER BY id')).rows;
    assert.deepEqual(ledger.map((r) => [r.id, r.event, r.method, r.consumer]), [[1, 'granted', 'verbal', A], [2, 'revoked', 'admin', A]]);
    const texts = (await pool.query('SELECT recipient, state, state_reason FROM outbound_messages ORDER BY id')).rows;
    assert.deepEqual(texts, [
      { recipient: A, state: 'cancelled', state_reason: 'consent revoked by admin (record 2)' },
      { recipient: B, state: 'queued', state_reason: null },
    ]);
    const sdb = openDatabase(p.sqliteFile);
    try {
      assert.deepEqual(sdb.prepare('SELECT recipient, state, state_reason FROM outbound_messages ORDER BY id').all(), texts, 'SQLite the same');
    } finally {
      sdb.close();
    }
    assert.match((await p.pg(['consent', 'show', A])).stdout, /^business 1: current consent revoked\n/);
  });

  test('an admin revocation whose cancel fails on PostgreSQL leaves neither the record nor the cancel', async (t) => {
    const db = await pgc.freshDb(t);
    const stores = pgServeStores(db.pool(2), { clock: FIXED, nodeId: 'test' });
    const granted = await stores.consent.append(consentEvent({ consumer: A }));
    await stores.outbox.enqueue({ businessId: 1, from: ACME_DID, to: A, body: 'Thanks for calling', kind: 'first-reply', callId: null, consentEventId: granted.id });
    let appended = false;
    const failing: typeof stores.outbox = {
      ...stores.outbox,
      atomically: (fn) =>
        stores.outbox.atomically((tx) =>
          fn({
            consent: { ...tx.consent, append: async (e) => ((appended = true), tx.consent.append(e)) },
            outbox: { ...tx.outbox, cancelQueued: async () => Promise.reject(new Error('connection lost between the two writes')) },
            messages: tx.messages,
          }),
        ),
    };
    await assert.rejects(
      revokeConsentAtomically({ outbox: failing, businesses: stores.businesses, clock: FIXED }, { consumer: A, businessId: 1, reason: 'by phone', actor: 'test' }),
      /connection lost between the two writes/,
    );
    assert.equal(appended, true, 'the revoked record was written in the transaction before the failure');
    assert.equal(await stores.consent.current(1, A), 'granted', 'the revoked record rolled back with the failed cancel');
    assert.deepEqual((await db.pool(1).query('SELECT state FROM outbound_messages')).rows, [{ state: 'queued' }]);

    const r = await revokeConsentAtomically({ outbox: stores.outbox, businesses: stores.businesses, clock: FIXED }, { consumer: A, businessId: 1, reason: 'by phone', actor: 'test' });
    assert.equal(r.cancelled, 1);
    assert.equal(r.event.event, 'revoked');
    assert.equal(await stores.consent.current(1, A), 'revoked');
  });

  test('sms send queues through the PostgreSQL outbox with the same checks and output; --dispatch is refused there', async (t) => {
    const p = await pair(t);
    const send = ['sms', 'send', '--business', '1', '--to', A, '--template', 'callback'];
    const [refused] = await same(p, [send]);
    assert.equal(refused!.code, 1, 'no consent yet');
    await p.seed(async (s) => void (await s.consent.append(consentEvent({ consumer: A }))));
    const [ok, json] = await same(p, [send, [...send, '--json']]);
    assert.equal(ok!.code, 0, ok!.stderr);
    assert.match(ok!.stdout, /^queued text #1 \(\d part\(s\), gsm7/);
    assert.equal(JSON.parse(json!.stdout).outboundId, 2);
    const rows = (await p.pool().query('SELECT recipient, state, kind FROM outbound_messages ORDER BY id')).rows;
    assert.deepEqual(rows.map((r) => [r.recipient, r.state]), [[A, 'queued'], [A, 'queued']]);
    const dispatch = await p.pg([...send, '--dispatch']);
    assert.equal(dispatch.code, 1);
    assert.equal(dispatch.stderr, 'callkeeper: sms send --dispatch works on SQLite installs only; on PostgreSQL the running nodes send the queued text (drop --dispatch)\n');
    assert.equal((await p.pool().query('SELECT count(*)::int AS n FROM outbound_messages')).rows[0].n, 2, 'refused before anything was queued');
  });

  test('purge on PostgreSQL deletes the expired recordings and stamps their calls', async (t) => {
    const { dir: recDir, cleanup } = tempDir('callkeeper-pg-rec-');
    t.after(cleanup);
    mkdirSync(join(recDir, 'd'));
    const oldFile = join(recDir, 'd', 'old.wav');
    const youngFile = join(recDir, 'd', 'young.wav');
    writeFileSync(oldFile, 'x');
    writeFileSync(youngFile, 'x');
    const p = await pair(t, `recordings:\n  dir: ${JSON.stringify(recDir)}\n  retentionDays: 30\n`);
    const stores = pgServeStores(p.pool(), { clock: FIXED, nodeId: 'seed' });
    const now = Date.now();
    for (const [ch, startedAt, path] of [['a', now - 40 * DAY, oldFile], ['b', now - 5 * DAY, youngFile]] as const) {
      const id = await stores.callLog.open({ engine: 'asterisk', channelId: ch, businessId: 1, did: ACME_DID, callerRaw: A, callerE164: A, startedAt });
      await stores.callLog.saveMessage(id, { recordingPath: path, sha256: '0'.repeat(64), durationMs: 1000 });
    }
    // Call 3 was taken by another node, whose disk holds its recording: not here, so not gone.
    const other = pgServeStores(p.pool(), { clock: FIXED, nodeId: 'other-node' });
    const id3 = await other.callLog.open({ engine: 'asterisk', channelId: 'c', businessId: 1, did: ACME_DID, callerRaw: A, callerE164: A, startedAt: now - 40 * DAY });
    await other.callLog.saveMessage(id3, { recordingPath: join(recDir, 'd', 'on-the-other-node.wav'), sha256: '0'.repeat(64), durationMs: 1000 });
    // Call 4 was taken by this host's node (database.nodeId unset: the host name), and its file is gone already.
    const here = pgServeStores(p.pool(), { clock: FIXED, nodeId: pgNodeId({}) });
    const id4 = await here.callLog.open({ engine: 'asterisk', channelId: 'd', businessId: 1, did: ACME_DID, callerRaw: A, callerE164: A, startedAt: now - 40 * DAY });
    await here.callLog.saveMessage(id4, { recordingPath: join(recDir, 'd', 'gone.wav'), sha256: '0'.repeat(64), durationMs: 1000 });
    const dry = await p.pg(['purge', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /would delete\s+call\s+1 {2}.*old\.wav\n/);
    assert.match(dry.stdout, /other node\s+call\s+3 {2}.*on-the-other-node\.wav {2}\(another node's call, not on this host: that node's purge deletes it\)\n/);
    assert.match(dry.stdout, /already gone\s+call\s+4 {2}.*gone\.wav\n/);
    assert.match(dry.stdout, /1 file\(s\) would be deleted, 1 already gone, 0 refused, 0 failed, 1 left to the node that took the call; 2 call\(s\) would be marked recording-deleted/);
    assert.ok(existsSync(oldFile), 'a dry run deletes nothing');
    assert.deepEqual((await p.pool().query('SELECT id FROM calls WHERE recording_deleted_at IS NOT NULL')).rows, []);

    const run = await p.pg(['purge']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /deleted\s+call\s+1 {2}.*old\.wav\n/);
    assert.match(run.stdout, /1 file\(s\) deleted, 1 already gone, 0 refused, 0 failed, 1 left to the node that took the call; 2 call\(s\) marked recording-deleted/);
    assert.equal(existsSync(oldFile), false);
    assert.equal(existsSync(youngFile), true);
    const stamped = (await p.pool().query('SELECT id, recording_deleted_at FROM calls WHERE recording_deleted_at IS NOT NULL')).rows;
    assert.deepEqual(stamped.map((r) => r.id), [1, 4]);
    assert.ok(stamped[0].recording_deleted_at >= now, 'stamped with the time of the purge');
    const again = await p.pg(['purge', '--json']);
    assert.deepEqual(JSON.parse(again.stdout).items.map((i: { callId: number; status: string }) => [i.callId, i.status]), [[3, 'elsewhere']], "a stamped call is not purged again; the other node's call stays listed for that node");
  });
});
