/**
 * The record beep on Asterisk (src/speech/beep-prompt.ts): ARI's `beep` option plays Asterisk's `beep` sound,
 * which an install without sound packages lacks, and the recording then fails. With callkeeper's own
 * beep prompt the adapter plays it first and records without ARI's beep.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toneWav } from '../../../src/sim/sim-wav.ts';
import { LegWatch } from '../../contract/call-engine-contract.ts';
import { startAriPair } from './ari-test-kit.ts';

async function recordOnce(ownBeep: boolean, beep: boolean) {
  const p = await startAriPair({}, { ownBeep });
  try {
    const calls: Array<Parameters<Parameters<typeof p.engine.start>[0]>[0]> = [];
    await p.engine.start((c) => void calls.push(c));
    p.sim.placeCall({ caller: '+15550001', dialed: '15551234567', says: [toneWav(1000)] });
    for (let i = 0; i < 200 && calls.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
    const call = calls[0];
    assert.ok(call, 'the call reached the adapter');
    const watch = new LegWatch(call.leg);
    await call.leg.answer();
    const rec = await call.leg.record({ name: 'msg', maxDurationMs: 5000, maxSilenceMs: 2000, beep, terminateOnHash: true });
    const fin = await watch.waitFor('recording-finished');
    assert.equal(fin.recordingId, rec);
    const prefix = `/ari/channels/${call.leg.id}`;
    const requests = p.sim.requests.filter((r) => r.path.startsWith(prefix));
    return { requests: requests.map((r) => ({ what: `${r.method} ${r.path.slice(prefix.length)}`, query: r.query })), events: watch.events, promptsDir: p.promptsDir };
  } finally {
    await p.close();
  }
}

test('with its own beep prompt, the adapter plays it and then records without ARI beep; the beep never shows as a leg event', async () => {
  const { requests, events, promptsDir } = await recordOnce(true, true);
  assert.deepEqual(requests.map((r) => r.what), ['POST /answer', 'POST /play', 'POST /record']);
  assert.equal(requests[1]!.query['media'], `sound:${promptsDir}/callkeeper-beep-800hz-300ms-8000`);
  assert.equal(requests[2]!.query['beep'], 'false');
  assert.deepEqual(events.map((e) => e.type), ['recording-finished']);
});

test('a recording that asks for no beep plays none', async () => {
  const { requests } = await recordOnce(true, false);
  assert.deepEqual(requests.map((r) => r.what), ['POST /answer', 'POST /record']);
  assert.equal(requests[1]!.query['beep'], 'false');
});

test('without a beep prompt the adapter keeps ARI beep (as before)', async () => {
  const { requests } = await recordOnce(false, true);
  assert.deepEqual(requests.map((r) => r.what), ['POST /answer', 'POST /record']);
  assert.equal(requests[1]!.query['beep'], 'true');
});
