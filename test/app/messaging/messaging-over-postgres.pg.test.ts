/**
 * The inbound handler and the dispatcher over the PostgreSQL stores (`pgServeStores`, as `serve` builds them on
 * `database.kind: postgres`), on a throwaway cluster (test/store/postgres/pg-test-db.ts: a fresh migrated
 * database per test holding business 1 with its DID). The same behaviour as on SQLite: a STOP appends
 * `revoked`, cancels the queued texts and queues the one confirmation, and those three commit together
 * or not at all; two texts from one number are applied in the order they came; and the dispatcher, writing
 * through `asyncOutboxWriter` (PgOutbox's transactions), sends the queue and after a STOP only the confirmation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type pg from 'pg';
import { InboundMessageHandler } from '../../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../../src/app/messaging/outbox-dispatcher.ts';
import { sendDecider } from '../../../src/app/messaging/send-decider.ts';
import { pgServeStores, type ServeStores } from '../../../src/compose/serve-stores.ts';
import type { AsyncDispatchOutbox } from '../../../src/domain/ports/async-outbox.ts';
import { failingEnqueueOutbox } from '../../support/failing-enqueue-outbox.ts';
import type { AsyncBusinessDirectory } from '../../../src/domain/ports/async-stores.ts';
import { RULES, TestClock } from '../../sms/fixtures/messaging-db.ts';
import { smppPair } from '../../sms/fixtures/smpp-pair.ts';
import { DEFAULT_WAIT_MS, onceWithin, WaitTimeoutError } from '../../support/wait-for.ts';
import { BUSINESS_ID, DID, startPgTestCluster, type PgTestCluster } from '../../store/postgres/pg-test-db.ts';

const CONSUMER = '+15125550177';

let pgc: PgTestCluster;
before(async () => {
  pgc = await startPgTestCluster();
});
after(async () => {
  await pgc?.stop();
});

interface Node {
  readonly db: Awaited<ReturnType<PgTestCluster['freshDb']>>;
  readonly pool: pg.Pool;
  readonly stores: ServeStores;
  readonly clock: TestClock;
  states(): Promise<Array<{ id: number; kind: string; state: string }>>;
  close(): Promise<void>;
}

async function node(): Promise<Node> {
  const db = await pgc.freshDb();
  const pool = db.pool(4);
  const clock = new TestClock();
  const stores = pgServeStores(pool, { clock, nodeId: 'inbound-test' });
  await stores.consent.append({
    event: 'granted',
    businessId: BUSINESS_ID,
    did: DID,
    consumer: CONSUMER,
    method: 'verbal',
    scriptVersion: null,
    scriptText: null,
    transcript: null,
    audioPath: null,
    audioSha256: null,
    callId: null,
    source: 'test',
  });
  for (const body of ['one', 'two', 'three']) {
    await stores.outbox.enqueue({ businessId: BUSINESS_ID, from: DID, to: CONSUMER, body, kind: 'follow-up', callId: null, consentEventId: null });
  }
  const states = async () =>
    (await pool.query<{ id: string; kind: string; state: string }>('SELECT id, kind, state FROM outbound_messages ORDER BY id')).rows.map((r) => ({
      id: Number(r.id),
      kind: r.kind,
      state: r.state,
    }));
  return { db, pool, stores, clock, states, close: () => db.close() };
}

function handler(n: Node, outbox: AsyncDispatchOutbox = n.stores.outbox, businesses: AsyncBusinessDirectory = n.stores.businesses): InboundMessageHandler {
  return new InboundMessageHandler({}, { outbox, businesses, clock: n.clock });
}

/** The business directory, except that its first `byDid` answers `ms` later: the first text's handling falls behind the second's. */
function slowFirstLookup(real: AsyncBusinessDirectory, ms: number): AsyncBusinessDirectory {
  let first = true;
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key !== 'byDid') return Reflect.get(target, key, receiver) as unknown;
      return async (did: string) => {
        if (first) {
          first = false;
          await new Promise((r) => setTimeout(r, ms));
        }
        return target.byDid(did);
      };
    },
  });
}

