/**
 * The admin CLI on a PostgreSQL config (database.kind postgres, no --db / CALLKEEPER_DB): `db migrate`,
 * `business add|list|update`, `consent show|verify|export`, `messages list` and `optout list` work on the
 * configured database and print what they print on SQLite (the commands an installer operates with
 * are in pg-admin-commands-2.test.ts); every other command is one line saying it works on SQLite only;
 * no error shows the password. On a throwaway cluster (test/support/pg-cluster.ts).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { NewConsentEvent } from '../../src/domain/consent.ts';
import { PG_MIGRATIONS } from '../../src/store/postgres/migrations/index.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgMessageLog } from '../../src/store/postgres/pg-message-log.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import type { PgTestDb } from '../store/postgres/pg-test-db.ts';
import { consentEvent, tempDir } from '../store/store-test-helpers.ts';
import { pgUrlOf, type PgConnection } from '../support/pg-cluster.ts';
import { callkeeper } from './cli-test-harness.ts';
import { ACME, SQLITE_ONLY, usePgCliCluster } from './pg-cli-fixture.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const A = '+15125550123';
const B = '+15125550124';

const pgc = usePgCliCluster();


interface Install {
  /** Runs the CLI with `--config` naming a postgres config, and no CALLKEEPER_DB. */
  run(args: string[], env?: NodeJS.ProcessEnv): ReturnType<typeof callkeeper>;
  readonly dir: string;
}

/** A config file (database.kind postgres) in a temp dir; `database` is extra YAML under `database:`. */
function install(t: { after(fn: () => void): void }, url: string, database = ''): Install {
  const { dir, cleanup } = tempDir('callkeeper-pg-cli-');
  t.after(cleanup);
  const file = join(dir, 'callkeeper.yaml');
  // `path` only places the node's ledger key and checkpoint files (none here) in the temp dir, not in the working directory.
  writeFileSync(file, `database:\n  kind: postgres\n  url: ${JSON.stringify(url)}\n  path: ${JSON.stringify(join(dir, 'data', 'callkeeper.db'))}\n${database}`);
  return { dir, run: (args, env = {}) => callkeeper(['--config', file, ...args], env) };
}


