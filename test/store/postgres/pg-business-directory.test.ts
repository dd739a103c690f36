/**
 * The business directory on PostgreSQL (src/store/postgres/pg-business-directory.ts) with two nodes,
 * beyond its contract (test/contract/business-directory.pg.contract.test.ts): two nodes giving the same
 * DID at once both pass the owner check; the primary key makes the later insert wait and fail, and that
 * failure is the contract's INPUT.INVALID, with the first business keeping the number.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { isAppError } from '../../../src/domain/errors.ts';
import { PgBusinessDirectory } from '../../../src/store/postgres/pg-business-directory.ts';
import { withTimeout } from '../../support/wait-for.ts';
import { startPgTestCluster, type PgTestCluster } from './pg-test-db.ts';

/** Bounds each wait on the other connection; it only names what did not happen. */
const WAIT_MS = 30_000;
const POLL_MS = 20;
const DID = '+15125550999';

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

test('two nodes adding the same DID at once: the later insert waits, then fails with INPUT.INVALID, and the DID stays with the first', async (t) => {
  const db = await pgc.freshDb({ empty: true });
  const nodeA = db.pool(1);
  const nodeB = new PgBusinessDirectory(db.pool(2));
  // Node A's add, held open after its DID insert: what a concurrent add looks like from B's side.
  const a = await nodeA.connect();
  let aOpen = true;
  // After hooks run in the order they were added: A's connection goes back before the pools end (pool.end waits for it).
  t.after(async () => {
    if (aOpen) await a.query('ROLLBACK').catch(() => {});
    a.release();
  });
  t.after(() => db.close());
  await a.query('BEGIN');
  const aId = (await a.query<{ id: number }>("INSERT INTO businesses (name, timezone, consent_mode, created_at, updated_at) VALUES ('A', 'America/Chicago', 'verbal', 0, 0) RETURNING id")).rows[0]!.id;
  await a.query('INSERT INTO business_dids (did, business_id, position) VALUES ($1, $2, 0)', [DID, aId]);

  const bAdd = nodeB.add({ name: 'B', dids: [DID], timezone: 'America/Chicago', consentMode: 'verbal' });
  bAdd.catch(() => {}); // awaited below; keeps the rejection handled while A is still open
  // B's owner check cannot see A's uncommitted row, so B gets as far as its insert and waits on the key.
  const watch = db.pool(1);
  const deadline = performance.now() + WAIT_MS;
  for (;;) {
    const w = await watch.query<{ n: number }>("SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'");
    if (w.rows[0]!.n > 0) break;
    if (performance.now() > deadline) assert.fail(`timed out after ${WAIT_MS}ms waiting for node B's insert to wait on node A's DID`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  await a.query('COMMIT');
  aOpen = false;

  await withTimeout(
    assert.rejects(bAdd, (e: unknown) => {
      assert.ok(isAppError(e), String(e));
      assert.equal(e.code, 'INPUT.INVALID');
      assert.ok(!e.message.includes(DID), 'the number is not in the message');
      return true;
    }),
    WAIT_MS,
    'node B\'s add to fail once node A committed',
  );
  const directory = new PgBusinessDirectory(watch);
  assert.equal((await directory.byDid(DID))?.id, aId);
  assert.deepEqual((await directory.list()).map((b) => b.name), ['A'], 'B\'s business was rolled back with its DID');
});