const inboundRows = async (n: Node): Promise<number> => (await n.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM inbound_messages')).rows[0]!.n;

const sms = (text: string) => ({ from: CONSUMER.slice(1), to: DID.slice(1), text, receivedAt: 0 });

describe('inbound texts and the dispatcher over PostgreSQL (pgServeStores)', () => {
  test('STOP: revoked in the ledger, queued texts cancelled, only the confirmation left to claim', async (t) => {
    const n = await node();
    t.after(() => n.close());
    assert.equal(await handler(n).handle(sms('STOP')), 'revoked');

    const latest = await n.stores.consent.latest(BUSINESS_ID, CONSUMER);
    assert.equal(latest?.event, 'revoked');
    assert.equal(latest?.method, 'sms-keyword');
    const inbound = (await n.pool.query<{ id: string }>('SELECT id FROM inbound_messages')).rows.map((r) => Number(r.id));
    assert.equal(inbound.length, 1, 'the STOP is stored once');
    assert.equal(latest?.source, `sms:inbound:${inbound[0]}:STOP`, 'the ledger event names the stored text');

    const rows = await n.states();
    assert.deepEqual(
      rows.map((r) => [r.kind, r.state]),
      [
        ['follow-up', 'cancelled'],
        ['follow-up', 'cancelled'],
        ['follow-up', 'cancelled'],
        ['keyword-reply', 'queued'],
      ],
    );
    const confirmation = await n.pool.query<{ consent_event_id: string }>("SELECT consent_event_id FROM outbound_messages WHERE kind = 'keyword-reply'");
    assert.equal(Number(confirmation.rows[0]!.consent_event_id), latest?.id, 'the confirmation points at the revocation');
    const claimed = await n.stores.outbox.claim(10, n.clock.now(), sendDecider(RULES));
    assert.deepEqual(claimed.map((c) => c.kind), ['keyword-reply'], 'nothing but the confirmation can be claimed after the STOP');
  });

  test('STOP whose confirmation cannot be queued: nothing of it commits (no revoked, nothing cancelled); the redelivered STOP then applies', async (t) => {
    const n = await node();
    t.after(() => n.close());
    await assert.rejects(handler(n, failingEnqueueOutbox(n.stores.outbox)).handle(sms('STOP')), /injected/);
    assert.equal(await n.stores.consent.current(BUSINESS_ID, CONSUMER), 'granted', 'the revocation was rolled back with the failed enqueue');
    assert.equal(await inboundRows(n), 0, 'the text was rolled back with it: no stored row claims a STOP that was not applied');
    assert.deepEqual(
      (await n.states()).map((r) => r.state),
      ['queued', 'queued', 'queued'],
      'the cancellation was rolled back with it',
    );
    // The gateway answers the SMSC with an error, so it delivers the STOP again.
    assert.equal(await handler(n).handle(sms('STOP')), 'revoked');
    assert.equal(await n.stores.consent.current(BUSINESS_ID, CONSUMER), 'revoked');
    assert.deepEqual((await n.states()).map((r) => r.state), ['cancelled', 'cancelled', 'cancelled', 'queued']);
    assert.equal(await inboundRows(n), 1, 'stored once, with its application');
  });

  test('the same STOP handed to two nodes at once (the SMSC resending on another bind): stored once, revoked once, one confirmation', async (t) => {
    const n = await node();
    const otherPool = n.db.pool(4);
    t.after(() => n.close());
    const other = pgServeStores(otherPool, { clock: n.clock, nodeId: 'inbound-test-2' });
    const outcomes = await Promise.all([handler(n).handle(sms('STOP')), handler(n, other.outbox, other.businesses).handle(sms('STOP'))]);
    assert.deepEqual([...outcomes].sort(), ['resent', 'revoked']);
    assert.equal(await inboundRows(n), 1);
    assert.deepEqual((await n.stores.consent.history(CONSUMER, BUSINESS_ID)).map((e) => e.event), ['granted', 'revoked']);
    assert.deepEqual((await n.states()).map((r) => `${r.kind} ${r.state}`), ['follow-up cancelled', 'follow-up cancelled', 'follow-up cancelled', 'keyword-reply queued']);
    // And sent again later, one node answers it as a resend too.
    assert.equal(await handler(n, other.outbox, other.businesses).handle(sms('STOP')), 'resent');
    assert.equal(await inboundRows(n), 1);
  });

  test('STOP then START from one number, handed over together: applied in that order, consent ends granted', async (t) => {
    const n = await node();
    t.after(() => n.close());
    // The STOP's lookup is slow: were texts not applied in arrival order, the START would be applied
    // first (consent still granted: nothing to reinstate) and the STOP after it, ending revoked.
    const h = handler(n, n.stores.outbox, slowFirstLookup(n.stores.businesses, 200));
    const outcomes = await Promise.all([h.handle(sms('STOP')), h.handle(sms('START'))]);
    assert.deepEqual(outcomes, ['revoked', 'reinstated']);
    assert.deepEqual(
      (await n.stores.consent.history(CONSUMER, BUSINESS_ID)).map((e) => e.event),
      ['granted', 'revoked', 'reinstated'],
    );
    assert.equal(await n.stores.consent.current(BUSINESS_ID, CONSUMER), 'granted');
    await h.settled();
  });

  test('the dispatcher over PostgreSQL (asyncOutboxWriter): sends and records receipts; after a STOP only the confirmation goes', async (t) => {
    const n = await node();
    const p = await smppPair({ sim: { receipts: 'text' }, gw: { window: 1, tps: 50 } });
    const dispatcher = new OutboxDispatcher({ window: 1, retryBaseMs: 10, retryMaxMs: 50, pollMs: 20 }, { outbox: n.stores.outbox, rules: RULES, gateway: p.gw, clock: n.clock });
    const inbound = new InboundMessageHandler({}, { outbox: n.stores.outbox, businesses: n.stores.businesses, clock: n.clock, onEnqueued: () => dispatcher.kick() });
    p.gw.onInbound(async (m) => {
      await inbound.handle(m);
    });
    t.after(async () => {
      await dispatcher.stop();
      await p.close();
      await n.close();
    });
    for (let i = 0; i < 27; i++) {
      await n.stores.outbox.enqueue({ businessId: BUSINESS_ID, from: DID, to: CONSUMER, body: `update ${i}`, kind: 'first-reply', callId: null, consentEventId: null });
    }
    dispatcher.start();
    await onceWithin(p.sim, 'submit', DEFAULT_WAIT_MS, 'the first submit_sm at the SMSC');
    // Snapshot before the STOP: its confirmation can reach the SMSC before the deliver_sm's answer does.
    const before = p.sim.submits.length;
    assert.equal(await p.sim.deliver({ from: CONSUMER.slice(1), to: DID.slice(1), text: 'Stop' }), 0, 'the STOP is answered ESME_ROK once committed');
    await dispatcher.drain();
    const after = p.sim.submits.slice(before).map((x) => x.text);
    // At most the one text in flight when the STOP came (window 1), then the confirmation.
    assert.ok(after.filter((x) => x.startsWith('update')).length <= 1, JSON.stringify(after));
    assert.match(after.at(-1) ?? '', /no more messages/);
    assert.equal(await n.stores.consent.current(BUSINESS_ID, CONSUMER), 'revoked');
    const sent = p.sim.submits.length;
    // Every text the SMSC took is recorded, its receipt applied: `delivered`; none is left in doubt.
    const deadline = performance.now() + DEFAULT_WAIT_MS;
    for (;;) {
      const rows = await n.states();
      const delivered = rows.filter((r) => r.state === 'delivered').length;
      if (delivered === sent && rows.every((r) => r.state !== 'submitting' && r.state !== 'queued')) break;
      if (performance.now() >= deadline) throw new WaitTimeoutError(DEFAULT_WAIT_MS, `${sent} texts delivered (states: ${JSON.stringify(rows.map((r) => r.state))})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
});
