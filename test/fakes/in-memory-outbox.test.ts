/**
 * The fake outbox's dispatch side beyond what the DispatchOutbox suite checks (test/contract/outbox-contract.ts:
 * claim, decide, STOP, rollback): sending, receipts, long texts' parts, retries, the receipt timeout, and
 * the two requeues. Each script runs over SqliteOutbox and over InMemoryOutbox; both must give the
 * expected answers and leave every text in the same state with the same reason (read by SQL for
 * SQLite, through `rows()` for the fake), so a use case tested on the fake sees what it would on SQLite.
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import type { DispatchOutbox, MessageKind, SendDecider } from '../../src/domain/ports/outbox.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { SqliteOutbox } from '../../src/store/sqlite-outbox.ts';
import { DID, NOON_CHICAGO, openMessagingDb } from '../sms/fixtures/messaging-db.ts';
import { InMemoryBusinessDirectory, makeBusiness } from './in-memory-business-directory.ts';
import { InMemoryConsentStore } from './in-memory-consent-store.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';

const C = '+15125550166';
const T = NOON_CHICAGO;
const allow: SendDecider = () => ({ allow: true });

interface Store {
  readonly outbox: DispatchOutbox;
  readonly consent: ConsentStore;
  readonly businessId: number;
  /** The text's state and reason as stored. */
  state(id: number): { state: string; reason: string | null };
}

function sqlite(t: TestContext): Store {
  const m = openMessagingDb();
  t.after(() => m.close());
  const clock = { now: () => T };
  const read = m.db.prepare('SELECT state, state_reason AS reason FROM outbound_messages WHERE id = ?');
  return {
    outbox: new SqliteOutbox(m.db, { clock }),
    consent: new SqliteConsentStore(m.db, clock),
    businessId: m.businessId,
    state: (id) => ({ ...(read.get(id) as { state: string; reason: string | null }) }),
  };
}

function fake(): Store {
  const now = () => T;
  const consent = new InMemoryConsentStore({ now });
  const outbox = new InMemoryOutbox({ consent, businesses: new InMemoryBusinessDirectory([makeBusiness({ id: 1, dids: [DID] })]), now });
  return {
    outbox,
    consent,
    businessId: 1,
    state: (id) => {
      const r = outbox.rows().find((x) => x.id === id);
      assert.ok(r, `no text ${id} in the fake`);
      return { state: r.state, reason: r.stateReason };
    },
  };
}

function granted(s: Store): void {
  s.consent.append({
    event: 'granted', businessId: s.businessId, did: DID, consumer: C, method: 'verbal', scriptVersion: null, scriptText: null,
    transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
  });
}

function queue(s: Store, kind: MessageKind = 'follow-up', body = `a ${kind}`): number {
  return s.outbox.enqueue({ businessId: s.businessId, from: DID, to: C, body, kind, callId: null, consentEventId: null });
}

/** Runs `script` over both stores; each returns what it observed, and the two must agree. */
async function both(t: TestContext, script: (s: Store) => unknown): Promise<void> {
  const onSqlite = script(sqlite(t));
  const onFake = script(fake());
  assert.deepEqual(onFake, onSqlite, 'the fake and SQLite differ');
}

