/** 100 calls at once through the adapter and the simulator: every call ends, nothing is left behind. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IncomingCall, LegEvent } from '../../../src/domain/ports/call-engine.ts';
import { toneWav } from '../../../src/sim/sim-wav.ts';
import { waitFor, withTimeout } from '../../support/wait-for.ts';
import { startAriPair } from './ari-test-kit.ts';

/** 100 calls on the instant scheduler finish in about a second when quiet; a loaded machine gets 60 s. */
const ALL_CALLS_MS = 60_000;

test('100 concurrent calls with mixed endings all finish, with no leg or channel left over', async () => {
  const p = await startAriPair({ timeScale: 0 });
  const voice = toneWav(1500);
  // Written once, before the calls: each call writing the same file again raced the simulator reading its
  // length (a truncated file is no media: the greeting ended `failed` and the call never went on).
  const greeting = await p.prompt('greeting', 2000);
  const done: Promise<string>[] = [];
  const runCall = (call: IncomingCall): Promise<string> =>
    new Promise((resolve, reject) => {
      const seen: LegEvent[] = [];
      let greeted: () => void = () => {};
      let cut = false;
      const greetingOver = new Promise<void>((r) => (greeted = r));
      call.leg.onEvent((e) => {
        seen.push(e);
        if (e.type === 'playback-finished') {
          // A greeting cut by the caller's hangup ends 'failed' before the leg's hangup event arrives.
          if (e.outcome !== 'done') cut = true;
          greeted();
        }
        if (e.type === 'recording-finished' && e.end !== 'hangup') {
          call.leg.fetchRecording(e.recordingId).then(() => call.leg.hangup()).catch(reject);
        }
        if (e.type === 'hangup') resolve(seen.filter((x) => x.type === 'recording-finished').map((x) => (x as { end: string }).end).join(',') || 'none');
      });
      (async () => {
        await call.leg.answer();
        await call.leg.play(greeting);
        await withTimeout(greetingOver, ALL_CALLS_MS, `the greeting on ${call.leg.id} to finish`);
        if (cut || seen.some((e) => e.type === 'hangup')) return;
        await call.leg.record({ name: `msg-${call.leg.id}`, maxDurationMs: 120_000, maxSilenceMs: 3000, beep: true, terminateOnHash: true });
      })().catch((err: unknown) => {
        // The caller may hang up before an operation: that must surface as CHANNEL_GONE only.
        if ((err as { code?: string }).code !== 'TELEPHONY.CHANNEL_GONE') reject(err);
      });
    });
  await p.engine.start((call) => done.push(runCall(call)));
  try {
    const peers = [];
    for (let i = 0; i < 100; i++) {
      const kind = i % 4;
      peers.push(
        p.sim.placeCall({
          caller: `+1555000${String(i).padStart(4, '0')}`,
          dialed: '15551234567',
          says: [voice],
          script:
            kind === 1 ? [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'hangup', afterMs: 100 }] }]
            : kind === 2 ? [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'hangup', afterMs: 500 }] }]
            : kind === 3 ? [{ when: { on: 'offered' }, do: [{ act: 'hangup' }] }]
            : [],
        }),
      );
    }
    const results = await withTimeout(Promise.all(peers.map((x) => x.result)), ALL_CALLS_MS, 'all 100 simulated callers to finish');
    await waitFor(() => done.length === 100, { timeoutMs: ALL_CALLS_MS, what: 'all 100 calls to reach the engine' });
    const ends = await withTimeout(Promise.all(done), ALL_CALLS_MS, 'all 100 legs to report their hangup');
    assert.equal(results.filter((r) => r.endedBy === 'app').length, 25);
    assert.equal(results.filter((r) => r.endedBy === 'caller').length, 75);
    const tally = JSON.stringify(ends.reduce<Record<string, number>>((t, e) => ({ ...t, [e]: (t[e] ?? 0) + 1 }), {}));
    assert.equal(ends.filter((e) => e === 'silence').length, 25, tally);
    assert.equal(ends.filter((e) => e === 'hangup').length, 25, tally);
    assert.equal(p.engine.activeCalls(), 0);
    assert.deepEqual(p.sim.activeChannels(), []);
    assert.equal(p.sim.storedRecordingNames().length, 25, 'only the recordings cut by a hangup are left (the test did not fetch them)');
  } finally {
    await p.close();
  }
});
