/**
 * The admin CLI on a PostgreSQL config, the commands an installer checks and moves with: `doctor` (its
 * database, ledger-signing and compliance rows read PostgreSQL and this node's signing files), `compliance check|kit` and
 * `consent import` (all or nothing, the same lines refused as on SQLite). src/store/postgres/README.md,
 * "The admin CLI on PostgreSQL". On a throwaway cluster (test/support/pg-cluster.ts).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createSystemClock } from '../../src/app/system-clock.ts';
import { pgServeStores, sqliteServeStores, type ServeStores } from '../../src/compose/serve-stores.ts';
import type { Clock } from '../../src/domain/ports/clock.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations/index.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import type { PgTestDb } from '../store/postgres/pg-test-db.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { pgUrlOf, type PgConnection } from '../support/pg-cluster.ts';
import { withTimeout } from '../support/wait-for.ts';
import { callkeeper } from './cli-test-harness.ts';
import { ACME, usePgCliCluster } from './pg-cli-fixture.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const FIXED: Clock = { ...createSystemClock(), now: () => T0 };

const pgc = usePgCliCluster();


type Run = (args: string[]) => ReturnType<typeof callkeeper>;

interface Install {
  /** The CLI on the PostgreSQL config (node n1). */
  readonly pg: Run;
  /** The same config with `--db` naming a SQLite file, which wins. */
  readonly lite: Run;
  readonly dir: string;
}

/**
 * A config (database.kind postgres, node `n1`, its signing files under `<dir>/data`) whose peers refuse at
 * once (port 1), so doctor's other rows fail fast and only the database's rows are looked at.
 */
function install(t: { after(fn: () => void): void }, url: string, database = ''): Install {
  const { dir, cleanup } = tempDir('callkeeper-pg-cli3-');
  t.after(cleanup);
  const file = join(dir, 'callkeeper.yaml');
  // Made now: the synthesizer row writes into prompts.dir, which would change the prompts-dir row of the next run.
  for (const d of ['rec', 'prompts']) mkdirSync(join(dir, d));
  writeFileSync(
    file,
    `database:\n  kind: postgres\n  url: ${JSON.stringify(url)}\n  nodeId: n1\n  path: ${JSON.stringify(join(dir, 'data', 'callkeeper.db'))}\n${database}` +
      `asterisk:\n  url: http://127.0.0.1:1\nsmpp:\n  host: 127.0.0.1\n  port: 1\nrecordings:\n  dir: ${JSON.stringify(join(dir, 'rec'))}\nprompts:\n  dir: ${JSON.stringify(join(dir, 'prompts'))}\n`,
  );
  const sqliteFile = join(dir, 'ck.db');
  return {
    dir,
    pg: (args) => callkeeper(['--config', file, ...args], {}),
    lite: (args) => callkeeper(['--config', file, '--db', sqliteFile, ...args], {}),
  };
}


interface Row {
  readonly name: string;
  readonly status: 'ok' | 'warn' | 'fail';
  readonly detail: string;
}

async function doctorRows(run: Run): Promise<Map<string, Row>> {
  const r = await run(['doctor', '--json', '--timeout', '10']);
  assert.equal(r.code, 1, 'the engine and SMSC rows fail (nothing listens on port 1)');
  const out = JSON.parse(r.stdout) as { checks: Row[] };
  return new Map(out.checks.map((c) => [c.name, c]));
}

const rowOf = (rows: Map<string, Row>, name: string): Row => rows.get(name) ?? assert.fail(`no ${name} row in ${JSON.stringify([...rows.keys()])}`);

