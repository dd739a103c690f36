/**
 * The console inside serve on its own SQLite connection (src/compose/console-wiring.ts,
 * `openConsoleConnection`): while the app's stores hold a transaction open across an await
 * (`outbox.atomically`, src/store/sqlite-async-stores.ts), the console neither sees what that
 * transaction has not committed nor writes into it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createConsoleWiring, openConsoleConnection } from '../../src/compose/console-wiring.ts';
import { sqliteServeStores } from '../../src/compose/serve-stores.ts';
import { ConnectionTurns } from '../../src/store/sqlite-async-stores.ts';
import { loadConfig } from '../../src/config/config-loader.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { DID, openMessagingDb } from '../sms/fixtures/messaging-db.ts';
import { withTimeout } from '../support/wait-for.ts';

const C = '+15125550166';
/** Bounds the wait for the transaction to open; it only names what did not happen. */
const WAIT_MS = 30_000;

test('a file database: the console neither reads nor writes inside a transaction the stores hold open', async (t) => {
  const m = openMessagingDb();
  const recordings = mkdtempSync(join(tmpdir(), 'ck-console-conn-'));
  const conn = openConsoleConnection(m.path, m.db, new ConnectionTurns());
  t.after(() => {
    conn.close();
    m.close();
    rmSync(recordings, { recursive: true, force: true });
  });
  assert.notEqual(conn.db, m.db, 'a connection of its own');
  const config = loadConfig({ file: '/dev/null', env: { CALLKEEPER_DATABASE__PATH: m.path, CALLKEEPER_RECORDINGS__DIR: recordings } }).config;
  const deps = createConsoleWiring({ db: conn.db, config, clock: m.clock, engineName: 'asterisk' });
  const stores = sqliteServeStores(m.db, { clock: m.clock, consent: m.consent });
  m.grant(C);

  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  let inside = (): void => {};
  const entered = new Promise<void>((r) => (inside = r));
  const stop = stores.outbox.atomically(async (tx) => {
    await tx.consent.append({
      event: 'revoked', businessId: m.businessId, did: DID, consumer: C, method: 'sms-keyword',
      scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
    });
    inside();
    await held;
    throw new Error('rolled back');
  });
  await withTimeout(entered, WAIT_MS, 'the stores to open their transaction');

  // On serve's connection this would read the uncommitted revocation (and a write would join the transaction).
  assert.equal(await deps.ledger.current(m.businessId, C), 'granted', 'the console does not see the uncommitted revocation');
  // Without waiting for the write lock: the write is refused while the transaction holds it, never taken into it.
  conn.db.pragma('busy_timeout = 0');
  const entry = { at: 1, username: 'dana', action: 'template', target: 'business:1/received', detail: 'x' };
  await assert.rejects(deps.accounts.audit(entry), (e: unknown) => (e as { code?: string }).code === 'SQLITE_BUSY');

  release();
  await assert.rejects(stop, /rolled back/);
  assert.equal(await deps.ledger.current(m.businessId, C), 'granted');
  // Once the transaction has ended, the console's write commits on its own and stays.
  const written = await deps.accounts.audit(entry);
  assert.deepEqual(m.db.prepare('SELECT id FROM console_audit').all(), [{ id: written.id }], "seen on serve's connection");
});

test(':memory: is one database per connection: the console keeps the shared one, and closing it leaves it open', () => {
  const db = openDatabase(':memory:');
  const turns = new ConnectionTurns();
  const conn = openConsoleConnection(':memory:', db, turns);
  assert.equal(conn.db, db);
  assert.equal(conn.turns, turns, "the console's transactions take the shared connection's turns");
  conn.close();
  assert.equal(db.open, true);
  db.close();
});
