/**
 * The shared outbox on PostgreSQL (src/store/postgres/pg-outbox.ts) on a throwaway cluster, for what
 * the DispatchOutbox contract (test/contract/outbox.pg.contract.test.ts runs it here) does not cover:
 * receipts by SMSC id, and what several nodes add: a STOP committed on one connection is what every
 * other connection's claim sees at once, claims skip rows another claim holds instead of waiting, a
 * claim is a lease that returns to the queue when it ends and is never taken twice while it lasts,
 * and the frequency cap holds across nodes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConsentEventType } from '../../../src/domain/consent.ts';
import type { AsyncConsentStore } from '../../../src/domain/ports/async-consent-ledger.ts';
import type { MessageKind, OutboundRequest, SendDecider, SendDecision, SendFacts } from '../../../src/domain/ports/outbox.ts';
import { PgConsentStore } from '../../../src/store/postgres/pg-consent-store.ts';
import { PgOutbox } from '../../../src/store/postgres/pg-outbox.ts';
import { withTimeout } from '../../support/wait-for.ts';
import { BUSINESS_ID, DID, startPgTestCluster, type PgTestCluster, type PgTestDb } from './pg-test-db.ts';

const NOW = Date.UTC(2026, 2, 10, 17, 0, 0);
const C = '+15125550166';
const D = '+15125550177';
const LEASE_MS = 60_000;
/** Bounds a wait on another connection; it only names what did not happen (test/support/wait-for.ts). */
const WAIT_MS = 30_000;

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

interface Node {
  readonly outbox: PgOutbox;
  readonly consent: PgConsentStore;
}

async function open(t: { after(fn: () => Promise<void>): void }): Promise<{ db: PgTestDb; node(name: string): Node; a: Node }> {
  const db = await pgc.freshDb();
  t.after(() => db.close());
  const clock = { now: () => NOW };
  const node = (name: string): Node => {
    const pool = db.pool(4);
    return { outbox: new PgOutbox(pool, { nodeId: name, leaseMs: LEASE_MS, clock }), consent: new PgConsentStore(pool, clock) };
  };
  return { db, node, a: node('node-a') };
}

const text = (to: string, kind: MessageKind, body = `a ${kind}`): OutboundRequest => ({ businessId: BUSINESS_ID, from: DID, to, body, kind, callId: null, consentEventId: null });

async function grant(consent: AsyncConsentStore, to: string, event: ConsentEventType = 'granted'): Promise<void> {
  await consent.append({
    event, businessId: BUSINESS_ID, did: DID, consumer: to, method: event === 'revoked' ? 'sms-keyword' : 'verbal',
    scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
  });
}

function recording(verdict: (f: SendFacts) => SendDecision = () => ({ allow: true })): SendDecider & { asked: SendFacts[] } {
  const asked: SendFacts[] = [];
  return Object.assign((f: SendFacts) => (asked.push(f), verdict(f)), { asked });
}
const consentRule = recording((f) => (f.consent === 'granted' || f.consent === 'implied' ? { allow: true } : { allow: false, rule: 'consent', reason: `consent is ${f.consent}` }));
const allowAll: SendDecider = () => ({ allow: true });