describe('callkeeper doctor on a PostgreSQL config', () => {
  test('a healthy install passes the database, ledger-signing and compliance rows; the other rows are the same as on SQLite', async (t) => {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    for (const run of [ck.pg, ck.lite]) assert.equal((await run(ACME)).code, 0);
    const ledger = new PgConsentStore(db.pool(1));
    for (let i = 0; i < 3; i++) await ledger.append(consentEvent({ transcript: `yes ${i}` }));
    const keygen = await ck.pg(['ledger', 'keygen']);
    assert.equal(keygen.code, 0, keygen.stderr);

    const rows = await doctorRows(ck.pg);
    const where = `${db.conn.host}:${db.conn.port}/${db.conn.database}`;
    const database = rowOf(rows, 'database');
    assert.equal(database.status, 'ok', database.detail);
    assert.match(database.detail, new RegExp(`^${escape(where)}: PostgreSQL \\d+\\S*, schema current \\(${PG_MIGRATIONS.length} migrations\\), ledger intact \\(3 records\\); node n1$`));
    const signing = rowOf(rows, 'ledger-signing');
    assert.equal(signing.status, 'ok', signing.detail);
    assert.match(signing.detail, /^key [0-9a-f]+ \(.+\/data\/n1\.ledger-key, 0600\); the last checkpoint \(seq 1, \d+ s ago\) covers records 1-3, is signed by this key and matches the ledger$/);

    const lite = await doctorRows(ck.lite);
    assert.deepEqual(rowOf(rows, 'compliance'), rowOf(lite, 'compliance'), 'the compliance row judges the same business alike');
    for (const name of ['config', 'engine', 'smpp', 'speech', 'prompts-dir', 'recordings-dir']) {
      assert.deepEqual(rowOf(rows, name), rowOf(lite, name), `the ${name} row does not depend on the database`);
    }
    assert.deepEqual([...rows.keys()], [...lite.keys()], 'the same rows, in the same order');
  });

  test('a tampered ledger fails the database row; a rewritten hash fails the ledger-signing row', async (t) => {
    const db = await pgc.freshDb(t);
    const ck = install(t, pgUrlOf(db.conn));
    const ledger = new PgConsentStore(db.pool(1));
    for (let i = 0; i < 3; i++) await ledger.append(consentEvent({ transcript: `yes ${i}` }));
    assert.equal((await ck.pg(['ledger', 'keygen'])).code, 0);
    const su = db.pool(1);
    await su.query('ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_no_update');
    await su.query("UPDATE consent_ledger SET transcript = 'no' WHERE id = 2");
    const rows = await doctorRows(ck.pg);
    const database = rowOf(rows, 'database');
    assert.equal(database.status, 'fail');
    assert.match(database.detail, /: ledger tampered: first bad record 2 \(.+\): .*; 1 records before it intact$/);
    assert.equal(rowOf(rows, 'ledger-signing').status, 'ok', 'record 3 still has the hash checkpoint 1 signed');

    await su.query(`UPDATE consent_ledger SET hash = repeat('0', 64) WHERE id = 3`);
    const signing = rowOf(await doctorRows(ck.pg), 'ledger-signing');
    assert.deepEqual(signing, { name: 'ledger-signing', status: 'fail', detail: 'record 3 does not match checkpoint 1: the ledger was rewritten (consent verify names the records)' });
  });

  test('an unreachable database fails its rows in one line each, never showing the password', async (t) => {
    const secret = 'Sekr1t-pw-42';
    const conn = pgc.testCluster.cluster.connection();
    // The cluster trusts its socket, so a wrong password alone would be let in: a missing database makes the server refuse.
    for (const ck of [install(t, pgUrlOf(conn, 'no_such_db', secret)), install(t, pgUrlOf(conn, 'no_such_db'), `  password: ${JSON.stringify(secret)}\n`)]) {
      const r = await ck.pg(['doctor']);
      assert.equal(r.code, 1);
      assert.equal(`${r.stdout}${r.stderr}`.includes(secret), false, `${r.stdout}${r.stderr}`);
      const line = r.stdout.split('\n').find((l) => l.startsWith('database '));
      assert.match(line ?? '', /^database\s+FAIL\s+PostgreSQL at .+\/no_such_db: .+$/);
      const rows = await doctorRows(ck.pg);
      for (const name of ['database', 'compliance']) {
        const row = rowOf(rows, name);
        assert.equal(row.status, 'fail', name);
        assert.match(row.detail, /^PostgreSQL at .+\/no_such_db: [^\n]+$/, name);
      }
      // No key yet on this node: the row says so before it would need the database.
      assert.equal(rowOf(rows, 'ledger-signing').status, 'warn');
    }
  });

  test('a server that accepts and never answers fails the database row after the connect timeout, and doctor ends', async (t) => {
    const sockets = new Set<Socket>();
    const silent = createServer((s) => void sockets.add(s));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    t.after(() => {
      for (const s of sockets) s.destroy();
      silent.close();
    });
    const { port } = silent.address() as AddressInfo;
    const ck = install(t, `postgres://ck:Sekr1t-pw-42@127.0.0.1:${port}/callkeeper`);
    // Without a connect timeout the pool's end would wait for that connection forever.
    const r = await withTimeout(ck.pg(['doctor', '--json', '--timeout', '12']), 30_000, 'doctor to end against a silent server');
    const database = rowOf(new Map((JSON.parse(r.stdout) as { checks: Row[] }).checks.map((c) => [c.name, c])), 'database');
    assert.equal(database.status, 'fail');
    assert.match(database.detail, new RegExp(`^PostgreSQL at 127\\.0\\.0\\.1:${port}/callkeeper: .*timeout`));
    assert.equal(`${r.stdout}${r.stderr}`.includes('Sekr1t-pw-42'), false);
    assert.ok(sockets.size > 0, 'doctor did connect to the silent server');
  });
});

