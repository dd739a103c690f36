/**
 * A hangup must not be lost (src/telephony/asterisk/README.md, "Hanging up for sure"): the capacity
 * bench saw a `hangup` request time out under load and the caller's line stay up. Here the simulated
 * Asterisk fails the first hangup requests (a 500, no answer, a dropped connection: ari-sim-faults.ts)
 * and the channel must still end; when every try fails the channel is counted, kept, and hung up once
 * the ARI connection is back; a channel left in the Stasis app without a call is swept on connect.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import { createCallRunner } from '../../../src/app/call/call-runner.ts';
import type { IncomingCall } from '../../../src/domain/ports/call-engine.ts';
import { toneWav } from '../../../src/sim/sim-wav.ts';
import { createCallHarness } from '../../fakes/call-harness.ts';
import type { AriSimFaultKind } from '../../../src/sim/ari/ari-simulator.ts';
import { AriCallEngine, type AriEngineDeps } from '../../../src/telephony/asterisk/ari-call-engine.ts';
import { LegWatch } from '../../contract/call-engine-contract.ts';
import { FakeMetrics } from '../../fakes/fake-metrics.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../../support/wait-for.ts';
import { fastTuning, memoryLogger, startAriPair, systemClock, type AriPair, type LogLine } from './ari-test-kit.ts';

const DID = '15551234567';
const CALLER = '+15550001';
const HANGUP = /^\/channels\/[^/]+$/;

/** Backoff of a few ms so the retries run fast; the request deadline is short for the `no-answer` case. */
function engineFor(p: AriPair, logs: LogLine[], metrics: FakeMetrics, tuning: AriEngineDeps['tuning'] = {}): AriCallEngine {
  return new AriCallEngine(
    { url: p.sim.url, username: 'callkeeper', password: 'secret', app: 'callkeeper', promptsDir: p.promptsDir },
    {
      logger: memoryLogger(logs),
      clock: systemClock,
      metrics,
      tuning: { ...fastTuning, requestTimeoutMs: 1500, hangupRetry: { initialMs: 5, retries: 5 }, orphanGraceMs: 20, ...tuning },
    },
  );
}

async function firstCall(engine: AriCallEngine, p: AriPair): Promise<{ call: IncomingCall; watch: LegWatch; peer: ReturnType<AriPair['sim']['placeCall']> }> {
  let delivered: (c: IncomingCall) => void = () => {};
  const next = withTimeout(new Promise<IncomingCall>((r) => (delivered = r)), DEFAULT_WAIT_MS, 'the call to reach the engine');
  await engine.start((c) => delivered(c));
  const peer = p.sim.placeCall({ caller: CALLER, dialed: DID });
  const call = await next;
  return { call, watch: new LegWatch(call.leg), peer };
}

function hangupStatuses(p: AriPair, channelId: string): (number | undefined)[] {
  return p.sim.requests.filter((r) => r.method === 'DELETE' && r.path === `/ari/channels/${channelId}`).map((r) => r.status);
}