/** A promise and its resolver: lets a test hold a transaction open while another connection acts. */
function gate(): { promise: Promise<void>; open(): void } {
  let open = (): void => {};
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

async function stateOf(db: PgTestDb, id: number): Promise<{ state: string; claimed_by: string | null; attempts: number }> {
  const r = await db.pool(1).query<{ state: string; claimed_by: string | null; attempts: number }>('SELECT state, claimed_by, attempts FROM outbound_messages WHERE id = $1', [id]);
  return r.rows[0]!;
}

describe('PgOutbox: receipts', () => {
  test('receipts settle texts by SMSC id in either case; a long text settles when all its parts have', async (t) => {
    const { a, db } = await open(t);
    await grant(a.consent, C);
    const one = await a.outbox.enqueue(text(C, 'follow-up'));
    const long = await a.outbox.enqueue(text(C, 'follow-up', 'x'.repeat(300)));
    assert.equal((await a.outbox.claim(10, NOW, allowAll)).length, 2);
    await a.outbox.recordBatch(
      [
        { id: one, messageIds: ['ABC1'], parts: 1, at: NOW },
        { id: long, messageIds: ['p1', 'p2'], parts: 2, at: NOW },
      ],
      [],
      NOW,
    );
    assert.deepEqual(await a.outbox.recordBatch([], [{ messageIds: ['abc1'], state: 'delivered', error: null }, { messageIds: ['P1'], state: 'delivered', error: null }], NOW), [one, long]);
    assert.equal((await stateOf(db, one)).state, 'delivered');
    assert.equal((await stateOf(db, long)).state, 'submitted', 'one part of two delivered');
    assert.equal(await a.outbox.applyReceipt({ messageIds: ['p2'], state: 'undeliverable', error: '00B' }, NOW), long);
    assert.equal((await stateOf(db, long)).state, 'undeliverable');
  });
});

describe('PgOutbox: several nodes on one database', () => {
  test('a STOP committed on node A makes the number\'s queued texts unclaimable from node B at once', async (t) => {
    const { node } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    await grant(a.consent, C);
    await grant(a.consent, D);
    const queued = [];
    for (let i = 0; i < 5; i++) queued.push(await b.outbox.enqueue(text(C, 'follow-up', `text ${i}`)));
    const otherNumber = await b.outbox.enqueue(text(D, 'follow-up'));
    // STOP with its cancel, as the inbound handler writes it: on A's connection, committed.
    await a.outbox.atomically(async (tx) => {
      await grant(tx.consent, C, 'revoked');
      await tx.outbox.cancelQueued(BUSINESS_ID, C, 'STOP', NOW);
    });
    const claimed = await b.outbox.claim(10, NOW, allowAll);
    assert.deepEqual(claimed.map((m) => m.id), [otherNumber], 'B claims none of the stopped number\'s texts, even with a decide that allows all');
    assert.equal(await b.outbox.mayStillSend({ businessId: BUSINESS_ID, to: C, kind: 'follow-up' }), false);
  });

  test('a STOP committed on node A alone (no cancel) is what node B\'s claim decides on', async (t) => {
    const { node } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    await grant(b.consent, C);
    const id = await b.outbox.enqueue(text(C, 'follow-up'));
    await grant(a.consent, C, 'revoked');
    const decide = recording(consentRule);
    assert.deepEqual(await b.outbox.claim(10, NOW, decide), []);
    assert.equal(decide.asked.at(-1)?.consent, 'revoked');
    assert.equal((await b.outbox.preflight({ businessId: BUSINESS_ID, to: C, kind: 'follow-up' }, NOW, consentRule)).allow, false);
    assert.equal(await b.outbox.pendingCount(), 0, `text ${id} was refused, not left queued`);
  });

  test('a claim in progress on A does not block B: B skips the rows A holds and takes the others', async (t) => {
    const { node, db } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    const ids = [];
    // Keyword replies: not capped, so no pair lock; what keeps B off A's rows is SKIP LOCKED alone.
    for (let i = 0; i < 6; i++) ids.push(await a.outbox.enqueue(text(C, 'keyword-reply', `reply ${i}`)));
    const hold = gate();
    const inside = gate();
    let aClaimed: number[] = [];
    const aTx = a.outbox.atomically(async (tx) => {
      aClaimed = (await tx.outbox.claim(3, NOW, allowAll)).map((m) => m.id);
      inside.open();
      await hold.promise;
    });
    try {
      await withTimeout(inside.promise, WAIT_MS, 'node A to claim inside its transaction');
      const bClaimed = (await withTimeout(b.outbox.claim(10, NOW, allowAll), WAIT_MS, 'node B\'s claim to return while A holds its rows (SKIP LOCKED)')).map((m) => m.id);
      assert.deepEqual(aClaimed, ids.slice(0, 3));
      assert.deepEqual(bClaimed, ids.slice(3), 'B takes the rows A does not hold, without waiting for A');
    } finally {
      hold.open();
      await aTx;
    }
    for (const id of aClaimed) assert.equal((await stateOf(db, id)).claimed_by, 'node-a');
    assert.deepEqual(await b.outbox.claim(10, NOW, allowAll), [], 'nothing left: A\'s claim committed');
  });

  test('no text is claimed twice while leases live: two nodes draining 120 texts concurrently', async (t) => {
    const { node } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    const ids = new Set<number>();
    // Keyword replies: not capped, so the drain is about the queue alone.
    for (let i = 0; i < 120; i++) ids.add(await a.outbox.enqueue(text(`+1512555${String(2000 + (i % 40))}`, 'keyword-reply', `reply ${i}`)));
    const drain = async (n: Node): Promise<number[]> => {
      const got: number[] = [];
      for (let round = 0; round < 200; round++) {
        const c = await n.outbox.claim(7, NOW, allowAll);
        if (c.length === 0 && (await n.outbox.nextDueAt()) === null) break;
        got.push(...c.map((m) => m.id));
      }
      return got;
    };
    const [ga, gb] = await withTimeout(Promise.all([drain(a), drain(b)]), WAIT_MS * 2, 'two nodes to drain the queue');
    const all = [...ga, ...gb];
    assert.equal(all.length, new Set(all).size, 'no id claimed twice');
    assert.deepEqual(new Set(all), ids, 'every text claimed');
    assert.ok(ga.length > 0 && gb.length > 0, `both nodes claimed (A ${ga.length}, B ${gb.length})`);
  });

  test('a lease that ends returns the texts to the queue; the old holder\'s marks no longer count', async (t) => {
    const { node, db } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    await grant(a.consent, C);
    await grant(a.consent, D);
    const toC = await a.outbox.enqueue(text(C, 'follow-up'));
    const toD = await a.outbox.enqueue(text(D, 'follow-up'));
    assert.equal((await a.outbox.claim(10, NOW, allowAll)).length, 2);
    // A "dies" here. While its lease lasts, nobody takes the texts.
    assert.deepEqual(await b.outbox.claim(10, NOW + LEASE_MS - 1, allowAll), []);
    assert.equal(await b.outbox.pendingCount(), 2);
    // A STOP meanwhile: the returned text is judged again, and refused.
    await grant(b.consent, D, 'revoked');
    const retaken = await b.outbox.claim(10, NOW + LEASE_MS, consentRule);
    assert.deepEqual(retaken.map((m) => m.id), [toC]);
    assert.equal(retaken[0]?.attempts, 2);
    assert.match(retaken[0]?.lastReason ?? '', /^lease of node-a ended/);
    assert.equal((await stateOf(db, toD)).state, 'refused');
    // A comes back and reports its old attempt: it is no longer A's claim, so nothing changes.
    await a.outbox.markSubmitted(toC, { messageIds: ['late-a'], parts: 1, at: NOW + LEASE_MS + 1 });
    await a.outbox.markRetry(toC, 'late', NOW);
    assert.deepEqual(await stateOf(db, toC), { state: 'submitting', claimed_by: 'node-b', attempts: 2 });
    await b.outbox.markSubmitted(toC, { messageIds: ['b-1'], parts: 1, at: NOW + LEASE_MS + 2 });
    assert.equal((await stateOf(db, toC)).state, 'submitted');
  });

  test('recoverInFlight after a restart returns only this node\'s own claims', async (t) => {
    const { node, db } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    const x = await a.outbox.enqueue(text(C, 'keyword-reply'));
    const y = await a.outbox.enqueue(text(D, 'keyword-reply'));
    assert.deepEqual((await a.outbox.claim(1, NOW, allowAll)).map((m) => m.id), [x]);
    assert.deepEqual((await b.outbox.claim(1, NOW, allowAll)).map((m) => m.id), [y]);
    const aAgain = node('node-a'); // the same node name after a restart: a new pool, a new process
    assert.equal(await aAgain.outbox.recoverInFlight(NOW), 1);
    assert.equal((await stateOf(db, x)).state, 'queued');
    assert.deepEqual(await stateOf(db, y), { state: 'submitting', claimed_by: 'node-b', attempts: 1 });
  });

  test('the frequency cap holds across nodes: B cannot claim for a pair whose cap A is judging, and sees A\'s text once A commits', async (t) => {
    const { node } = await open(t);
    const a = node('node-a');
    const b = node('node-b');
    await grant(a.consent, C);
    await a.outbox.enqueue(text(C, 'follow-up', 'one'));
    await a.outbox.enqueue(text(C, 'follow-up', 'two'));
    const capOne: SendDecider = (f) => (f.sentLast24h < 1 ? { allow: true } : { allow: false, rule: 'frequency-cap', reason: 'one a day' });
    const hold = gate();
    const inside = gate();
    const aTx = a.outbox.atomically(async (tx) => {
      const got = await tx.outbox.claim(1, NOW, capOne);
      inside.open();
      await hold.promise;
      return got;
    });
    let bWhileA;
    try {
      await withTimeout(inside.promise, WAIT_MS, 'node A to claim inside its transaction');
      bWhileA = await withTimeout(b.outbox.claim(10, NOW, capOne), WAIT_MS, 'node B\'s claim while A holds the pair');
    } finally {
      hold.open();
    }
    const aGot = await aTx;
    assert.equal(aGot.length, 1);
    assert.deepEqual(bWhileA, [], 'the pair is left for the next round, not judged on a count that misses A\'s claim');
    const bAfter = recording(capOne);
    assert.deepEqual(await b.outbox.claim(10, NOW, bAfter), []);
    assert.equal(bAfter.asked[0]?.sentLast24h, 1, 'A\'s committed claim counts');
  });
});

describe('a lost claim answer in a running node', () => {
  test('requeueClaimsExcept returns this node\'s claims other than those in flight, and never another node\'s', async (t) => {
    const { node, a } = await open(t);
    const b = node('node-b');
    for (const to of [C, D]) await grant(a.consent, to);
    const ids = [await a.outbox.enqueue(text(C, 'follow-up')), await a.outbox.enqueue(text(D, 'follow-up')), await a.outbox.enqueue(text(D, 'follow-up', 'another'))];
    const allow: SendDecider = () => ({ allow: true });
    const mine = await a.outbox.claim(2, NOW, allow);
    const theirs = await b.outbox.claim(10, NOW, allow);
    assert.equal(mine.length + theirs.length, ids.length);
    const [inFlight, lost] = mine;
    assert.ok(inFlight !== undefined && lost !== undefined);
    assert.equal(await a.outbox.requeueClaimsExcept(NOW, [inFlight.id]), 1);
    // Node A claims again: only the text whose answer was lost comes back; the one in flight and B's stay claimed.
    assert.deepEqual((await a.outbox.claim(10, NOW, allow)).map((m) => m.id), [lost.id]);
  });
});

describe('a STOP against a part being written to the SMSC (holdForWrite)', () => {
  test('the STOP\'s commit waits for a write already checked on another node; a check after the commit says no', async (t) => {
    const { node, a } = await open(t);
    const b = node('node-b');
    const c = node('node-c');
    await grant(a.consent, C);
    const follow = { businessId: BUSINESS_ID, to: C, kind: 'follow-up' as const };
    // Node B checked and is about to write a part: it holds the pair's write lock.
    const permit = await b.outbox.holdForWrite(follow);
    let committed = false;
    let stop: Promise<unknown> | undefined;
    try {
      assert.equal(permit.allowed, true);
      stop = a.outbox
        .atomically(async (tx) => {
          await grant(tx.consent, C, 'revoked');
          await tx.outbox.cancelQueued(BUSINESS_ID, C, 'STOP', NOW);
        })
        .then(() => (committed = true));
      // Every chance for the STOP to commit if it did not wait: round trips on a third connection, and time.
      await c.outbox.pendingCount();
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(committed, false, 'the STOP waits for the write in progress');
      assert.equal(await c.outbox.mayStillSend(follow), true, 'and is not visible yet');
    } finally {
      // Also after a failed assertion: a connection left in its transaction would hold the pool's end.
      permit.release?.();
    }
    await withTimeout(stop, WAIT_MS, 'the STOP to commit once the write was released');
    const after = await b.outbox.holdForWrite(follow);
    after.release?.();
    assert.equal(after.allowed, false, 'a check after the STOP commits withholds the part');
    // Keyword replies and staff alerts hold nothing and go out whatever the consent.
    const reply = await b.outbox.holdForWrite({ ...follow, kind: 'keyword-reply' });
    assert.equal(reply.allowed, true);
    assert.equal(reply.release, undefined);
  });
});