describe('InMemoryOutbox dispatch, step for step as SqliteOutbox', () => {
  test('a one-part text: receipts by its own id, in either case; an intermediate one changes nothing; an unknown id matches nothing', async (t) => {
    await both(t, (s) => {
      granted(s);
      const id = queue(s);
      assert.deepEqual(s.outbox.claim(10, T, allow).map((m) => m.id), [id]);
      s.outbox.markSubmitted(id, { messageIds: ['3E8A'], parts: 1, at: T });
      assert.equal(s.outbox.applyReceipt({ messageIds: ['3e8a'], state: 'enroute', error: null }, T), id);
      const mid = s.state(id);
      assert.equal(mid.state, 'submitted');
      assert.equal(s.outbox.applyReceipt({ messageIds: ['nope', '3e8a'], state: 'undeliverable', error: '00B' }, T + 1), id);
      assert.deepEqual(s.state(id), { state: 'undeliverable', reason: 'receipt err:00B' });
      assert.equal(s.outbox.applyReceipt({ messageIds: ['ffff'], state: 'delivered', error: null }, T + 2), null);
      assert.equal(s.outbox.pendingCount(), 0);
      return [mid, s.state(id)];
    });
  });

  test('a long text: parts accepted before a retry come back with the claim; delivered only when every part is, failed by one part', async (t) => {
    await both(t, (s) => {
      granted(s);
      const a = queue(s, 'follow-up', 'long a');
      const b = queue(s, 'follow-up', 'long b');
      assert.deepEqual(s.outbox.claim(10, T, allow).map((m) => m.id), [a, b]);
      // Part 1 of `a` accepted, then the window broke: back to the queue, due later.
      assert.deepEqual(s.outbox.recordBatch([], [], T, [{ id: a, part: 1, messageId: '100' }]), []);
      s.outbox.markRetry(a, 'window lost', T + 5_000);
      assert.equal(s.outbox.nextDueAt(), T + 5_000);
      assert.deepEqual(s.outbox.claim(10, T + 4_999, allow), []);
      const [again] = s.outbox.claim(10, T + 5_000, allow);
      assert.deepEqual(
        { id: again?.id, attempts: again?.attempts, lastReason: again?.lastReason, acceptedParts: again?.acceptedParts },
        { id: a, attempts: 2, lastReason: 'window lost', acceptedParts: [{ part: 1, messageId: '100' }] },
      );
      const matched = s.outbox.recordBatch(
        [{ id: a, messageIds: ['100', '101'], parts: 2, at: T + 6_000 }, { id: b, messageIds: ['200', '201'], parts: 2, at: T + 6_000 }],
        [{ messageIds: ['100'], state: 'delivered', error: null }, { messageIds: ['999'], state: 'delivered', error: null }],
        T + 6_000,
      );
      assert.deepEqual(matched, [a, null]);
      const half = s.state(a);
      assert.equal(half.state, 'submitted', 'one part of two delivered');
      assert.equal(s.outbox.applyReceipt({ messageIds: ['101'], state: 'delivered', error: null }, T + 7_000), a);
      assert.deepEqual(s.state(a), { state: 'delivered', reason: null });
      assert.equal(s.outbox.applyReceipt({ messageIds: ['201'], state: 'expired', error: '0FE' }, T + 7_000), b);
      assert.deepEqual(s.state(b), { state: 'expired', reason: 'receipt err:0FE' });
      return [half, s.state(a), s.state(b)];
    });
  });

  test('the receipt timeout makes a text unknown, and a late receipt still settles it; markUnsent ends a claimed text', async (t) => {
    await both(t, (s) => {
      granted(s);
      const late = queue(s);
      const stopped = queue(s);
      s.outbox.claim(10, T, allow);
      s.outbox.markSubmitted(late, { messageIds: ['AA'], parts: 1, at: T });
      s.outbox.markUnsent(stopped, 'suppressed', 'STOP committed after the claim', T);
      assert.equal(s.outbox.markReceiptsOverdue(T, 'no receipt', T + 1), 0, 'submitted at the cutoff: not before it');
      assert.equal(s.outbox.markReceiptsOverdue(T + 1, 'no receipt', T + 2), 1);
      const unknown = s.state(late);
      assert.deepEqual(unknown, { state: 'unknown', reason: 'no receipt' });
      assert.equal(s.outbox.applyReceipt({ messageIds: ['aa'], state: 'delivered', error: null }, T + 3), late);
      assert.deepEqual(s.state(late), { state: 'delivered', reason: null });
      assert.deepEqual(s.state(stopped), { state: 'suppressed', reason: 'STOP committed after the claim' });
      s.outbox.markRetry(stopped, 'too late', T);
      assert.equal(s.state(stopped).state, 'suppressed', 'a final text is not retried');
      return [unknown, s.state(late), s.state(stopped)];
    });
  });

  test('requeueClaimsExcept keeps what the sender holds; recoverInFlight requeues every claimed text, due at once', async (t) => {
    await both(t, (s) => {
      granted(s);
      const ids = [queue(s), queue(s, 'keyword-reply'), queue(s, 'staff')];
      assert.deepEqual(s.outbox.claim(10, T, allow).map((m) => m.id).sort((x, y) => x - y), ids);
      assert.equal(s.outbox.requeueClaimsExcept(T + 1, [ids[1]!]), 2);
      const requeued = s.state(ids[0]!);
      assert.deepEqual(requeued, { state: 'queued', reason: 'claimed while the outbox writer failed: not sent' });
      assert.equal(s.state(ids[1]!).state, 'submitting');
      assert.equal(s.outbox.pendingCount(), 3);
      assert.equal(s.outbox.recoverInFlight(T + 2), 1);
      assert.deepEqual(s.state(ids[1]!), { state: 'queued', reason: 'in flight at a restart: may be sent twice' });
      assert.equal(s.outbox.nextDueAt(), T + 1);
      const claimed = s.outbox.claim(10, T + 2, allow);
      assert.deepEqual(claimed.map((m) => [m.id, m.attempts]), [[ids[2], 2], [ids[1], 2], [ids[0], 2]], 'urgent first (the staff alert was due first), then the rest');
      return [requeued, claimed.map((m) => m.lastReason)];
    });
  });

  test('mayStillSend reads the ledger now: a STOP after the claim refuses a consumer text, not a keyword reply', async (t) => {
    await both(t, (s) => {
      granted(s);
      queue(s);
      const [m] = s.outbox.claim(10, T, allow);
      assert.ok(m);
      const before = s.outbox.mayStillSend(m);
      s.consent.append({
        event: 'revoked', businessId: s.businessId, did: DID, consumer: C, method: 'sms-keyword', scriptVersion: null, scriptText: null,
        transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
      });
      assert.equal(before, true);
      assert.equal(s.outbox.mayStillSend(m), false);
      assert.equal(s.outbox.mayStillSend({ ...m, kind: 'keyword-reply' }), true);
      return before;
    });
  });
});
