/**
 * Every node's dispatcher is woken when any node (or the CLI) queues a text on PostgreSQL
 * (src/store/postgres/pg-outbox-wakeup.ts, migrations/pg-003-outbox-wakeup.ts): the NOTIFY comes at the
 * commit, never for a rolled-back insert.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inPgTransaction } from '../../../src/store/postgres/pg-database.ts';
import { listenForOutbox } from '../../../src/store/postgres/pg-outbox-wakeup.ts';
import { PgOutbox } from '../../../src/store/postgres/pg-outbox.ts';
import { waitFor } from '../../support/wait-for.ts';
import { DID, startPgTestCluster, type PgTestCluster, type PgTestDb } from './pg-test-db.ts';
import { pgUrlOf } from '../../support/pg-cluster.ts';


let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

test('a text queued on one connection wakes a listener on another, at commit; a rolled-back one does not', async () => {
  const db = await pgc.freshDb();
  const pool = db.pool(4);
  let wakes = 0;
  const wake = listenForOutbox(pgUrlOf(db.conn), () => void wakes++, (err) => assert.fail(err.message));
  try {
    await wake.ready;
    await waitFor(() => wakes >= 1, { timeoutMs: 10_000, what: 'the wake-up after LISTEN (texts queued before it)' });
    const base = wakes;
    const outbox = new PgOutbox(pool, { nodeId: 'node-a' });
    const text = { businessId: 1, from: DID, to: '+15125550166', body: 'hello', kind: 'follow-up' as const, callId: null, consentEventId: null };
    await assert.rejects(
      inPgTransaction(pool, async (c) => {
        await new PgOutbox(pool, { nodeId: 'node-a' }, c).enqueue(text);
        throw new Error('rolled back');
      }),
      /rolled back/,
    );
    await outbox.enqueue(text);
    await waitFor(() => wakes === base + 1, { timeoutMs: 10_000, what: 'one wake-up for the committed text' });
    // A notification for the rolled-back insert would have arrived before the committed one's.
    await pool.query('SELECT pg_sleep(0.2)');
    assert.equal(wakes, base + 1, 'exactly one wake-up: none for the rolled-back insert');
  } finally {
    await wake.close();
    await db.close();
  }
});
