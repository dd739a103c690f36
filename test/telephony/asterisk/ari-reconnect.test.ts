/**
 * Traces 08a (the websocket drops while a call is up) and 08b (Asterisk restarts): the adapter
 * reconnects, finishes what the gap swallowed, and takes new calls.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EngineStatus, IncomingCall } from '../../../src/domain/ports/call-engine.ts';
import { AriSimulator } from '../../../src/sim/ari/ari-simulator.ts';
import { AriCallEngine } from '../../../src/telephony/asterisk/ari-call-engine.ts';
import { LegWatch } from '../../contract/call-engine-contract.ts';
import { waitFor, withTimeout } from '../../support/wait-for.ts';
import { fastTuning, memoryLogger, startAriPair, systemClock, type LogLine } from './ari-test-kit.ts';

const DID = '15551234567';

function nextStatus(engine: AriCallEngine, want: EngineStatus): Promise<void> {
  if (engine.status() === want) return Promise.resolve();
  let off = (): void => {};
  const reached = new Promise<void>((resolve) => {
    off = engine.onStatus((s) => {
      if (s === want) {
        off();
        resolve();
      }
    });
  });
  return withTimeout(reached, 30_000, `the engine status "${want}"`).finally(off);
}

describe('ARI adapter reconnects', () => {
  for (const code of [1006, 1000] as const) {
    test(`08a websocket closed with ${code}: app deactivated, new calls declined, the lost PlaybackFinished is recovered`, async () => {
      // A slow first retry keeps the gap open long enough for the playback to end inside it.
      const p = await startAriPair({ timeScale: 0.05 });
      const engine = new AriCallEngine(
        { url: p.sim.url, username: 'callkeeper', password: 'secret', app: 'callkeeper', promptsDir: p.promptsDir },
        { logger: memoryLogger(), clock: systemClock, tuning: { ...fastTuning, initialBackoffMs: 300 } },
      );
      const calls: IncomingCall[] = [];
      const watches: LegWatch[] = [];
      await engine.start((c) => {
        calls.push(c);
        watches.push(new LegWatch(c.leg));
      });
      try {
        const statuses: EngineStatus[] = [];
        engine.onStatus((s) => statuses.push(s));
        p.sim.placeCall({ caller: '+15550001', dialed: DID });
        await waitFor(() => watches.length > 0, { what: 'the call to reach the engine' });
        const w = watches[0]!;
        const leg = calls[0]!.leg;
        await leg.answer();
        // Drop the socket right after PlaybackStarted, as the capture tool did (08a).
        const off = p.sim.onEvent((e) => {
          if (e['type'] === 'PlaybackStarted') {
            off();
            void p.sim.dropAppConnections(code);
          }
        });
        const prompt = await p.prompt('hello-world', 1400);
        const id = await leg.play(prompt);
        await nextStatus(engine, 'down');
        const declined = p.sim.placeCall({ caller: '+15550002', dialed: '15550002222' });
        assert.equal(declined.channelId, null);
        assert.equal((await declined.result).endedBy, 'rejected');

        const fin = await w.waitFor('playback-finished', (e) => e.playbackId === id);
        assert.equal(fin.outcome, 'done', 'recovered after the reconnect: GET /playbacks/{id} answered 404');
        assert.equal(engine.status(), 'up');
        assert.ok(p.sim.events.some((e) => e.data['type'] === 'PlaybackFinished' && !e.delivered), 'the real event was lost in the gap');
        assert.ok(p.sim.requests.some((r) => r.method === 'GET' && r.path === `/ari/playbacks/${id}` && r.status === 404));

        // The old channel is still fully controllable after the reconnect.
        const bye = await leg.play(prompt);
        assert.equal((await w.waitFor('playback-finished', (e) => e.playbackId === bye)).outcome, 'done');
        await leg.hangup();
        await w.waitFor('hangup');
        assert.deepEqual(statuses, ['down', 'up']);
        assert.equal(calls.length, 1);
      } finally {
        await engine.stop();
        await p.close();
      }
    });
  }

  test('08b Asterisk restart: cause 4 hangup, 1006, refused, 404, 503, then up; a new call gets channel id <epoch>.0', async () => {
    const p = await startAriPair({ timeScale: 0.05 });
    const incoming: { call: IncomingCall; watch: LegWatch }[] = [];
    await p.engine.start((call) => incoming.push({ call, watch: new LegWatch(call.leg) }));
    try {
      p.sim.placeCall({ caller: '+15550001', dialed: DID });
      p.sim.placeCall({ caller: '+15550009', dialed: DID });
      await waitFor(() => incoming.length >= 2, { what: 'both calls to reach the engine' });
      const { call, watch } = incoming[0]!;
      await call.leg.answer();
      const id = await call.leg.play(await p.prompt('vm-options', 60_000));

      await p.sim.restart({ refusedMs: 50, notFoundAttempts: 2, notBootedAttempts: 2 });
      await watch.waitFor('hangup');
      assert.deepEqual(watch.events.map((e) => e.type), ['playback-finished', 'hangup']);
      assert.deepEqual(watch.events[0], { type: 'playback-finished', playbackId: id, outcome: 'failed' });
      assert.deepEqual(watch.events[1], { type: 'hangup', cause: 'engine-shutdown' });
      await incoming[1]!.watch.waitFor('hangup');

      await nextStatus(p.engine, 'up');
      const refusals = p.logs.filter((l) => l.msg === 'ARI websocket error').map((l) => String(l.fields['err']));
      assert.ok(refusals.some((e) => e.includes('ECONNREFUSED')), refusals.join('|'));
      assert.ok(refusals.some((e) => e.includes('404')), 'the upgrade was answered 404 while ARI was not registered');
      assert.ok(refusals.some((e) => e.includes('503')), 'then 503 Asterisk not booted');
      assert.equal(p.engine.activeCalls(), 0);

      const after = p.sim.placeCall({ caller: '+15550003', dialed: DID });
      assert.match(after.channelId ?? '', /^\d+\.0$/, 'the channel counter restarted');
      await waitFor(() => incoming.length >= 3, { what: 'the call after the restart to reach the engine' });
      await incoming[2]!.call.leg.answer();
      await incoming[2]!.call.leg.hangup();
      assert.equal((await after.result).endedBy, 'app');
    } finally {
      await p.close();
    }
  });

  test('start() keeps retrying until Asterisk is reachable, then resolves', async () => {
    const sim = await AriSimulator.start({ username: 'callkeeper', password: 'secret' });
    const url = sim.url;
    await sim.close();
    const logs: LogLine[] = [];
    const engine = new AriCallEngine(
      { url, username: 'callkeeper', password: 'secret', app: 'callkeeper' },
      { logger: memoryLogger(logs), clock: systemClock, tuning: fastTuning },
    );
    const started = engine.start(() => {});
    await waitFor(() => logs.some((l) => l.msg === 'ARI not reachable yet'), { what: 'the log line "ARI not reachable yet"' });
    assert.equal(engine.status(), 'connecting');
    const port = Number(new URL(url).port);
    const again = await AriSimulator.start({ username: 'callkeeper', password: 'secret', port });
    try {
      await started;
      assert.equal(engine.status(), 'up');
    } finally {
      await engine.stop();
      await again.close();
    }
  });
});
