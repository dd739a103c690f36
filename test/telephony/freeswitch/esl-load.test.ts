import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingCall, RecordingEnd } from '../../../src/domain/ports/call-engine.ts';
import type { ScriptedCall } from '../../../src/sim/caller-script.ts';
import { toneWav } from '../../../src/sim/sim-wav.ts';
import { EventTap, startEslHarness } from './esl-test-harness.ts';
import { withTimeout } from '../../support/wait-for.ts';

const N = 100;
const voice = toneWav(800, 300);

type Kind = 'silence' | 'dtmf' | 'hangup-record' | 'hangup-playback';

function script(i: number, kind: Kind): ScriptedCall {
  const caller = `+1512555${String(1000 + i).padStart(4, '0')}`;
  switch (kind) {
    case 'silence':
      return { caller, dialed: '+15125550100', says: [voice] };
    case 'dtmf':
      return { caller, dialed: '+15125550100', script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: voice }, { act: 'dtmf', digit: '#', afterMs: 900 }] }] };
    case 'hangup-record':
      return { caller, dialed: '+15125550100', script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: voice }, { act: 'hangup', afterMs: 500 }] }] };
    case 'hangup-playback':
      return { caller, dialed: '+15125550100', script: [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'hangup', afterMs: 200 }] }] };
  }
}

/** What a call flow does with a leg: answer, greet, record, fetch, hang up; tolerant of the caller leaving. */
async function runFlow(call: IncomingCall, prompt: string): Promise<{ end: RecordingEnd | 'no-recording'; bytes: number }> {
  const tap = new EventTap(call);
  try {
    await call.leg.answer();
    await call.leg.play({ file: prompt });
    const played = await Promise.race([tap.next('playback-finished'), tap.next('hangup')]);
    if (played.type === 'hangup') return { end: 'no-recording', bytes: 0 };
    const rid = await call.leg.record({ name: `load-${call.leg.id}`, maxDurationMs: 10_000, maxSilenceMs: 1_000, beep: true, terminateOnHash: true });
    const rec = await tap.next('recording-finished');
    const wav = await call.leg.fetchRecording(rid);
    await call.leg.hangup();
    return { end: rec.end, bytes: wav.length };
  } catch (err) {
    // The caller may leave between two commands: the only acceptable failure is CHANNEL_GONE.
    if ((err as { code?: string }).code === 'TELEPHONY.CHANNEL_GONE') return { end: 'no-recording', bytes: 0 };
    throw err;
  }
}

describe('100 simultaneous calls through the ESL peer', () => {
  test('mixed outcomes, every call accounted for, no socket, listener or timer left behind', async () => {
    // Instant simulated time: it only moves when the event loop is idle, so a loaded machine cannot push a
    // recording past its limit (with a real-time scale a 200 ms stall would be 10 simulated seconds).
    const h = await startEslHarness({ inbound: true, timeScale: 0 });
    let closed = false;
    try {
    const kinds: Kind[] = ['silence', 'dtmf', 'hangup-record', 'hangup-playback'];
    const prompt = h.prompt;
    const flows: Promise<{ caller: string; end: string; bytes: number }>[] = [];
    let delivered = 0;
    const allDelivered = new Promise<void>((resolve) => {
      const take = (): void => {
        void h.nextCall().then((call) => {
          delivered++;
          flows.push(runFlow(call, prompt).then((r) => ({ caller: call.callerIdRaw, ...r })));
          if (delivered === N) resolve();
          else take();
        });
      };
      take();
    });
    const placed = Array.from({ length: N }, (_, i) => h.sim.placeCall(script(i, kinds[i % 4] as Kind)));
    await withTimeout(allDelivered, 60_000, `all ${N} calls to reach the engine`);
    const results = await withTimeout(Promise.all(flows), 60_000, `all ${N} call flows to finish`);
    const peer = await withTimeout(Promise.all(placed.map((p) => p.result)), 60_000, `all ${N} simulated callers to finish`);

    assert.equal(results.length, N);
    assert.equal(new Set(results.map((r) => r.caller)).size, N, 'each call delivered once, with its own caller ID');
    const byCaller = new Map(results.map((r) => [r.caller, r]));
    for (let i = 0; i < N; i++) {
      const kind = kinds[i % 4] as Kind;
      const r = byCaller.get(`+1512555${String(1000 + i).padStart(4, '0')}`);
      const expected = { silence: 'silence', dtmf: 'dtmf', 'hangup-record': 'hangup', 'hangup-playback': 'no-recording' }[kind];
      assert.equal(r?.end, expected, `call ${i} (${kind})`);
      if (expected !== 'no-recording') assert.ok((r?.bytes ?? 0) > 44, `call ${i} recording fetched`);
      assert.equal(peer[i]?.endedBy, kind.startsWith('hangup') ? 'caller' : 'app', `call ${i} ended by`);
    }

    // Leaks: the sockets close once each call has said `exit`; wait for the last closes to land.
    for (let i = 0; i < 200 && (h.engine.openSockets() > 0 || h.sim.activeCalls() > 0); i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal(h.engine.openSockets(), 0, 'no outbound socket left open in the engine');
    assert.equal(h.sim.activeCalls(), 0, 'no call left open in the peer');
    assert.equal(h.sim.openSockets(), 1, 'only the engine\'s inbound monitor connection remains');
    assert.equal(h.logger.records.filter((r) => r.level === 'error').length, 0, 'nothing logged at error level');
    await h.close();
    closed = true;
    assert.equal(h.sim.openSockets(), 0);
    assert.equal(h.engine.listeningAddress(), null, 'listener closed');
    // Timers: the engine's reconnect timer and the peer's scheduler are idle; the runner exiting is
    // the final check (a leaked interval or socket keeps the process alive).
    const resources = (): string[] => (process as unknown as { getActiveResourcesInfo(): string[] }).getActiveResourcesInfo();
    // A destroyed socket's handle is released on a later turn of the loop; give it a few.
    for (let i = 0; i < 50 && resources().some((r) => r.startsWith('TCP')); i++) await new Promise((r) => setTimeout(r, 10));
    const active = resources();
    assert.ok(!active.includes('TCPServerWrap'), `no listening server left: ${active.join(',')}`);
    assert.ok(active.filter((r) => r === 'TCPSocketWrap').length === 0, `no socket left: ${active.join(',')}`);
    } finally {
      if (!closed) await h.close();
    }
  });
});
