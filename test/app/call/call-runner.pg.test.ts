/**
 * The call path over the PostgreSQL stores (src/compose/serve-stores.ts `pgServeStores`), on a throwaway
 * cluster (test/store/postgres/pg-test-db.ts): the same calls as on the in-memory fakes, with the rows
 * read back from the database. A second pool plays another node: what it sees when the first text is
 * queued is what a dispatcher on any node would act on.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { createCallRunner } from '../../../src/app/call/call-runner.ts';
import { pgServeStores } from '../../../src/compose/serve-stores.ts';
import type { AsyncOutbox } from '../../../src/domain/ports/async-outbox.ts';
import { PgConsentStore } from '../../../src/store/postgres/pg-consent-store.ts';
import { createCallHarness } from '../../fakes/call-harness.ts';
import { FakeCallEngine } from '../../fakes/fake-call-engine.ts';
import type { CallerScript } from '../../fakes/fake-call-leg.ts';
import { BUSINESS_ID, DID, startPgTestCluster, type PgTestCluster } from '../../store/postgres/pg-test-db.ts';
import { withTimeout } from '../../support/wait-for.ts';

/** FakeCallEngine's default caller ID. */
const CALLER = '+15125550123';
/** A call on the fakes takes milliseconds; the bound only names a stuck one on a loaded machine. */
const CALL_BOUND_MS = 30_000;

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

/** A runner on node A's pool; `seenAtEnqueue` is node B's view of the call's ledger rows at each enqueue. */
async function pgCall(setup?: (other: pg.Pool) => Promise<void>) {
  const db = await pgc.freshDb();
  const other = db.pool(1);
  await setup?.(other);
  // The fakes for the engine, speech and clock; the stores are PostgreSQL's.
  const h = createCallHarness({ businesses: [] });
  const stores = pgServeStores(db.pool(4), { clock: h.clock, nodeId: 'node-a' });
  const seenAtEnqueue: string[][] = [];
  const outbox: AsyncOutbox = {
    enqueue: async (m) => {
      const r = await other.query<{ event: string }>('SELECT event FROM consent_ledger WHERE call_id = $1 ORDER BY id', [m.callId]);
      seenAtEnqueue.push(r.rows.map((x) => x.event));
      return stores.outbox.enqueue(m);
    },
  };
  const runner = createCallRunner({ ...h.deps, directory: stores.businesses, callLog: stores.callLog, consentStore: stores.consent, outbox });
  const run = async (script: CallerScript) => {
    const leg = FakeCallEngine.leg('leg-1', { dialed: DID, ...script });
    const result = await withTimeout(runner.run(FakeCallEngine.incoming(leg)), CALL_BOUND_MS, 'the call over PostgreSQL to end');
    return { leg, result };
  };
  return { db, other, h, run, seenAtEnqueue };
}

describe('a call over the PostgreSQL stores', () => {
  test('verbal yes: the grant is committed (visible to another node) before the first text is queued under it', async () => {
    const t = await pgCall();
    try {
      const { leg, result } = await t.run({ says: ['my sink is leaking', 'yes please'] });
      assert.equal(result.outcome, 'consent-granted');
      assert.ok(result.callId !== null);
      assert.deepEqual(t.seenAtEnqueue, [['granted']], 'another node saw the grant when the text was queued');

      const call = (await t.other.query('SELECT business_id, outcome, ended_at, recording_path, transcript FROM calls WHERE id = $1', [result.callId])).rows[0];
      assert.equal(Number(call.business_id), BUSINESS_ID);
      assert.equal(call.outcome, 'consent-granted');
      assert.ok(call.ended_at !== null, 'the row is closed');
      assert.ok(call.recording_path !== null, 'the message is kept on the row');
      assert.equal(call.transcript, 'my sink is leaking');

      const ledger = (await t.other.query('SELECT id, event, method, consumer, transcript FROM consent_ledger WHERE call_id = $1', [result.callId])).rows;
      assert.equal(ledger.length, 1);
      assert.deepEqual({ ...ledger[0], id: Number(ledger[0].id) }, { id: result.consentEventId, event: 'granted', method: 'verbal', consumer: CALLER, transcript: 'yes please' });

      const texts = (await t.other.query('SELECT id, consent_event_id, recipient, sender, kind, state FROM outbound_messages WHERE call_id = $1', [result.callId])).rows;
      assert.equal(texts.length, 1);
      assert.equal(Number(texts[0].id), result.outboundMessageId);
      assert.equal(Number(texts[0].consent_event_id), result.consentEventId, 'the text is queued under the ledger row');
      assert.deepEqual([texts[0].recipient, texts[0].sender, texts[0].kind, texts[0].state], [CALLER, DID, 'first-reply', 'queued']);
      assert.equal(leg.listenerCount(), 0);
    } finally {
      await t.db.close();
    }
  });

  test('verbal no: a declined row and nothing queued', async () => {
    const t = await pgCall();
    try {
      const { result } = await t.run({ says: ['my sink is leaking', 'no'] });
      assert.equal(result.outcome, 'consent-declined');
      const events = (await t.other.query('SELECT event FROM consent_ledger WHERE call_id = $1', [result.callId])).rows.map((r) => r.event);
      assert.deepEqual(events, ['declined']);
      assert.equal(Number((await t.other.query('SELECT count(*) AS n FROM outbound_messages')).rows[0].n), 0);
      assert.equal(t.seenAtEnqueue.length, 0);
    } finally {
      await t.db.close();
    }
  });

  test('implied mode: a STOP stored by another node before the call keeps the caller untexted', async () => {
    const t = await pgCall(async (other) => {
      await other.query("UPDATE businesses SET consent_mode = 'implied' WHERE id = $1", [BUSINESS_ID]);
      await new PgConsentStore(other).append({
        event: 'revoked', businessId: BUSINESS_ID, did: DID, consumer: CALLER, method: 'sms-keyword', scriptVersion: null,
        scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'sms:1',
      });
    });
    try {
      const { result } = await t.run({ says: ['the lights are out'] });
      assert.equal(result.outcome, 'message-only');
      const events = (await t.other.query('SELECT event FROM consent_ledger WHERE consumer = $1 ORDER BY id', [CALLER])).rows.map((r) => r.event);
      assert.deepEqual(events, ['revoked'], 'no implied event undoes the STOP');
      assert.equal(Number((await t.other.query('SELECT count(*) AS n FROM outbound_messages')).rows[0].n), 0);
      const call = (await t.other.query('SELECT outcome, transcript FROM calls WHERE id = $1', [result.callId])).rows[0];
      assert.deepEqual([call.outcome, call.transcript], ['message-only', 'the lights are out']);
    } finally {
      await t.db.close();
    }
  });

  test('implied mode without a STOP: the implied row is committed before its one text', async () => {
    const t = await pgCall(async (other) => {
      await other.query("UPDATE businesses SET consent_mode = 'implied' WHERE id = $1", [BUSINESS_ID]);
    });
    try {
      const { result } = await t.run({ says: ['the lights are out'] });
      assert.equal(result.outcome, 'implied-texted');
      assert.deepEqual(t.seenAtEnqueue, [['implied']]);
      const texts = (await t.other.query('SELECT consent_event_id FROM outbound_messages WHERE call_id = $1', [result.callId])).rows;
      assert.deepEqual(texts.map((r) => Number(r.consent_event_id)), [result.consentEventId]);
    } finally {
      await t.db.close();
    }
  });
});
