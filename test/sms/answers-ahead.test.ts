import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { asyncOutboxWriter } from '../../src/app/messaging/async-outbox-writer.ts';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { sendDecider } from '../../src/app/messaging/send-decider.ts';
import { startOutboxWriter } from '../../src/compose/outbox-writer.ts';
import type { OutboxBatch, OutboxWriter } from '../../src/domain/ports/outbox.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../support/wait-for.ts';
import { DID, openMessagingDb, type MessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';

/**
 * `smpp.answersAhead` (src/sms/README.md, "Crash guarantee"): with N > 0 the dispatcher holds N texts
 * claimed beyond the window, so a slot freed by an SMSC answer is refilled before that answer is
 * committed; never more than window + N texts are sent without their answer committed. Shown with a
 * commit held back (the disk stalls) and with a commit that fails (the database refuses the results), on
 * both writers (the writer thread, serve's default, and inline on the event loop). Counts only: how fast is
 * bench:sms's business (BENCH_SMS_AHEAD).
 */
const WINDOW = GW_DEFAULTS.window;
const consumer = (i: number): string => `+1512${String(7_100_000 + i).padStart(7, '0')}`;
const long = (i: number): string => `Acme Plumbing: update #${i}. ${'Your technician will call before arriving. '.repeat(4)}`;
/** Longer than ten of the dispatcher's 20 ms polls: each would send a claimed text or claim one if it could. */
const SETTLE_MS = 300;

type WriterKind = 'thread' | 'inline';

/**
 * The real writer, whose commits of SMSC answers (results, accepted parts) can be held back: a disk that
 * stalls. Held batches go to the real writer, in order, once let go. Claims without answers pass.
 */
function holdable(inner: OutboxWriter) {
  let holding = false;
  let held: Array<() => void> = [];
  const writer: OutboxWriter = {
    recordAndClaim: (b: OutboxBatch) => {
      if (!holding || (b.submitted.length === 0 && b.parts.length === 0)) return inner.recordAndClaim(b);
      return new Promise((resolve, reject) => held.push(() => void inner.recordAndClaim(b).then(resolve, reject)));
    },
    markRetry: (...a) => inner.markRetry(...a),
    markUnsent: (...a) => inner.markUnsent(...a),
    markReceiptsOverdue: (...a) => inner.markReceiptsOverdue(...a),
    recoverInFlight: (...a) => inner.recoverInFlight(...a),
    close: () => inner.close(),
  };
  return {
    writer,
    hold: () => (holding = true),
    held: () => held.length,
    letGo: () => {
      holding = false;
      for (const go of held.splice(0)) go();
      held = [];
    },
  };
}

async function rig(m: MessagingDb, kind: WriterKind, answersAhead: number) {
  const sim = new SmscSimulator({ receipts: 'off' });
  const gw = new SmppGateway({ ...GW_DEFAULTS, port: await sim.listen(), registeredDelivery: false });
  const inner = kind === 'thread' ? startOutboxWriter(m.path, m.rules) : asyncOutboxWriter(m.stores.outbox, sendDecider(m.rules));
  const h = holdable(inner);
  const dispatcher = new OutboxDispatcher({ window: WINDOW, answersAhead, pollMs: 20, retryBaseMs: 10, retryMaxMs: 50 }, { outbox: m.stores.outbox, writer: h.writer, rules: m.rules, gateway: gw, clock: m.clock });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    h.letGo();
    await dispatcher.stop();
    await inner.close();
    await gw.stop();
    await sim.close();
  };
  await gw.start();
  return { sim, dispatcher, h, close };
}

function queue(m: MessagingDb, n: number, body: (i: number) => string = (i) => `Acme Plumbing: text #${i}`): void {
  m.db.transaction(() => {
    for (let i = 0; i < n; i++) {
      m.grant(consumer(i));
      m.outbox.enqueue({ businessId: m.businessId, from: DID, to: consumer(i), body: body(i), kind: 'follow-up', callId: null, consentEventId: null });
    }
  })();
}

const count = (m: MessagingDb, state: string): number => m.db.prepare('SELECT count(*) FROM outbound_messages WHERE state = ?').pluck().get(state) as number;

