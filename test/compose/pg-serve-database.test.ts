/**
 * `serve` on PostgreSQL opens its database through src/compose/pg-serve-database.ts: migrated at start,
 * one node per nodeId (a session advisory lock), and a connection failure as one line that names host and
 * database but never the password. On a throwaway cluster (test/support/pg-cluster.ts).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openPgServeDatabase } from '../../src/compose/pg-serve-database.ts';
import { configSchema } from '../../src/config/config-schema.ts';
import { isAppError } from '../../src/domain/errors.ts';
import type { Logger } from '../../src/domain/ports/logger.ts';
import { pgUrlOf, startPgCluster, type PgCluster, type PgConnection } from '../support/pg-cluster.ts';

const clock = { now: () => Date.now(), setTimer: (ms: number, fn: () => void) => { const h = setTimeout(fn, ms); return () => clearTimeout(h); } };
const logged: Array<{ fields: unknown; msg: string }> = [];
const logger = new Proxy({}, { get: (_t, level) => (level === 'child' ? () => logger : (fields: unknown, msg: string) => void logged.push({ fields, msg })) }) as Logger;

let cluster: PgCluster;
let conn: PgConnection;
before(async () => {
  cluster = await startPgCluster();
  conn = await cluster.createDatabase('serve_db');
});
after(async () => {
  await cluster?.stop();
});

const dbConfig = (over: Record<string, unknown>) => configSchema.parse({ database: { kind: 'postgres', url: pgUrlOf(conn), ...over } }).database;

test('opens, migrates and serves the stores; a second node under the same nodeId is refused until the first closes', async () => {
  const a = await openPgServeDatabase(dbConfig({ nodeId: 'node-a' }), { clock, logger });
  try {
    assert.equal(a.nodeId, 'node-a');
    assert.deepEqual(await a.stores.businesses.list(), []);
    const migrated = await a.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM kysely_migration');
    assert.ok((migrated.rows[0]?.n ?? 0) >= 2, 'the migrations ran');
    await assert.rejects(openPgServeDatabase(dbConfig({ nodeId: 'node-a' }), { clock, logger }), (e: unknown) => {
      assert.ok(isAppError(e, 'CONFIG.INVALID'));
      assert.match((e as Error).message, /another node is running as "node-a"/);
      return true;
    });
    const b = await openPgServeDatabase(dbConfig({ nodeId: 'node-b' }), { clock, logger });
    await b.close();
  } finally {
    await a.close();
  }
  const again = await openPgServeDatabase(dbConfig({ nodeId: 'node-a' }), { clock, logger });
  await again.close();
});

test('a database that cannot be opened is one line naming host and database, never the password', async () => {
  const secret = 'Sekr1t-pw-42';
  await assert.rejects(openPgServeDatabase(dbConfig({ url: pgUrlOf(conn, 'no_such_db', secret), nodeId: 'node-x' }), { clock, logger }), (e: unknown) => {
    assert.ok(isAppError(e, 'STORE.UNREACHABLE'), String(e));
    const m = (e as Error).message;
    assert.match(m, /no_such_db/);
    assert.doesNotMatch(m, new RegExp(secret));
    assert.equal(m.includes('\n'), false);
    return true;
  });
  await assert.rejects(openPgServeDatabase(dbConfig({ password: secret, url: pgUrlOf(conn, 'no_such_db'), nodeId: 'node-y' }), { clock, logger }), (e: unknown) => {
    assert.doesNotMatch((e as Error).message, new RegExp(secret));
    return true;
  });
  assert.equal(JSON.stringify(logged).includes(secret), false, 'nor in a log line');
});

test('kind postgres without a url is a config error', () => {
  const r = configSchema.safeParse({ database: { kind: 'postgres' } });
  assert.equal(r.success, false);
  assert.match(JSON.stringify(r.error?.issues), /needs url/);
});
