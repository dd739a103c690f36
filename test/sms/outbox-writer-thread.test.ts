import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { startOutboxWriter } from '../../src/compose/outbox-writer.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../support/wait-for.ts';
import { DID, openMessagingDb, type MessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';

/**
 * The outbox writer thread (src/store/README.md, "The outbox writer thread") with the real SMPP client
 * against the SMSC simulator: texts recorded durably, a STOP committed on another connection stops every
 * part not yet written, a dead thread or a failing database loses nothing and sends nothing twice, and
 * stopping drains. Behaviour only: the speed is bench:sms's business.
 */
const consumer = (i: number): string => `+1512${String(7_000_000 + i).padStart(7, '0')}`;
const long = (i: number): string => `Acme Plumbing: update #${i}. ${'Your technician will call before arriving. '.repeat(4)}`;

async function rig(m: MessagingDb, opts: { receipts?: boolean; tps?: number } = {}) {
  const sim = new SmscSimulator({ receipts: opts.receipts === false ? 'off' : 'both' });
  const gw = new SmppGateway({ ...GW_DEFAULTS, port: await sim.listen(), tps: opts.tps ?? 10_000, registeredDelivery: opts.receipts !== false });
  const writer = startOutboxWriter(m.path, m.rules);
  const dispatcher = new OutboxDispatcher({ window: 10, pollMs: 20, retryBaseMs: 10, retryMaxMs: 50 }, { outbox: m.stores.outbox, writer, rules: m.rules, gateway: gw, clock: m.clock });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await dispatcher.stop();
    await writer.close();
    await gw.stop();
    await sim.close();
  };
  await gw.start();
  return { sim, gw, writer, dispatcher, close };
}