describe('callkeeper compliance on a PostgreSQL config', () => {
  test('compliance check and kit read the configured database and print what they print on SQLite', async (t) => {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    // business 1 meets the rules; business 2's callback template breaks text-brand, stored with --force
    const bolt = ['business', 'add', '--name', 'Bolt Electric', '--did', '+15125550177', '--timezone', 'America/Chicago', '--consent-mode', 'verbal', '--template', 'callback=We will call you back.', '--force'];
    for (const run of [ck.pg, ck.lite]) {
      assert.equal((await run(ACME)).code, 0);
      const added = await run(bolt);
      assert.equal(added.code, 0, added.stderr);
    }
    const both = async (args: string[]): Promise<Awaited<ReturnType<Run>>> => {
      const [onPg, onLite] = [await ck.pg(args), await ck.lite(args)];
      assert.deepEqual({ code: onPg.code, stdout: onPg.stdout, stderr: onPg.stderr }, { code: onLite.code, stdout: onLite.stdout, stderr: onLite.stderr }, args.join(' '));
      return onPg;
    };
    const all = await both(['compliance', 'check']);
    assert.equal(all.code, 1, 'a broken rule fails the check');
    assert.match(all.stdout, /^business 2 \(Bolt Electric\): .*\n$/, 'only business 2 is named');
    assert.match(all.stderr, /^callkeeper: 1 compliance rule\(s\) broken\n$/);
    const json = await both(['compliance', 'check', '--json']);
    assert.deepEqual(JSON.parse(json.stdout).map((r: { business: { id: number }; ok: boolean }) => [r.business.id, r.ok]), [[1, true], [2, false]]);
    const one = await both(['compliance', 'check', '--business', '1']);
    assert.equal(one.code, 0, one.stderr);
    assert.match(one.stdout, /^ok: 1 business\(es\)/);
    assert.equal((await both(['compliance', 'check', '--business', '7'])).stderr, 'callkeeper: no business with id 7\n');

    const [pgOut, liteOut] = [join(ck.dir, 'kit-pg'), join(ck.dir, 'kit-lite')];
    const kitPg = await ck.pg(['compliance', 'kit', '--business', '1', '--out', pgOut]);
    const kitLite = await ck.lite(['compliance', 'kit', '--business', '1', '--out', liteOut]);
    assert.equal(kitPg.code, 0, kitPg.stderr);
    assert.equal(kitLite.code, 0, kitLite.stderr);
    const written = (out: string, stdout: string): string[] => stdout.trim().split('\n').map((l) => l.replace(`wrote ${out}/`, ''));
    assert.deepEqual(written(pgOut, kitPg.stdout), written(liteOut, kitLite.stdout));
    for (const name of written(pgOut, kitPg.stdout)) {
      assert.equal(readFileSync(join(pgOut, name), 'utf8'), readFileSync(join(liteOut, name), 'utf8'), `${name} is the same kit`);
    }
    const refused = await both(['compliance', 'kit', '--business', '2', '--out', join(ck.dir, 'kit-2')]);
    assert.equal(refused.code, 1, 'a business that breaks a rule gets no kit without --force');
  });
});

