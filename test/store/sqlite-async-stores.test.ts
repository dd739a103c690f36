/**
 * The SQLite stores behind the async ports (src/store/sqlite-async-stores.ts): the same answers as the
 * synchronous stores, a STOP's ledger append and queue cancel committed or rolled back together by
 * `atomically`, and a call made while `atomically`'s function awaits runs after it, never inside its
 * transaction.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { NewConsentEvent } from '../../src/domain/consent.ts';
import type { OutboundRequest, SendDecider } from '../../src/domain/ports/outbox.ts';
import { ConnectionTurns, inTurns, sqliteAsyncStores } from '../../src/store/sqlite-async-stores.ts';
import { SqliteMessageLog } from '../../src/store/sqlite-message-log.ts';
import { DID, openMessagingDb } from '../sms/fixtures/messaging-db.ts';
import { withTimeout } from '../support/wait-for.ts';

const C = '+15125550166';
const D = '+15125550177';
const allowAll: SendDecider = () => ({ allow: true });
/** Bounds a wait for a turn; it only names what did not happen (test/support/wait-for.ts). */
const WAIT_MS = 30_000;

function open(t: { after(fn: () => void): void }) {
  const m = openMessagingDb();
  t.after(() => m.close());
  const stores = sqliteAsyncStores(m.db, m.consent, m.outbox);
  const event = (consumer: string, e: NewConsentEvent['event']): NewConsentEvent => ({
    event: e, businessId: m.businessId, did: DID, consumer, method: e === 'revoked' ? 'sms-keyword' : 'verbal',
    scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
  });
  const text = (to: string): OutboundRequest => ({ businessId: m.businessId, from: DID, to, body: 'hello', kind: 'follow-up', callId: null, consentEventId: null });
  return { m, ...stores, event, text };
}

test('the async stores answer as the synchronous ones: append, current, enqueue, claim, pending', async (t) => {
  const { m, consent, outbox, event, text } = open(t);
  const granted = await consent.append(event(C, 'granted'));
  assert.deepEqual(m.consent.latest(m.businessId, C), granted);
  assert.equal(await consent.current(m.businessId, C), 'granted');
  const id = await outbox.enqueue(text(C));
  assert.deepEqual((await outbox.claim(10, m.clock.now(), allowAll)).map((x) => x.id), [id]);
  assert.equal(await outbox.pendingCount(), 1);
  assert.equal(await outbox.renewLeases(m.clock.now()), 0, 'one node holds a SQLite file: no lease to renew');
  assert.equal(m.db.prepare("SELECT state FROM outbound_messages WHERE id = ?").pluck().get(id), 'submitting', 'the claim stays as it was');
  await assert.rejects(consent.append({ ...event(C, 'granted'), at: -1 }), /UTC milliseconds/);
});

test('atomically commits a STOP\'s append and cancel together, and rolls both back when its function throws', async (t) => {
  const { m, consent, outbox, event, text } = open(t);
  await consent.append(event(C, 'granted'));
  await outbox.enqueue(text(C));
  await assert.rejects(
    outbox.atomically(async (tx) => {
      await tx.consent.append(event(C, 'revoked'));
      assert.equal(await tx.outbox.cancelQueued(m.businessId, C, 'STOP', m.clock.now()), 1);
      throw new Error('boom');
    }),
    /boom/,
  );
  assert.equal(await consent.current(m.businessId, C), 'granted');
  assert.equal(await outbox.pendingCount(), 1);
  await outbox.atomically(async (tx) => {
    await tx.consent.append(event(C, 'revoked'));
    await tx.outbox.cancelQueued(m.businessId, C, 'STOP', m.clock.now());
  });
  assert.equal(await consent.current(m.businessId, C), 'revoked');
  assert.equal(await outbox.pendingCount(), 0);
});

test('a call made while atomically\'s function awaits waits its turn, and is not rolled back with that transaction', async (t) => {
  const { m, consent, outbox, event } = open(t);
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  let inside = (): void => {};
  const entered = new Promise<void>((r) => (inside = r));
  const stop = outbox.atomically(async (tx) => {
    await tx.consent.append(event(C, 'revoked'));
    inside();
    await held;
    throw new Error('rolled back');
  });
  await withTimeout(entered, WAIT_MS, 'atomically to start its function');
  let done = false;
  const other = consent.append(event(D, 'granted')).then((e) => ((done = true), e));
  // Several turns of the event loop: a call that did not wait would have run (and resolved) by now.
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  assert.equal(done, false, 'the other append waits for the transaction to end');
  release();
  await assert.rejects(stop, /rolled back/);
  const appended = await withTimeout(other, WAIT_MS, 'the waiting append to run after the rollback');
  assert.equal(m.consent.current(m.businessId, D), 'granted', 'the waiting append is stored');
  assert.equal(m.consent.current(m.businessId, C), 'none', 'the rolled-back STOP is not');
  assert.equal(appended.id, 1, 'it chains from the ledger as it is after the rollback');
});

test('a store wrapped by inTurns on the same turns also waits for atomically, and its write outlives the rollback', async (t) => {
  const m = openMessagingDb();
  t.after(() => m.close());
  const turns = new ConnectionTurns();
  const { consent, outbox } = sqliteAsyncStores(m.db, m.consent, m.outbox, turns);
  const messages = inTurns(new SqliteMessageLog(m.db), turns);
  let release = (): void => {};
  const held = new Promise<void>((r) => (release = r));
  let inside = (): void => {};
  const entered = new Promise<void>((r) => (inside = r));
  const stop = outbox.atomically(async (tx) => {
    await tx.outbox.cancelQueued(m.businessId, C, 'STOP', m.clock.now());
    inside();
    await held;
    throw new Error('rolled back');
  });
  await withTimeout(entered, WAIT_MS, 'atomically to start its function');
  let saved = false;
  const save = messages
    .saveInbound({ businessId: m.businessId, recipient: DID, sender: C, body: 'hello', keyword: null, callId: null, receivedAt: m.clock.now() })
    .then((id) => ((saved = true), id));
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  assert.equal(saved, false, 'the wrapped store waits for the transaction to end');
  release();
  await assert.rejects(stop, /rolled back/);
  const id = await withTimeout(save, WAIT_MS, 'the waiting save to run after the rollback');
  assert.equal(typeof id, 'number');
  assert.equal((m.db.prepare('SELECT count(*) AS n FROM inbound_messages').get() as { n: number }).n, 1, 'the inbound text is stored');
  assert.equal(await consent.current(m.businessId, C), 'none');
});