describe('callkeeper on a PostgreSQL config', () => {
  test('db migrate migrates the configured database, once; business add, list and update work on it', async (t) => {
    const conn = await pgc.testCluster.cluster.createDatabase();
    const ck = install(t, pgUrlOf(conn));
    const list0 = await ck.run(['business', 'list']);
    assert.equal(list0.code, 1);
    assert.equal(list0.stderr, `callkeeper: database ${conn.host}:${conn.port}/${conn.database} lacks ${PG_MIGRATIONS.length} schema migration(s) this callkeeper needs (run: callkeeper db migrate)\n`);

    const first = await ck.run(['db', 'migrate']);
    assert.equal(first.code, 0, first.stderr);
    const newest = PG_MIGRATIONS.at(-1)!.name;
    assert.equal(first.stdout, `${PG_MIGRATIONS.map((m) => `applied ${m.name}\n`).join('')}PostgreSQL schema at ${newest} (${conn.host}:${conn.port}/${conn.database})\n`);
    const second = await ck.run(['db', 'migrate', '--json']);
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual(JSON.parse(second.stdout), { database: `${conn.host}:${conn.port}/${conn.database}`, applied: [], schema: newest, pending: 0 });

    const add = await ck.run([...ACME, '--did', '+1 512 555 0101']);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added business 1: Acme Plumbing (2 DIDs)\n');
    const taken = await ck.run(['business', 'add', '--name', 'Bolt', '--did', '+15125550101', '--timezone', 'America/Chicago', '--consent-mode', 'verbal']);
    assert.equal(taken.code, 1);
    assert.equal(taken.stderr, 'callkeeper: DID 1 already belongs to business 1\n', 'as on SQLite (src/store/business-row.ts)');
    const refused = await ck.run(['business', 'update', '1', '--template', 'callback=We will call you back.']);
    assert.equal(refused.code, 1, 'the compliance check of the use case runs on PostgreSQL too');
    assert.match(refused.stderr, /^callkeeper: template change refused, it breaks text-brand: .*\n$/);
    const upd = await ck.run(['business', 'update', '1', '--timezone', 'America/Denver', '--template', 'callback={business} will call today']);
    assert.equal(upd.code, 0, upd.stderr);
    assert.equal(upd.stdout, 'updated business 1: 1\tAcme Plumbing\tAmerica/Denver\tverbal\t+15125550100 +15125550101\n');
    const missing = await ck.run(['business', 'update', '7', '--name', 'Nobody']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /7/);

    const list = await ck.run(['business', 'list']);
    assert.equal(list.code, 0, list.stderr);
    assert.equal(list.stdout, 'id\tname\ttimezone\tconsent\tdids\n1\tAcme Plumbing\tAmerica/Denver\tverbal\t+15125550100 +15125550101\n');
    const json = await ck.run(['business', 'list', '--json']);
    assert.deepEqual(JSON.parse(json.stdout)[0].templates, { callback: '{business} will call today' });
  });

  test('consent show, verify, optout list and messages list print on PostgreSQL what they print on SQLite for the same records', async (t) => {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    const sqliteFile = join(ck.dir, 'ck.db');
    const onSqlite = (args: string[]) => ck.run(['--db', sqliteFile, ...args]);
    for (const run of [ck.run, onSqlite]) assert.equal((await run(ACME)).code, 0);

    const emptyPg = await ck.run(['consent', 'verify']);
    assert.equal(emptyPg.code, 0, emptyPg.stderr);
    // No node signed on this host (no key, no checkpoint file in the node's data directory): unsigned, as on SQLite.
    assert.match(emptyPg.stdout, /^ok 0 records\nhead [0-9a-f]{64}\nunsigned: no signing key \(.+\/data\/[^/]+\.ledger-key\) and no checkpoints \(.+\/data\/[^/]+\.checkpoints\); a rewritten chain would pass this check\n$/);

    const events: NewConsentEvent[] = [
      consentEvent({ consumer: A }),
      consentEvent({ consumer: B, transcript: 'sure, "quoted"' }),
      consentEvent({ consumer: A, event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: null, source: 'sms:1' }),
    ];
    const pgLedger = new PgConsentStore(db.pool(1), { now: () => T0 });
    const sdb = openDatabase(sqliteFile);
    try {
      const sqliteLedger = new SqliteConsentStore(sdb, { now: () => T0 });
      for (const e of events) assert.deepEqual(await pgLedger.append(e), sqliteLedger.append(e));
      const inbound = { businessId: 1, recipient: '+15125550100', sender: A, body: 'STOP', keyword: 'STOP', callId: null, receivedAt: T0 };
      await new PgMessageLog(db.pool(1)).saveInbound(inbound);
      new SqliteMessageLog(sdb).saveInbound(inbound);
    } finally {
      sdb.close();
    }

    for (const args of [['consent', 'show', A], ['consent', 'show', B, '--business', '1', '--json'], ['optout', 'list'], ['optout', 'list', '--json'], ['messages', 'list'], ['messages', 'list', '--in', '--json']]) {
      const pg = await ck.run(args);
      const lite = await onSqlite(args);
      assert.equal(pg.code, 0, `${args.join(' ')}: ${pg.stderr}`);
      assert.equal(lite.code, 0, `${args.join(' ')} on SQLite: ${lite.stderr}`);
      assert.equal(pg.stdout, lite.stdout, args.join(' '));
    }
    const show = await ck.run(['consent', 'show', A]);
    assert.match(show.stdout, /^business 1: current consent revoked\nid\tat/, 'the history is not empty');
    assert.match((await ck.run(['optout', 'list'])).stdout, /\+15125550123/);

    const pgVerify = await ck.run(['consent', 'verify']);
    const liteVerify = await onSqlite(['consent', 'verify']);
    assert.equal(pgVerify.code, 0, pgVerify.stderr);
    assert.equal(liteVerify.code, 0, liteVerify.stderr);
    const [okLine, headLine] = pgVerify.stdout.split('\n');
    assert.equal(okLine, 'ok 3 records');
    assert.deepEqual(pgVerify.stdout.split('\n').slice(0, 2), liteVerify.stdout.split('\n').slice(0, 2), 'the same count and head as SQLite');
    assert.match(headLine ?? '', /^head [0-9a-f]{64}$/);
    const json = await ck.run(['consent', 'verify', '--json']);
    assert.equal(JSON.parse(json.stdout).ok, true);
    assert.equal(JSON.parse(json.stdout).count, 3);

    // The signed checkpoints are checked as on SQLite (test/cli/pg-ledger-checkpoints.test.ts); a file that is not there is one line.
    const offsite = await ck.run(['consent', 'verify', '--checkpoints', join(ck.dir, 'x.checkpoints')]);
    assert.equal(offsite.code, 1);
    assert.equal(offsite.stderr, `callkeeper: no checkpoint file at ${join(ck.dir, 'x.checkpoints')}\n`);
  });

  test('consent export writes on PostgreSQL the bytes it writes on SQLite for the same ledger: CSV to a file, NDJSON to stdout, with filters', async (t) => {
    const db = await pgc.freshDb(t, { empty: true });
    const ck = install(t, pgUrlOf(db.conn));
    const sqliteFile = join(ck.dir, 'ck.db');
    const onSqlite = (args: string[]) => ck.run(['--db', sqliteFile, ...args]);
    for (const run of [ck.run, onSqlite]) assert.equal((await run(ACME)).code, 0);
    const events: NewConsentEvent[] = [
      consentEvent({ consumer: A, transcript: '=HYPERLINK("http://x")' }),
      consentEvent({ consumer: B, transcript: 'sure, "quoted",\nand a new line' }),
      consentEvent({ consumer: A, event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: null, source: 'sms:1' }),
    ];
    let at = T0;
    const pgLedger = new PgConsentStore(db.pool(1), { now: () => at });
    const sdb = openDatabase(sqliteFile);
    try {
      const sqliteLedger = new SqliteConsentStore(sdb, { now: () => at });
      for (const e of events) {
        sqliteLedger.append(e);
        await pgLedger.append(e);
        at += 1001;
      }
    } finally {
      sdb.close();
    }
    for (const args of [[], ['--phone', A], ['--event', 'revoked'], ['--since', new Date(T0 + 1).toISOString()]]) {
      const pgOut = join(ck.dir, 'pg.csv');
      const liteOut = join(ck.dir, 'lite.csv');
      const pg = await ck.run(['consent', 'export', '--out', pgOut, ...args]);
      const lite = await onSqlite(['consent', 'export', '--out', liteOut, ...args]);
      assert.equal(pg.code, 0, pg.stderr);
      assert.equal(lite.code, 0, lite.stderr);
      assert.equal(readFileSync(pgOut, 'utf8'), readFileSync(liteOut, 'utf8'), `csv ${args.join(' ')}`);
      const pgNd = await ck.run(['consent', 'export', '--format', 'ndjson', ...args]);
      assert.equal(pgNd.code, 0, pgNd.stderr);
      assert.equal(pgNd.stdout, (await onSqlite(['consent', 'export', '--format', 'ndjson', ...args])).stdout, `ndjson ${args.join(' ')}`);
    }
    const csv = readFileSync(join(ck.dir, 'pg.csv'), 'utf8');
    assert.equal(csv.split('\r\n').length, 4, 'header, two rows since T0 + 1, and the end');
    const all = await ck.run(['consent', 'export']);
    assert.match(all.stdout, /,"'=HYPERLINK\(""http:\/\/x""\)",/, 'the formula guard and the quoting');
    assert.match(all.stdout, /"sure, ""quoted"",\nand a new line"/);
  });

  test('a PostgreSQL ledger edited past its triggers fails verify, naming the record', async (t) => {
    const db = await pgc.freshDb(t);
    const ck = install(t, pgUrlOf(db.conn));
    const ledger = new PgConsentStore(db.pool(1));
    for (let i = 0; i < 3; i++) await ledger.append(consentEvent({ transcript: `yes ${i}` }));
    assert.equal((await ck.run(['consent', 'verify'])).code, 0);
    const su = db.pool(1);
    await su.query('ALTER TABLE consent_ledger DISABLE TRIGGER consent_ledger_no_update');
    await su.query("UPDATE consent_ledger SET transcript = 'no' WHERE id = 2");
    const r = await ck.run(['consent', 'verify']);
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^callkeeper: ledger tampered: first bad record 2 \(.+\): .*; 1 records before it are intact\n$/);
  });

  test('a command that has not learnt PostgreSQL is one line; --db and CALLKEEPER_DB name a SQLite file and win', async (t) => {
    const db = await pgc.freshDb(t);
    const ck = install(t, pgUrlOf(db.conn));
    for (const [args, name] of [
      [['db', 'copy', '--to', 'postgres://nobody@127.0.0.1:1/none'], 'db copy'],
    ] as const) {
      const r = await ck.run([...args]);
      assert.equal(r.code, 1, name);
      assert.equal(r.stdout, '', name);
      assert.equal(r.stderr, SQLITE_ONLY(name));
    }
    const sqliteFile = join(ck.dir, 'other.db');
    const byFlag = await ck.run(['--db', sqliteFile, 'db', 'copy', '--to', 'postgres://nobody@127.0.0.1:1/none']);
    assert.notEqual(byFlag.stderr, SQLITE_ONLY('db copy'), 'with --db the command runs on the SQLite file');
    const migrated = await ck.run(['db', 'migrate'], { CALLKEEPER_DB: sqliteFile });
    assert.equal(migrated.code, 0, migrated.stderr);
    assert.match(migrated.stdout, /^applied 001 core\n/, 'CALLKEEPER_DB names a SQLite file: db migrate migrates it');
    const list = await ck.run(['business', 'list'], { CALLKEEPER_DB: sqliteFile });
    assert.equal(list.stdout, 'id\tname\ttimezone\tconsent\tdids\n', 'the SQLite file, not the PostgreSQL database (which holds a business)');
  });

  test('a database that cannot be opened is one line naming host and database, never the password', async (t) => {
    const secret = 'Sekr1t-pw-42';
    const conn = pgc.testCluster.cluster.connection();
    // The cluster trusts its socket, so a wrong password alone would be let in: a missing database makes the server refuse.
    for (const ck of [install(t, pgUrlOf(conn, 'no_such_db', secret)), install(t, pgUrlOf(conn, 'no_such_db'), `  password: ${JSON.stringify(secret)}\n`)]) {
      for (const args of [['business', 'list'], ['business', 'add', '--name', 'X', '--did', '+15125550199', '--timezone', 'UTC', '--consent-mode', 'verbal'], ['consent', 'verify'], ['consent', 'export'], ['db', 'migrate']]) {
        const r = await ck.run(args);
        assert.equal(r.code, 1, args.join(' '));
        assert.match(r.stderr, /^callkeeper: PostgreSQL at .+\/no_such_db: .+\n$/, args.join(' '));
        assert.equal(r.stderr.includes(secret), false, `${args.join(' ')}: ${r.stderr}`);
      }
      const debug = await ck.run(['--debug', 'business', 'list']);
      assert.equal(`${debug.stdout}${debug.stderr}`.includes(secret), false, 'nor with --debug');
    }
  });
});
