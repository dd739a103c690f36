/**
 * Lease renewal on PostgreSQL (src/store/postgres/README.md, "The outbox"): a text this node holds longer
 * than the lease (here: an SMSC that never answers its submit) stays this node's while its dispatcher
 * renews the lease every third of it; once the node stops renewing (killed: its timers never fire again)
 * another node takes the text back when the lease ends. Time is a manual clock
 * shared by both nodes, so no test waits out a lease. On a throwaway cluster (test/store/postgres/pg-test-db.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { OutboxDispatcher } from '../../../src/app/messaging/outbox-dispatcher.ts';
import { sendDecider } from '../../../src/app/messaging/send-decider.ts';
import type { Clock } from '../../../src/domain/ports/clock.ts';
import type { SmsGateway, SubmitResult } from '../../../src/domain/ports/sms-gateway.ts';
import { PgConsentStore } from '../../../src/store/postgres/pg-consent-store.ts';
import { PgOutbox } from '../../../src/store/postgres/pg-outbox.ts';
import { RULES } from '../../sms/fixtures/messaging-db.ts';
import { waitFor, waitForAsync } from '../../support/wait-for.ts';
import { BUSINESS_ID, DID, startPgTestCluster, type PgTestCluster } from '../../store/postgres/pg-test-db.ts';

const LEASE_MS = 30_000;
const NOON_CHICAGO = Date.UTC(2026, 2, 10, 17, 0);
const CONSUMER = '+15125550177';
const decide = sendDecider(RULES);

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

/** Time both nodes read; each node's timers are its own, fired as the time is moved on, and dropped when the node is killed. */
class ManualTime {
  t = NOON_CHICAGO;
  private readonly timers = new Set<{ at: number; fn: () => void; owner: object }>();
  clock(owner: object): Clock {
    return {
      now: () => this.t,
      setTimer: (ms, fn) => {
        const timer = { at: this.t + ms, fn, owner };
        this.timers.add(timer);
        return () => void this.timers.delete(timer);
      },
    };
  }
  /** Moves the time on by `ms`, firing every timer that comes due on the way, in order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.timers].filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.timers.delete(next);
      this.t = Math.max(this.t, next.at);
      next.fn();
    }
    this.t = end;
  }
  kill(owner: object): void {
    for (const x of this.timers) if (x.owner === owner) this.timers.delete(x);
  }
}

/** An SMSC link that is up and takes submits without ever answering them: what it was given stays in flight. */
function silentSmsc(): SmsGateway & { readonly submits: number } {
  let submits = 0;
  return {
    get submits() {
      return submits;
    },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    status: () => 'up',
    onStatus: () => () => {},
    submit: () => {
      submits++;
      return new Promise<SubmitResult>(() => {});
    },
    onInbound: () => {},
    onReceipt: () => {},
  };
}

describe('lease renewal on PostgreSQL', () => {
  test('a text held past its lease stays with the node that renews it; once that node is killed, another takes it when the lease ends', async (t) => {
    const db = await pgc.freshDb();
    t.after(() => db.close());
    const time = new ManualTime();
    const setup = db.pool(1);
    await new PgConsentStore(setup, time.clock({})).append({
      event: 'granted', businessId: BUSINESS_ID, did: DID, consumer: CONSUMER, method: 'verbal', scriptVersion: null, scriptText: null,
      transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
    });
    const b = new PgOutbox(db.pool(2), { nodeId: 'node-b', leaseMs: LEASE_MS, clock: time.clock({}) });
    const id = await b.enqueue({ businessId: BUSINESS_ID, from: DID, to: CONSUMER, body: 'your visit is booked', kind: 'follow-up', callId: null, consentEventId: null });

    const nodeA = {};
    const poolA = db.pool(4);
    const clockA = time.clock(nodeA);
    const smsc = silentSmsc();
    const dispatcher = new OutboxDispatcher(
      { window: 10, leaseMs: LEASE_MS, pollMs: 60 * LEASE_MS },
      { outbox: new PgOutbox(poolA, { nodeId: 'node-a', leaseMs: LEASE_MS, clock: clockA }), rules: RULES, gateway: smsc, clock: clockA },
    );
    void dispatcher.start();
    await waitFor(() => smsc.submits === 1, { what: "node A's submit of the text", timeoutMs: 15_000 });
    const row = async () =>
      (await setup.query<{ claimed_by: string | null; lease_until: number | null; state: string }>('SELECT claimed_by, lease_until, state FROM outbound_messages WHERE id = $1', [id])).rows[0]!;
    assert.deepEqual(await row(), { claimed_by: 'node-a', lease_until: NOON_CHICAGO + LEASE_MS, state: 'submitting' });

    // Three leases long, a third of a lease at a time: each step's renewal lands before the time moves on.
    for (let step = 1; step <= 9; step++) {
      time.advance(LEASE_MS / 3);
      const want = time.t + LEASE_MS;
      await waitForAsync(async () => (await row()).lease_until === want, { what: `node A's renewal at step ${step} (lease until ${want})`, timeoutMs: 15_000 });
      assert.deepEqual(await b.claim(10, time.t, decide), [], `step ${step}: node B takes nothing while node A renews`);
    }
    assert.equal(time.t - NOON_CHICAGO, 3 * LEASE_MS, 'held three times the original lease');
    assert.equal((await row()).claimed_by, 'node-a');

    // Killed: node A's timers never fire again (its pool is left to the database's close: a dead node's
    // connections hold no claim, only the lease does).
    time.kill(nodeA);
    time.advance(LEASE_MS - 1);
    assert.deepEqual(await b.claim(10, time.t, decide), [], 'not before the last renewed lease ends');
    time.advance(1);
    const taken = await b.claim(10, time.t, decide);
    assert.deepEqual(
      taken.map((m) => m.id),
      [id],
      'node B takes the text back once the lease node A stopped renewing has ended',
    );
    assert.equal((await row()).claimed_by, 'node-b');
  });

  test("a node's start recovery commits before its first claim: a slow recovery cannot put back a text claimed after it", async (t) => {
    // PostgreSQL runs the recovery and the claim as two transactions on the pool; were the claim let out first, the
    // recovery would put the fresh claim back to queued (seen in a loaded CI run) and another node would send it again.
    const db = await pgc.freshDb();
    t.after(() => db.close());
    const time = new ManualTime();
    await new PgConsentStore(db.pool(1), time.clock({})).append({
      event: 'granted', businessId: BUSINESS_ID, did: DID, consumer: CONSUMER, method: 'verbal', scriptVersion: null, scriptText: null,
      transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
    });
    const node = {};
    const outbox = new PgOutbox(db.pool(4), { nodeId: 'node-a', leaseMs: LEASE_MS, clock: time.clock(node) });
    const id = await outbox.enqueue({ businessId: BUSINESS_ID, from: DID, to: CONSUMER, body: 'your visit is booked', kind: 'follow-up', callId: null, consentEventId: null });
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let recovered = false;
    // the start's recovery held until released (a slow connection, a loaded machine)
    const slowRecovery = new Proxy(outbox, {
      get(target, key, receiver) {
        if (key === 'recoverInFlight') {
          return async (now: number) => {
            await held;
            const n = await target.recoverInFlight(now);
            recovered = true;
            return n;
          };
        }
        const v = Reflect.get(target, key, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const smsc = silentSmsc();
    const dispatcher = new OutboxDispatcher(
      { window: 10, leaseMs: LEASE_MS, pollMs: 60 * LEASE_MS },
      { outbox: slowRecovery, rules: RULES, gateway: smsc, clock: time.clock(node) },
    );
    const started = dispatcher.start();
    dispatcher.kick();
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(smsc.submits, 0, 'no claim and no submit while the start recovery is not committed');
    release();
    await started;
    assert.ok(recovered, 'the recovery ran');
    await waitFor(() => smsc.submits === 1, { what: 'the submit after the recovery', timeoutMs: 15_000 });
    const row = (await db.pool(1).query<{ claimed_by: string | null; state: string }>('SELECT claimed_by, state FROM outbound_messages WHERE id = $1', [id])).rows[0];
    assert.deepEqual(row, { claimed_by: 'node-a', state: 'submitting' }, 'the text stays claimed by the node that sent it');
    time.kill(node);
  });

  test("renewLeases renews this node's own claims only, not another node's nor one taken back from it", async (t) => {
    const db = await pgc.freshDb();
    t.after(() => db.close());
    const time = new ManualTime();
    const pool = db.pool(2);
    await new PgConsentStore(pool, time.clock({})).append({
      event: 'granted', businessId: BUSINESS_ID, did: DID, consumer: CONSUMER, method: 'verbal', scriptVersion: null, scriptText: null,
      transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
    });
    const a = new PgOutbox(pool, { nodeId: 'node-a', leaseMs: LEASE_MS, clock: time.clock({}) });
    const b = new PgOutbox(db.pool(2), { nodeId: 'node-b', leaseMs: LEASE_MS, clock: time.clock({}) });
    const text = (body: string) => ({ businessId: BUSINESS_ID, from: DID, to: CONSUMER, body, kind: 'keyword-reply' as const, callId: null, consentEventId: null });
    const first = await a.enqueue(text('one'));
    assert.equal((await a.claim(1, time.t, decide)).length, 1);
    await a.enqueue(text('two'));
    assert.equal((await b.claim(1, time.t, decide)).length, 1);
    const leases = async () => (await pool.query<{ claimed_by: string; lease_until: number }>('SELECT claimed_by, lease_until FROM outbound_messages ORDER BY id')).rows;

    time.advance(1000);
    assert.equal(await a.renewLeases(time.t), 1);
    assert.deepEqual(await leases(), [
      { claimed_by: 'node-a', lease_until: NOON_CHICAGO + 1000 + LEASE_MS },
      { claimed_by: 'node-b', lease_until: NOON_CHICAGO + LEASE_MS },
    ]);

    // A's lease ends; B's next claim puts A's text back and takes it (its own lease ends too: both come back).
    time.advance(LEASE_MS + 1);
    const retaken = await b.claim(10, time.t, decide);
    assert.ok(retaken.some((m) => m.id === first), "node B took node A's text back");
    assert.equal(await a.renewLeases(time.t), 0, 'node A no longer holds it: nothing renewed');
    assert.deepEqual((await leases()).map((r) => r.claimed_by), ['node-b', 'node-b']);
  });
});
