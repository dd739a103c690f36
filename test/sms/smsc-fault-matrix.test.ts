import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxDispatcher } from '../../src/app/messaging/outbox-dispatcher.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppGateway } from '../../src/sms/smpp-gateway.ts';
import { openMessagingDb } from './fixtures/messaging-db.ts';
import { GW_DEFAULTS } from './fixtures/smpp-pair.ts';
import { seededRandom } from '../support/seeded-random.ts';
import { SmppFaultProxy } from './support/smpp-fault-proxy.ts';
import { acceptedByConsumer, duplicatedTexts, raceConsumer, raceParts, seedRace } from './support/stop-race.ts';

/**
 * SMSC faults on the wire (src/sms/README.md, "Faults") (through the TCP fault proxy, the real client and the real SMSC
 * simulator), 120 queued texts, every second one two parts long. Whatever the fault, no text is lost
 * or failed, a part the SMSC accepted is not sent again (only a dropped link leaves answers in doubt,
 * at most the window), and a temporary error on one part resends that part, not the text.
 */
const N = 120;
const WINDOW = 10;
const ESME_RMSGQFUL = 0x14;
const ESME_RTHROTTLED = 0x58;
const ESME_RBINDFAIL = 0x0d;

interface Scenario {
  readonly name: string;
  readonly arm: (proxy: SmppFaultProxy) => void;
  /** Texts allowed to have a part accepted twice (the answer was lost with the link). */
  readonly maxDuplicated: number;
  /** smpp.responseTimeout: short only where the scenario is an unanswered submit (else a loaded machine's slow answer is a timeout, and a resend). */
  readonly responseTimeout?: number;
}

const rnd = seededRandom(7);
const SCENARIOS: Scenario[] = [
  {
    name: 'throttled (ESME_RTHROTTLED) for 40 submits',
    arm: (p) => (p.faults.submit = (_s, i) => (i >= 20 && i < 60 ? { kind: 'answer', status: ESME_RTHROTTLED } : { kind: 'forward' })),
    maxDuplicated: 0,
  },
  {
    name: 'queue full (ESME_RMSGQFUL) on a random half of all submits',
    arm: (p) => (p.faults.submit = () => (rnd() < 0.5 ? { kind: 'answer', status: ESME_RMSGQFUL } : { kind: 'forward' })),
    maxDuplicated: 0,
  },
  {
    name: 'no answer to 15 submits (response timeout)',
    arm: (p) => (p.faults.submit = (_s, i) => (i % 12 === 5 && i < 180 ? { kind: 'swallow' } : { kind: 'forward' })),
    maxDuplicated: 0,
    // Short, so the test does not wait long for the swallowed ones; long enough for a loaded machine's answers.
    responseTimeout: 1_000,
  },
  {
    name: 'slow SMSC (every PDU held 100 ms)',
    arm: (p) => (p.faults.upstreamDelayMs = 100),
    maxDuplicated: 0,
  },
  {
    name: 'connection dropped twice mid-burst',
    arm: (p) =>
      (p.faults.submit = (_s, i) => {
        if (i === 50 || i === 110) setImmediate(() => p.dropAll());
        return { kind: 'forward' };
      }),
    maxDuplicated: 2 * WINDOW,
  },
  {
    name: 'bind refused (ESME_RBINDFAIL) twice, then accepted',
    arm: (p) => (p.faults.refuseBinds = { status: ESME_RBINDFAIL, count: 2 }),
    maxDuplicated: 0,
  },
];

describe('SMSC fault matrix', () => {
  for (const sc of SCENARIOS) {
    test(sc.name, { timeout: 60_000 }, async (t) => {
      const m = openMessagingDb();
      seedRace(m, N);
      const sim = new SmscSimulator({ receipts: 'off' });
      const proxy = new SmppFaultProxy(await sim.listen());
      const gw = new SmppGateway({ ...GW_DEFAULTS, port: await proxy.listen(), window: WINDOW, responseTimeout: sc.responseTimeout ?? 5_000 });
      const dispatcher = new OutboxDispatcher(
        { window: WINDOW, pollMs: 20, retryBaseMs: 10, retryMaxMs: 50 },
        { outbox: m.stores.outbox, rules: m.rules, gateway: gw, clock: m.clock },
      );
      t.after(async () => {
        await dispatcher.stop();
        await gw.stop();
        await proxy.close();
        await sim.close();
        m.close();
      });
      sc.arm(proxy);
      await gw.start();
      dispatcher.start();
      await dispatcher.drain();

      const states = m.db.prepare('SELECT state, count(*) AS n FROM outbound_messages GROUP BY state').all();
      assert.deepEqual(states, [{ state: 'submitted', n: N }], 'every text submitted: none lost, failed or expired');
      const accepted = acceptedByConsumer(sim.submits);
      for (let i = 0; i < N; i++) {
        assert.equal(accepted.get(raceConsumer(i).slice(1))?.size, raceParts(i), `text ${i}: every part reached the SMSC`);
      }
      const dup = duplicatedTexts(accepted);
      assert.ok(dup <= sc.maxDuplicated, `${dup} texts had a part accepted twice (at most ${sc.maxDuplicated})`);

      // Part-level retries: a second part refused after the first was accepted must resend only itself.
      const refusedSecondParts = proxy.submits().filter((s) => s.fault !== null && s.concat?.seq === 2).length;
      const firstPartsAccepted = sim.submits.filter((s) => s.messageId !== null && s.concat?.seq === 1).length;
      if (sc.maxDuplicated === 0) assert.equal(firstPartsAccepted, N / 2, 'each first part accepted exactly once');
      t.diagnostic(
        `retried ${dispatcher.stats.retried}, second parts refused or unanswered ${refusedSecondParts}, duplicated texts ${dup}, binds ${sim.binds.length}`,
      );
      if (sc.name.startsWith('queue full')) assert.ok(refusedSecondParts > 0, 'the scenario refused second parts after their first was accepted');
    });
  }
});