describe('ARI hangup retries', () => {
  const cases: [AriSimFaultKind, number][] = [
    ['status-500', 3],
    ['no-answer', 1],
    ['drop', 2],
  ];
  for (const [kind, times] of cases) {
    test(`the first ${times} hangup request(s) meet ${kind}: the leg tries again and the channel ends hung up by the app`, async () => {
      const p = await startAriPair();
      const logs: LogLine[] = [];
      const metrics = new FakeMetrics();
      const engine = engineFor(p, logs, metrics);
      try {
        const { call, watch, peer } = await firstCall(engine, p);
        await call.leg.answer();
        p.sim.failRequests({ method: 'DELETE', path: HANGUP, kind, times });
        await call.leg.hangup();
        const lived = await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the simulated channel to end');
        assert.equal(lived.endedBy, 'app', 'our hangup ended the channel, not the caller');
        await watch.waitFor('hangup');
        const statuses = hangupStatuses(p, call.leg.id);
        assert.equal(statuses.length, times + 1, `one failed request per fault, then the one that worked: ${statuses.join(',')}`);
        assert.equal(statuses.at(-1), 204);
        assert.equal(watch.count('hangup'), 1, 'the flow hears the hangup once');
        await waitFor(() => engine.activeCalls() === 0, { what: 'the engine to forget the channel' });
        assert.deepEqual(metrics.hangupFailures, [], 'nothing counted: the hangup went through');
        assert.deepEqual(engine.channelsToHangUp(), []);
        assert.ok(logs.some((l) => l.msg === 'ARI hangup failed; trying again' && l.fields['channel'] === call.leg.id));
      } finally {
        await engine.stop();
        await p.close();
      }
    });
  }

  test('two hangups at once (the flow and the engine) share one run of tries', async () => {
    const p = await startAriPair();
    const engine = engineFor(p, [], new FakeMetrics());
    try {
      const { call, peer } = await firstCall(engine, p);
      p.sim.failRequests({ method: 'DELETE', path: HANGUP, kind: 'status-500', times: 2 });
      await Promise.all([call.leg.hangup(), call.leg.hangup()]);
      assert.equal((await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the simulated channel to end')).endedBy, 'app');
      assert.deepEqual(hangupStatuses(p, call.leg.id), [500, 500, 204]);
    } finally {
      await engine.stop();
      await p.close();
    }
  });

  test('every try fails: an error log with the channel id, the metric, and the hangup when the ARI connection is back', async () => {
    const p = await startAriPair();
    const logs: LogLine[] = [];
    const metrics = new FakeMetrics();
    const engine = engineFor(p, logs, metrics, { hangupRetry: { initialMs: 5, retries: 2 } });
    try {
      const { call, watch, peer } = await firstCall(engine, p);
      await call.leg.answer();
      p.sim.failRequests({ method: 'DELETE', path: HANGUP, kind: 'status-500', times: 3 });
      await assert.rejects(call.leg.hangup(), (err: { code?: string }) => err.code === 'TELEPHONY.REQUEST_FAILED');
      assert.deepEqual(hangupStatuses(p, call.leg.id), [500, 500, 500], 'the first try and two retries');
      assert.deepEqual(metrics.hangupFailures, ['ari']);
      assert.deepEqual(engine.channelsToHangUp(), [call.leg.id]);
      assert.deepEqual(p.sim.activeChannels(), [call.leg.id], 'the line is still up');
      const error = logs.find((l) => l.level === 'error' && l.fields['channel'] === call.leg.id);
      assert.ok(error, 'an error names the channel in a field');
      assert.ok(!error.msg.includes(CALLER) && !error.msg.includes(CALLER.slice(1)), 'no phone number in the message string');

      await p.sim.dropAppConnections(1006);
      const lived = await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the channel to be hung up after the reconnect');
      assert.equal(lived.endedBy, 'app');
      assert.equal(hangupStatuses(p, call.leg.id).at(-1), 204);
      await watch.waitFor('hangup');
      await waitFor(() => engine.channelsToHangUp().length === 0, { what: 'the channel to leave the to-hang-up list' });
      assert.equal(watch.count('hangup'), 1);
      assert.deepEqual(metrics.hangupFailures, ['ari'], 'counted once');
    } finally {
      await engine.stop();
      await p.close();
    }
  });

  test('a channel left in the Stasis app with no call (the process that took it is gone) is hung up on connect; a call we own is not', async () => {
    const p = await startAriPair();
    const first = engineFor(p, [], new FakeMetrics());
    const logs: LogLine[] = [];
    const second = engineFor(p, logs, new FakeMetrics());
    try {
      const { call, peer: orphan } = await firstCall(first, p);
      await call.leg.answer();
      // The process dies with the call up: its websocket goes, the channel stays in the app (traces 08a).
      await first.stop();
      assert.deepEqual(p.sim.activeChannels(), [call.leg.id]);

      const { call: owned, peer: ownedPeer } = await (async () => {
        let delivered: (c: IncomingCall) => void = () => {};
        const next = withTimeout(new Promise<IncomingCall>((r) => (delivered = r)), DEFAULT_WAIT_MS, 'a new call to reach the second engine');
        await second.start((c) => delivered(c));
        const peer = p.sim.placeCall({ caller: '+15550002', dialed: DID });
        return { call: await next, peer };
      })();
      const lived = await withTimeout(orphan.result, DEFAULT_WAIT_MS, 'the orphaned channel to be hung up');
      assert.equal(lived.endedBy, 'app');
      // The 204 reaches the engine after the simulator has ended the channel.
      await waitFor(() => logs.some((l) => l.msg === 'hung up a channel in the Stasis app that no call owned' && l.fields['channel'] === call.leg.id), {
        what: 'the sweep to log the channel it hung up',
      });

      // A reconnect sweeps again; the call the second engine owns stays up.
      await p.sim.dropAppConnections(1006);
      await waitFor(() => p.sim.requests.filter((r) => r.path === '/ari/applications/callkeeper').length >= 2, {
        what: 'the sweep after the reconnect',
      });
      await owned.leg.answer();
      assert.deepEqual(p.sim.activeChannels(), [owned.leg.id]);
      await owned.leg.hangup();
      assert.equal((await withTimeout(ownedPeer.result, DEFAULT_WAIT_MS, 'the owned call to end')).endedBy, 'app');
    } finally {
      await first.stop();
      await second.stop();
      await p.close();
    }
  });

  test('through the call runner: the flow\'s own hangup meets two 500s, the channel ends hung up and the call is closed once', async () => {
    const p = await startAriPair();
    const h = createCallHarness();
    const runner = createCallRunner({ ...h.deps, engineName: 'asterisk' });
    const engine = engineFor(p, [], new FakeMetrics());
    const runs: Promise<CallResult>[] = [];
    try {
      await engine.start((call) => runs.push(runner.run(call)));
      p.sim.failRequests({ method: 'DELETE', path: HANGUP, kind: 'status-500', times: 2 });
      // A withheld caller leaves a message; the flow thanks them and hangs up itself.
      const peer = p.sim.placeCall({ caller: 'anonymous', dialed: '+15125550100', says: [toneWav(800, 300, 9000)] });
      const lived = await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the simulated call to end');
      assert.equal(lived.endedBy, 'app', 'the flow hung up, after the retries');
      await waitFor(() => runs.length === 1, { what: 'the call to reach the runner' });
      const result = await withTimeout(runs[0]!, DEFAULT_WAIT_MS, 'the call runner to finish');
      assert.ok(result.callId !== null);
      const row = h.callLog.get(result.callId);
      assert.equal(row.outcome, 'withheld-caller');
      assert.equal(row.closes, 1, 'the outcome is recorded once');
      assert.deepEqual(h.metrics.callsEnded, ['withheld-caller']);
      const statuses = p.sim.requests.filter((r) => r.method === 'DELETE' && r.path.startsWith('/ari/channels/')).map((r) => r.status);
      assert.deepEqual(statuses, [500, 500, 204]);
    } finally {
      await engine.stop();
      await p.close();
    }
  });
});