/** Each text's parts the SMSC accepted, and how often: every part exactly once, every text whole. */
function assertEachPartOnce(sim: SmscSimulator, texts: number, partsOf: (i: number) => number): void {
  const seen = new Map<string, number>();
  for (const s of sim.submits) {
    if (s.messageId === null) continue;
    const key = `${s.to} part ${s.concat?.seq ?? 1}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  for (const [key, n] of seen) assert.equal(n, 1, `${key} accepted once`);
  let parts = 0;
  for (let i = 0; i < texts; i++) parts += partsOf(i);
  assert.equal(seen.size, parts, 'every part of every text reached the SMSC');
}

async function settled(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms));
}

describe('smpp.answersAhead: window slots refilled before the answers are committed, within window + answersAhead', () => {
  for (const kind of ['thread', 'inline'] as const) {
    for (const ahead of [0, 10]) {
      test(`${kind} writer, answersAhead ${ahead}: with every commit of answers held, exactly window + ${ahead} texts go out, then none until the commit`, { timeout: 60_000 }, async (t) => {
        const m = openMessagingDb();
        t.after(() => m.close());
        const N = 60;
        queue(m, N);
        const r = await rig(m, kind, ahead);
        t.after(r.close);
        r.h.hold();
        r.dispatcher.start();
        const bound = WINDOW + ahead;
        await waitFor(() => r.sim.submits.length >= bound && r.h.held() > 0, { what: `${bound} texts at the SMSC and a commit of their answers held` });
        await settled(SETTLE_MS);
        assert.equal(r.sim.submits.length, bound, `window ${WINDOW} + answersAhead ${ahead} texts sent while no answer could be committed`);
        assert.ok(r.sim.submits.every((s) => s.messageId !== null), 'the SMSC answered each');
        // What a crash now would leave in doubt: every one of them, and no more.
        assert.equal(count(m, 'submitting'), bound, 'texts in doubt (sent, answer not committed)');
        assert.equal(count(m, 'submitted'), 0);
        r.h.letGo();
        await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain once commits go through');
        assertEachPartOnce(r.sim, N, () => 1);
        assert.equal(count(m, 'submitted'), N, 'every text recorded as submitted');
      });
    }
  }

  test('thread writer, answersAhead 10, two-part texts: a next part still waits for the commit of the part before it', { timeout: 60_000 }, async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const N = 40;
    queue(m, N, long);
    const r = await rig(m, 'thread', 10);
    t.after(r.close);
    r.h.hold();
    r.dispatcher.start();
    const bound = WINDOW + 10;
    await waitFor(() => r.sim.submits.length >= bound && r.h.held() > 0, { what: `${bound} first parts at the SMSC and a commit of their acceptance held` });
    await settled(SETTLE_MS);
    assert.deepEqual(
      r.sim.submits.map((s) => s.concat?.seq),
      Array.from({ length: bound }, () => 1),
      'only first parts, one per claimed text: no second part before its first part is committed',
    );
    r.h.letGo();
    await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain once commits go through');
    assertEachPartOnce(r.sim, N, () => 2);
    assert.equal(count(m, 'submitted'), N);
  });

  for (const [kind, ahead] of [['thread', 10], ['inline', 10], ['thread', 0]] as const) {
    test(`${kind} writer, answersAhead ${ahead}: the database refuses the answers; they are kept and written again, at most window + ${ahead} texts go out meanwhile, none twice`, { timeout: 60_000 }, async (t) => {
      const m = openMessagingDb();
      t.after(() => m.close());
      const N = 60;
      queue(m, N);
      // Every connection (the thread's, the event loop's fallback) fails to record a result, from the start.
      m.db.exec("CREATE TRIGGER refuse_results BEFORE UPDATE OF state ON outbound_messages WHEN NEW.state = 'submitted' BEGIN SELECT RAISE(ABORT, 'injected fault'); END");
      const r = await rig(m, kind, ahead);
      t.after(r.close);
      r.dispatcher.start();
      const bound = WINDOW + ahead;
      // Two failed writes of the same answers: the first, and the rewrite after the pause.
      await waitFor(() => r.dispatcher.stats.writeFailures >= 2 && r.sim.submits.length >= bound, { what: `${bound} texts at the SMSC and their answers refused twice` });
      await settled(SETTLE_MS);
      assert.equal(r.sim.submits.length, bound, `window ${WINDOW} + answersAhead ${ahead} texts sent while their answers could not be committed`);
      assert.equal(count(m, 'submitting'), bound, 'texts in doubt');
      m.db.exec('DROP TRIGGER refuse_results');
      await withTimeout(r.dispatcher.drain(), DEFAULT_WAIT_MS, 'the outbox to drain once the database takes the answers');
      assertEachPartOnce(r.sim, N, () => 1);
      assert.equal(count(m, 'submitted'), N, 'every text recorded as submitted');
    });
  }
});