describe('callkeeper consent import on a PostgreSQL config', () => {
  const A = '+15125550123';
  const B = '+15125550124';
  const line = (o: Record<string, unknown>): string => JSON.stringify({ event: 'granted', business_id: 1, consumer: A, ...o });

  /** An empty PostgreSQL database and a SQLite file, each holding business 1 (Acme) added by the CLI. */
  async function pair(t: { after(fn: () => Promise<void> | void): void }): Promise<Install & { db: PgTestDb }> {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    for (const run of [ck.pg, ck.lite]) assert.equal((await run(ACME)).code, 0);
    return { ...ck, db };
  }

  /** Runs the command on both; asserts the same exit code, stdout and stderr; returns the PostgreSQL run. */
  async function same(ck: Install, args: string[]): Promise<Awaited<ReturnType<Run>>> {
    const onPg = await ck.pg(args);
    const onLite = await ck.lite(args);
    assert.equal(onPg.code, onLite.code, `${args.join(' ')}: exit ${onPg.code} on PostgreSQL (${onPg.stderr}), ${onLite.code} on SQLite (${onLite.stderr})`);
    assert.equal(onPg.stdout, onLite.stdout, args.join(' '));
    assert.equal(onPg.stderr, onLite.stderr, args.join(' '));
    return onPg;
  }

  test('a file imports with the same output and the same records as on SQLite', async (t) => {
    const ck = await pair(t);
    const file = join(ck.dir, 'old-crm.ndjson');
    writeFileSync(
      file,
      [
        line({ at: '2025-01-02T10:00:00Z', script_version: 'v1', script_text: 'May Acme text you?', transcript: 'sure, "quoted",\nand a new line', method: 'ivr', source: 'crm', call_id: 17 }),
        '',
        line({ consumer: '(512) 555-0124', at: 1_735_900_000_000, did: '+1 512 555 0100' }),
        line({ event: 'revoked', at: '2025-03-01T00:00:00+01:00' }),
        line({ consumer: B, event: 'reinstated', at: '2025-04-01T00:00:00Z', audio_path: '/old/a.wav', audio_sha256: 'a'.repeat(64) }),
      ].join('\r\n'),
    );
    const r = await same(ck, ['consent', 'import', '--format', 'ndjson', file]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'imported 4 events (records 1-4)\n');
    const json = await same(ck, ['consent', 'import', '--json', writeSecond(ck.dir)]);
    assert.deepEqual(JSON.parse(json.stdout), { imported: 1, firstId: 5, lastId: 5 });
    for (const args of [['consent', 'show', A], ['consent', 'show', B], ['consent', 'export', '--format', 'ndjson']]) {
      const out = await same(ck, args);
      assert.equal(out.code, 0, `${args.join(' ')}: ${out.stderr}`);
    }
    // The same chain, to the head hash (the signing files' paths differ: beside the SQLite file, or this node's).
    const [onPg, onLite] = [await ck.pg(['consent', 'verify']), await ck.lite(['consent', 'verify'])];
    assert.equal(onPg.code, 0, onPg.stderr);
    assert.deepEqual(onPg.stdout.split('\n').slice(0, 2), onLite.stdout.split('\n').slice(0, 2));
    assert.match(onPg.stdout, /^ok 5 records\nhead [0-9a-f]{64}\n/);
  });

  test('a bad line refuses the whole file with the same line as on SQLite, and leaves the ledger untouched', async (t) => {
    const ck = await pair(t);
    const seed = join(ck.dir, 'seed.ndjson');
    writeFileSync(seed, `${line({ event: 'revoked', at: '2025-06-01T00:00:00Z' })}\n`);
    assert.equal((await same(ck, ['consent', 'import', seed])).code, 0);
    const pool = ck.db.pool(1);
    const ledgerState = async (): Promise<unknown> => (await pool.query('SELECT count(*)::int AS n, max(id) AS last, (SELECT hash FROM consent_ledger ORDER BY id DESC LIMIT 1) AS head FROM consent_ledger')).rows[0];
    const before = await ledgerState();
    const good = line({ consumer: B, at: '2025-01-01T00:00:00Z' });
    const cases: Array<[string, RegExp]> = [
      [`${good}\n{"event":`, /^callkeeper: line 2: not valid JSON; nothing was imported\n$/],
      [`${good}\n${line({ business_id: 9, at: 0 })}`, /^callkeeper: line 2: no business with id 9; nothing was imported\n$/],
      [`${good}\n${line({ consumer: "'); DROP TABLE consent_ledger; --", at: 0 })}`, /^callkeeper: line 2: consumer is not a valid phone number; nothing was imported\n$/],
      [`${good}\n${line({ at: '2099-01-01T00:00:00Z' })}`, /^callkeeper: line 2: at 2099-01-01T00:00:00\.000Z is in the future/],
      [`${good}\n${line({ at: 0, transcript: 'yes\u0000' })}`, /^callkeeper: line 2: transcript: holds a NUL character; nothing was imported\n$/],
      // Lines 1 and 2 are appended inside the transaction before line 3's check refuses: all three roll back.
      [`${good}\n${line({ consumer: B, event: 'revoked', at: '2025-02-01T00:00:00Z' })}\n${line({ at: '2025-01-01T00:00:00Z' })}`, /^callkeeper: line 3: at 2025-01-01T00:00:00\.000Z is before the current event of this business and number \(record 1, at 2025-06-01T00:00:00\.000Z\);/],
    ];
    for (const [content, expected] of cases) {
      const file = join(ck.dir, 'bad.ndjson');
      writeFileSync(file, content);
      const r = await same(ck, ['consent', 'import', file]);
      assert.equal(r.code, 1, content);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, expected);
      assert.deepEqual(await ledgerState(), before, `nothing was written: ${r.stderr}`);
    }
  });
});

