/** The RecordingRetentionStore contract over PostgreSQL (src/store/postgres/pg-retention-store.ts), a fresh database per test; calls and consent answers go in through the PostgreSQL call log and ledger. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PgCallLog } from '../../src/store/postgres/pg-call-log.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { PgRetentionStore } from '../../src/store/postgres/pg-retention-store.ts';
import { usePgCluster } from './pg-contract-db.ts';
import { runRecordingRetentionStoreContract } from './recording-retention-store-contract.ts';

const freshDb = usePgCluster();

runRecordingRetentionStoreContract('PostgreSQL', async () => {
  const db = await freshDb(1);
  return {
    store: new PgRetentionStore(db.pool),
    calls: new PgCallLog(db.pool),
    consent: new PgConsentStore(db.pool),
    businessId: db.businessIds[0]!,
    did: '+15125559000',
    deletedAt: async (id) => (await db.pool.query<{ d: number | null }>('SELECT recording_deleted_at AS d FROM calls WHERE id = $1', [id])).rows[0]?.d ?? null,
    close: db.close,
  };
});

test("PostgreSQL, several nodes: a call is stamped with the node that took it, and another node's purge sees it as elsewhere", async () => {
  const db = await freshDb(1);
  try {
    const open = async (log: PgCallLog, path: string): Promise<number> => {
      const id = await log.open({ engine: 'freeswitch', channelId: path, businessId: db.businessIds[0]!, did: '+15125559000', callerRaw: '5125550123', callerE164: '+15125550123', startedAt: 1_000 });
      await log.saveMessage(id, { recordingPath: path, sha256: 'ab'.repeat(32), durationMs: 3_000 });
      return id;
    };
    const a = await open(new PgCallLog(db.pool, { node: 'node-a' }), '/rec/a.wav');
    const b = await open(new PgCallLog(db.pool, { node: 'node-b' }), '/rec/b.wav');
    // A call from before migration pg-006-call-node (or copied from SQLite): no node.
    const old = await open(new PgCallLog(db.pool), '/rec/old.wav');
    const nodes = await db.pool.query<{ id: number; node: string | null }>('SELECT id, node FROM calls ORDER BY id');
    assert.deepEqual(nodes.rows.map((r) => [r.id, r.node]), [[a, 'node-a'], [b, 'node-b'], [old, null]]);

    const page = { afterCallId: 0, limit: 10 };
    const seenBy = async (store: PgRetentionStore) => (await store.listExpired(2_000, page)).map((c) => [c.callId, c.elsewhere === true]);
    assert.deepEqual(await seenBy(new PgRetentionStore(db.pool, { node: 'node-a' })), [[a, false], [b, true], [old, false]]);
    assert.deepEqual(await seenBy(new PgRetentionStore(db.pool, { node: 'node-b' })), [[a, true], [b, false], [old, false]]);
    // No node given (a store that cannot say which node it is): nothing is anyone else's.
    assert.deepEqual(await seenBy(new PgRetentionStore(db.pool)), [[a, false], [b, false], [old, false]]);
  } finally {
    await db.close();
  }
});