function queue(m: MessagingDb, n: number, body: (i: number) => string = (i) => `Acme Plumbing: text #${i}`): void {
  m.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      m.grant(consumer(i));
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to: consumer(i), body: body(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
}

/** Parts the SMSC accepted, per consumer (digits) and part number: how many times each. */
function acceptedParts(sim: SmscSimulator): Map<string, Map<number, number>> {
  const out = new Map<string, Map<number, number>>();
  for (const s of sim.submits) {
    if (s.messageId === null) continue;
    const parts = out.get(s.to) ?? new Map<number, number>();
    parts.set(s.concat?.seq ?? 1, (parts.get(s.concat?.seq ?? 1) ?? 0) + 1);
    out.set(s.to, parts);
  }
  return out;
}

describe('outbox writer thread', () => {
  test('texts sent through the writer thread are recorded durably: a new connection sees them delivered, each sent once', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    queue(m, 200);
    const r = await rig(m);
    t.after(r.close);
    r.dispatcher.start();
    await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain');
    await waitFor(() => r.dispatcher.stats.receipts >= 200, { what: '200 delivery receipts recorded' });
    await r.close();
    m.db.close();
    const again = openDatabase(m.path);
    try {
      const states = again.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all();
      assert.deepEqual(states, [{ state: 'delivered', n: 200 }]);
      const ids = again.prepare('SELECT count(DISTINCT smsc_message_id) FROM outbound_messages').pluck().get();
      assert.equal(ids, 200, 'every text has its own SMSC id on record');
    } finally {
      again.close();
    }
    const accepted = acceptedParts(r.sim);
    assert.equal(accepted.size, 200);
    assert.ok([...accepted.values()].every((p) => p.get(1) === 1), 'each text reached the SMSC once');
  });

  test('a STOP committed on another connection while texts are claimed and queued: no part of theirs is written after it, the rest all go', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const N = 120;
    queue(m, N, long);
    // 200 submits/s: claimed texts wait for their TPS token, so the STOP lands among claimed, half-sent and queued texts.
    const r = await rig(m, { receipts: false, tps: 200 });
    t.after(r.close);
    r.dispatcher.start();
    await waitFor(() => r.sim.submits.length >= 40, { what: '40 parts at the SMSC' });
    // What `callkeeper consent revoke` does, from its own connection: a `revoked` record per consumer.
    const other = openDatabase(m.path);
    const ledger = new SqliteConsentStore(other, m.clock);
    const stopped = new Set<string>();
    // IMMEDIATE, as the consent store's own appends: a deferred transaction that read first could not take the write lock.
    other.transaction(() => {
      for (let i = 1; i < N; i += 2) {
        ledger.append({
          event: 'revoked', businessId: m.businessId, did: DID, consumer: consumer(i), method: 'sms-keyword',
          scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test',
        });
        stopped.add(consumer(i).slice(1));
      }
    }).immediate();
    other.close();
    const atCommit = r.sim.submits.length;
    await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain');
    // Parts already written when the commit returned may still arrive: at most one per window slot.
    const late = r.sim.submits.slice(atCommit).filter((s) => stopped.has(s.to));
    assert.ok(late.length <= 10, `at most a window of parts to stopped consumers after the commit (${late.length})`);
    const accepted = acceptedParts(r.sim);
    const stateOf = m.db.prepare('SELECT state FROM outbound_messages WHERE recipient = ?').pluck();
    const outcomes: Record<string, number> = {};
    for (let i = 0; i < N; i++) {
      const parts = accepted.get(consumer(i).slice(1)) ?? new Map<number, number>();
      for (const [part, n] of parts) assert.equal(n, 1, `text ${i} part ${part} accepted once`);
      const state = stateOf.get(consumer(i)) as string;
      if (i % 2 === 0) {
        assert.equal(state, 'submitted', `text ${i} (not stopped) submitted`);
        assert.equal(parts.size, 2, `text ${i}: both parts reached the SMSC`);
        continue;
      }
      outcomes[state] = (outcomes[state] ?? 0) + 1;
      if (state === 'submitted') assert.equal(parts.size, 2, `text ${i} went whole before the STOP`);
      else assert.ok(['suppressed', 'refused'].includes(state) && parts.size < 2, `stopped text ${i} is ${state} with ${parts.size} part(s) sent`);
    }
    t.diagnostic(`stopped consumers' texts: ${JSON.stringify(outcomes)}; parts after the commit ${late.length}`);
    assert.ok((outcomes.refused ?? 0) > 0, 'some stopped texts were still queued and are refused at their claim');
  });

  test('the writer thread dies mid-run, twice: nothing is lost and no part is sent twice', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const N = 300;
    queue(m, N, (i) => (i % 3 === 0 ? long(i) : `Acme Plumbing: text #${i}`));
    const r = await rig(m, { tps: 2_000 });
    t.after(r.close);
    r.dispatcher.start();
    for (const at of [60, 200]) {
      await waitFor(() => r.sim.submits.length >= at, { what: `${at} parts at the SMSC` });
      await r.writer.thread()?.terminate();
    }
    await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain');
    assert.ok(r.writer.starts >= 3, `the writer thread was started again after each death (${r.writer.starts} starts)`);
    const accepted = acceptedParts(r.sim);
    assert.equal(accepted.size, N, 'every text reached the SMSC');
    for (const [to, parts] of accepted) for (const [part, n] of parts) assert.equal(n, 1, `${to} part ${part} accepted once`);
    const states = m.db.prepare("SELECT count(*) FROM outbound_messages WHERE state NOT IN ('submitted', 'delivered')").pluck().get();
    assert.equal(states, 0, 'every text is recorded as submitted (or delivered)');
    const noId = m.db.prepare('SELECT count(*) FROM outbound_messages WHERE smsc_message_id IS NULL').pluck().get();
    assert.equal(noId, 0, "every text's SMSC id is on record");
  });

  test('the database refuses the results for a while: they are kept and written once it takes them again, nothing sent twice', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const N = 150;
    queue(m, N);
    const r = await rig(m, { receipts: false, tps: 2_000 });
    t.after(r.close);
    r.dispatcher.start();
    await waitFor(() => r.sim.submits.length >= 30, { what: '30 texts at the SMSC' });
    // Every connection (the writer thread's, and this thread's fallback) fails to record a result.
    m.db.exec("CREATE TRIGGER refuse_results BEFORE UPDATE OF state ON outbound_messages WHEN NEW.state = 'submitted' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
    const before = r.sim.submits.length;
    // Two failed writes of the same results: the first, and the retry after the pause.
    await waitFor(() => r.dispatcher.stats.writeFailures >= 2, { what: 'the results to be refused twice' });
    const stalled = r.sim.submits.length;
    assert.ok(stalled - before <= 10, `no more than a window of texts goes out while results cannot be recorded (${stalled - before})`);
    m.db.exec('DROP TRIGGER refuse_results');
    await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain');
    const accepted = acceptedParts(r.sim);
    assert.equal(accepted.size, N, 'every text reached the SMSC');
    for (const [to, parts] of accepted) assert.equal(parts.get(1), 1, `${to} accepted once`);
    assert.equal(m.db.prepare("SELECT count(*) FROM outbound_messages WHERE state <> 'submitted'").pluck().get(), 0, 'every text recorded as submitted');
  });

  test('stopping drains: every text in flight is recorded, none left submitting, the thread ends', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const N = 400;
    queue(m, N);
    const r = await rig(m, { receipts: false, tps: 1_000 });
    t.after(r.close);
    r.dispatcher.start();
    await waitFor(() => r.sim.submits.length >= 50, { what: '50 texts at the SMSC' });
    const thread = r.writer.thread();
    assert.ok(thread, 'the writer thread runs');
    const exited = new Promise<number>((resolve) => thread.once('exit', resolve));
    await r.dispatcher.stop();
    await r.writer.close();
    await exited;
    const count = (state: string) => m.db.prepare('SELECT count(*) FROM outbound_messages WHERE state = ?').pluck().get(state) as number;
    assert.equal(count('submitting'), 0, 'nothing left in flight');
    const sent = r.sim.submits.filter((s) => s.messageId !== null).length;
    assert.equal(count('submitted'), sent, 'every text the SMSC accepted is recorded as submitted');
    assert.equal(count('queued'), N - sent, 'the rest stay queued for the next start');
    await assert.rejects(r.writer.recordAndClaim({ submitted: [], parts: [], receipts: [], at: 0, claim: null }), { code: 'STORE.WRITE_FAILED' });
  });
});