describe('callkeeper consent evidence on a PostgreSQL config', () => {
  test('the bundle of a record taken on a call holds the same files as on SQLite; a missing record is the same line', async (t) => {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    for (const run of [ck.pg, ck.lite]) assert.equal((await run(ACME)).code, 0);
    const rec = join(ck.dir, 'rec');
    const message = join(rec, 'call-1-message.wav');
    writeFileSync(message, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt fake message audio'));
    const answer = join(rec, 'call-1-answer.wav');
    writeFileSync(answer, Buffer.from('RIFF\x24\x00\x00\x00WAVEfmt fake answer audio'));
    const sha = (f: string): string => createHash('sha256').update(readFileSync(f)).digest('hex');
    const seed = async (s: ServeStores): Promise<void> => {
      const callId = await s.callLog.open({ engine: 'asterisk', channelId: 'chan-7', businessId: 1, did: '+15125550100', callerRaw: '5125550115', callerE164: '+15125550115', startedAt: T0 });
      await s.callLog.saveMessage(callId, { recordingPath: message, sha256: sha(message), durationMs: 4200 });
      await s.callLog.saveTranscript(callId, { transcript: 'the sink is "leaking",\nplease call', summary: null });
      await s.callLog.close(callId, { outcome: 'consent-granted', endedAt: T0 + 30_000 });
      await s.consent.append(consentEvent({ consumer: '+15125550115', callId, audioPath: answer, audioSha256: sha(answer) }));
      await s.consent.append(consentEvent({ consumer: '+15125550116', callId: 999 }));
    };
    await seed(pgServeStores(db.pool(2), { clock: FIXED, nodeId: 'seed' }));
    const sdb = openDatabase(join(ck.dir, 'ck.db'));
    try {
      await seed(sqliteServeStores(sdb, { clock: FIXED, consent: new SqliteConsentStore(sdb, FIXED) }));
    } finally {
      sdb.close();
    }

    const bundles = { pg: join(ck.dir, 'evidence-pg'), lite: join(ck.dir, 'evidence-lite') };
    const onPg = await ck.pg(['consent', 'evidence', '1', '--out', bundles.pg, '--json']);
    const onLite = await ck.lite(['consent', 'evidence', '1', '--out', bundles.lite, '--json']);
    assert.equal(onPg.code, 0, onPg.stderr);
    assert.equal(onLite.code, 0, onLite.stderr);
    const [mPg, mLite] = [JSON.parse(onPg.stdout), JSON.parse(onLite.stdout)];
    assert.deepEqual({ ...mPg, generated_at: null }, { ...mLite, generated_at: null }, 'the same manifest but for the time it was made');
    assert.deepEqual(
      mPg.files.map((f: { name: string }) => f.name),
      ['record.json', 'script.txt', 'transcript.txt', 'answer-audio.wav', 'call.json', 'message-audio.wav'],
    );
    assert.equal(mPg.record_hash_ok, true);
    assert.equal(mPg.audio_sha256_ok, true);
    assert.equal(mPg.message_sha256_ok, true);
    for (const f of mPg.files as Array<{ name: string }>) assert.deepEqual(readFileSync(join(bundles.pg, f.name)), readFileSync(join(bundles.lite, f.name)), f.name);

    const orphan = await ck.pg(['consent', 'evidence', '2', '--out', join(ck.dir, 'evidence-orphan'), '--json']);
    assert.equal(orphan.code, 0, orphan.stderr);
    assert.deepEqual(JSON.parse(orphan.stdout).missing, ['call.json'], 'a record naming a call that is not there');
    for (const run of [ck.pg, ck.lite]) {
      const missing = await run(['consent', 'evidence', '99', '--out', join(ck.dir, 'evidence-99')]);
      assert.equal(missing.code, 1);
      assert.equal(missing.stderr, 'callkeeper: no consent record with id 99\n');
    }
  });

});

/** A second file of one line, imported after the first (its records follow on). */
function writeSecond(dir: string): string {
  const file = join(dir, 'second.ndjson');
  writeFileSync(file, `${JSON.stringify({ event: 'granted', business_id: 1, consumer: '+15125550125', at: '2025-05-01T00:00:00Z' })}\n`);
  return file;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
