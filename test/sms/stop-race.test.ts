import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { startOutboxWriter } from '../../src/compose/outbox-writer.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { DID, openMessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { SmppFaultProxy } from './support/smpp-fault-proxy.ts';
import { acceptedByConsumer, raceConsumer, raceParts, readRace, seedRace } from './support/stop-race.ts';

/**
 * No text part is written after a STOP has committed, and the STOP confirmation goes ahead of
 * the queue. 400 queued texts (every second one two parts) at 200 submits/s, window 10, 40 STOPs at
 * seeded moments; half go to the consumer whose part the SMSC saw last (a text in flight), half to a
 * consumer picked at random. The full-size run (1,000 texts at 50/s) is `npm run bench:sms`.
 */
const N = 400;
const TPS = 200;
const WINDOW = 10;
const STOPS = 40;

for (const writerKind of ['thread', 'inline'] as const) {
test(`STOP race (${writerKind} outbox writer): no part after a STOP commits, the confirmation goes before the rest of the queue, nothing lost`, { timeout: 60_000 }, async (t) => {
  const m = openMessagingDb();
  // `serve` commits through the writer thread by default, or inline with smpp.outboxWriter: inline; both are held to the same race.
  const writer = writerKind === 'thread' ? startOutboxWriter(m.path, m.rules) : undefined;
  seedRace(m, N);
  const sim = new SmscSimulator({ receipts: 'off' });
  const proxy = new SmppFaultProxy(await sim.listen());
  const gw = new SmppGateway({ ...GW_DEFAULTS, port: await proxy.listen(), tps: TPS, window: WINDOW });
  const dispatcher = new OutboxDispatcher({ window: WINDOW, pollMs: 20, retryBaseMs: 10, retryMaxMs: 50 }, { outbox: m.stores.outbox, ...(writer ? { writer } : {}), rules: m.rules, gateway: gw, clock: m.clock });
  const inbound = new InboundMessageHandler({}, { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock, onEnqueued: () => dispatcher.kick() });
  const commitAt = new Map<string, number>();
  gw.onInbound(async (sms) => {
    const outcome = await inbound.handle(sms);
    // handle() resolves once the STOP's transaction has committed; the SMSC's answer waits for this handler.
    if (outcome === 'revoked') commitAt.set(sms.from.replace(/^\+/, ''), performance.now());
  });
  t.after(async () => {
    await dispatcher.stop();
    await writer?.close();
    await gw.stop();
    await proxy.close();
    await sim.close();
    m.close();
  });
  await gw.start();

  const rnd = seededRandom(2026);
  const runMs = ((N * 1.5) / TPS) * 1000;
  const moments = Array.from({ length: STOPS }, () => rnd() * runMs * 0.7).sort((a, b) => a - b);
  const stopped: string[] = [];
  const answers: Array<Promise<number>> = [];
  const t0 = performance.now();
  dispatcher.start();
  for (const [k, at] of moments.entries()) {
    await new Promise((r) => setTimeout(r, Math.max(0, t0 + at - performance.now())));
    const last = proxy.submits().at(-1)?.to;
    let who = k % 2 === 0 && last ? last : raceConsumer(Math.floor(rnd() * N)).slice(1);
    while (stopped.includes(who)) who = raceConsumer(Math.floor(rnd() * N)).slice(1);
    stopped.push(who);
    answers.push(sim.deliver({ from: who, to: DID.slice(1), text: 'STOP' }));
  }
  assert.deepEqual(new Set(await Promise.all(answers)), new Set([0]), 'every STOP answered ESME_ROK');
  await dispatcher.drain();

  const race = readRace(proxy.log, stopped, commitAt);
  t.diagnostic(`parts that reached the SMSC after a STOP's commit but were written before it: ${race.arrivedAfterCommitWrittenBefore}`);
  assert.deepEqual(race.unanswered, [], 'every STOP was answered on the wire');
  assert.deepEqual(
    race.afterStop.map((p) => `${p.to} part ${p.concat?.seq ?? 1}`),
    [],
    'no part to a consumer was written after the answer to their STOP (i.e. after its commit)',
  );
  assert.deepEqual(race.unconfirmed, [], 'every STOP got its confirmation');
  // Bulk texts already claimed when the STOP came (at most the window) may start first; none claimed later.
  const worst = Math.max(...race.bulkStartedBeforeConfirmation);
  assert.ok(worst <= WINDOW, `at most ${WINDOW} bulk texts started between a STOP and its confirmation (worst ${worst})`);

  // Nothing lost, nothing doubled: each consumer who did not STOP got every part exactly once; a
  // stopped consumer's text was sent whole before the STOP, withheld (suppressed) or cancelled.
  const accepted = acceptedByConsumer(sim.submits);
  const stateOf = m.db.prepare("SELECT state FROM outbound_messages WHERE recipient = ? AND kind = 'follow-up'").pluck();
  const outcomes = new Map<string, number>();
  for (let i = 0; i < N; i++) {
    const to = raceConsumer(i).slice(1);
    const parts = accepted.get(to) ?? new Map<number, number>();
    for (const [part, n] of parts) assert.equal(n, 1, `${to} part ${part} accepted once`);
    const state = stateOf.get(raceConsumer(i)) as string;
    if (!stopped.includes(to)) {
      assert.equal(state, 'submitted', `text ${i} submitted`);
      assert.equal(parts.size, raceParts(i), `text ${i}: every part reached the SMSC`);
      continue;
    }
    outcomes.set(state, (outcomes.get(state) ?? 0) + 1);
    assert.ok(['submitted', 'suppressed', 'cancelled'].includes(state), `stopped consumer's text is ${state}`);
    if (state === 'submitted') assert.equal(parts.size, raceParts(i), `text ${i} went whole before the STOP`);
    else assert.ok(parts.size < raceParts(i), `text ${i} (${state}) did not go whole`);
  }
  t.diagnostic(`stopped consumers' texts: ${JSON.stringify(Object.fromEntries(outcomes))}; worst bulk-before-confirmation ${worst}`);
  assert.equal(dispatcher.stats.failed, 0);
});
}
