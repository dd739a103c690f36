/**
 * The Asterisk adapter against the ARI simulator, replaying the app side of each captured trace
 * (test/fixtures/asterisk/traces 01–07): the LegEvents the adapter emits and the REST calls it makes.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingCall } from '../../../src/domain/ports/call-engine.ts';
import { toneWav, wavToCallPcm } from '../../../src/sim/sim-wav.ts';
import { LegWatch } from '../../contract/call-engine-contract.ts';
import { startAriPair, type AriPair } from './ari-test-kit.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../../support/wait-for.ts';

const DID = '15551234567';

async function withPair(fn: (p: AriPair, next: () => Promise<{ call: IncomingCall; watch: LegWatch }>) => Promise<void>, timeScale = 0): Promise<void> {
  const p = await startAriPair({ timeScale });
  const queue: { call: IncomingCall; watch: LegWatch }[] = [];
  const waiters: ((x: { call: IncomingCall; watch: LegWatch }) => void)[] = [];
  await p.engine.start((call) => {
    const item = { call, watch: new LegWatch(call.leg) };
    const w = waiters.shift();
    if (w) w(item);
    else queue.push(item);
  });
  try {
    await fn(p, () => (queue.length ? Promise.resolve(queue.shift()!) : withTimeout(new Promise((r) => waiters.push(r)), DEFAULT_WAIT_MS, 'the next call to reach the engine')));
  } finally {
    await p.close();
  }
}

/** REST calls the adapter made to a channel, as `METHOD /suffix`. */
function channelCalls(p: AriPair, channelId: string): string[] {
  const prefix = `/ari/channels/${channelId}`;
  return p.sim.requests.filter((r) => r.path.startsWith(prefix)).map((r) => `${r.method} ${r.path.slice(prefix.length) || '/'}`);
}

function types(w: LegWatch): string[] {
  return w.events.map((e) => (e.type === 'playback-finished' ? `playback:${e.outcome}` : e.type === 'recording-finished' ? `recording:${e.end}` : e.type === 'dtmf' ? `dtmf:${e.digit}` : `hangup:${e.cause}`));
}

describe('ARI adapter replays the captured traces', () => {
  test('01 happy path: answer, greeting, record ending on silence, goodbye, hangup, then fetch and delete the file', () =>
    withPair(async (p, next) => {
      const peer = p.sim.placeCall({ caller: '+15550001', callerName: 'Caller 1', dialed: DID, says: [toneWav(2000)] });
      const { call, watch } = await next();
      assert.equal(call.dialed, DID);
      await call.leg.answer();
      const hello = await call.leg.play(await p.prompt('hello-world', 1400));
      await watch.waitFor('playback-finished', (e) => e.playbackId === hello);
      const rec = await call.leg.record({ name: 'cap-happy', maxDurationMs: 5000, maxSilenceMs: 2000, beep: true, terminateOnHash: true });
      const fin = await watch.waitFor('recording-finished');
      assert.equal(fin.recordingId, rec);
      assert.equal(fin.end, 'silence');
      assert.equal(fin.durationMs, 2000, 'whole seconds, trailing silence trimmed (trace 01: duration 2)');
      const bye = await call.leg.play(await p.prompt('vm-goodbye', 860));
      await watch.waitFor('playback-finished', (e) => e.playbackId === bye);
      await call.leg.hangup();
      await watch.waitFor('hangup');
      assert.deepEqual(types(watch), ['playback:done', 'recording:silence', 'playback:done', 'hangup:app']);
      assert.equal((await peer.result).endedBy, 'app');

      const wav = await call.leg.fetchRecording(rec);
      assert.ok(Math.abs(wavToCallPcm(wav).length / 8 - 2000) < 50, 'the file holds the 2 s the caller said, no trailing silence');
      assert.deepEqual(p.sim.storedRecordingNames(), [], 'the Asterisk copy is deleted after the fetch');

      assert.deepEqual(channelCalls(p, call.leg.id), ['POST /answer', 'POST /play', 'POST /record', 'POST /play', 'DELETE /']);
      const record = p.sim.requests.find((r) => r.path.endsWith('/record'))!;
      assert.deepEqual(record.query, {
        name: rec, format: 'wav', maxDurationSeconds: '5', maxSilenceSeconds: '2', ifExists: 'overwrite', beep: 'true', terminateOn: '#',
      });
      const play = p.sim.requests.find((r) => r.path.endsWith('/play'))!;
      assert.equal(play.query['media'], `sound:${p.promptsDir}/hello-world`);
      assert.match(play.query['playbackId'] ?? '', /^ck-/);
      const tail = p.sim.requests.slice(-2).map((r) => `${r.method} ${r.path}`);
      assert.deepEqual(tail, [`GET /ari/recordings/stored/${rec}/file`, `DELETE /ari/recordings/stored/${rec}`]);
      assert.ok(!p.logs.some((l) => l.msg.includes('5550001')), 'no phone number in a log message');
    }));

  test('02 caller hangs up during a playback: PlaybackFinished failed, then the hangup, and no REST afterwards', () =>
    withPair(async (p, next) => {
      const peer = p.sim.placeCall({ caller: '+15550001', dialed: DID, script: [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'hangup', afterMs: 5000 }] }] });
      const { call, watch } = await next();
      await call.leg.answer();
      const id = await call.leg.play(await p.prompt('vm-options', 60_000));
      await watch.waitFor('hangup');
      assert.deepEqual(types(watch), ['playback:failed', 'hangup:caller']);
      assert.equal((watch.events[0] as { playbackId: string }).playbackId, id);
      const before = p.sim.requests.length;
      await call.leg.hangup();
      await call.leg.stopPlayback(id);
      assert.equal(p.sim.requests.length, before, 'an ended leg does not call Asterisk again');
      assert.equal((await peer.result).endedBy, 'caller');
    }));

  test('03 caller hangs up during a recording: RecordingFinished ends it, the file is kept and fetched', () =>
    withPair(async (p, next) => {
      p.sim.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(7000) }, { act: 'hangup', afterMs: 4000 }] }],
      });
      const { call, watch } = await next();
      await call.leg.answer();
      const rec = await call.leg.record({ name: 'cap-rechangup', maxDurationMs: 30_000, maxSilenceMs: 10_000, beep: true, terminateOnHash: true });
      await watch.waitFor('hangup');
      assert.deepEqual(types(watch), ['recording:hangup', 'hangup:caller']);
      const wav = await call.leg.fetchRecording(rec);
      assert.ok(Math.abs(wavToCallPcm(wav).length / 8 - 4000) < 50, 'audio up to the hangup');
    }));

  test('an answer that waits for speech: TALK_DETECT set, Record told to wait 5 s, stopped when the caller stops talking, TALK_DETECT removed', () =>
    withPair(async (p, next) => {
      p.sim.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(800), afterMs: 3000 }] }],
      });
      const { call, watch } = await next();
      await call.leg.answer();
      const rec = await call.leg.record({ name: 'answer', maxDurationMs: 10_000, maxSilenceMs: 1500, speechStartTimeoutMs: 5000, beep: false, terminateOnHash: false });
      const fin = await watch.waitFor('recording-finished', (e) => e.recordingId === rec);
      assert.equal(fin.end, 'silence', 'stopped by the leg after TALK_DETECT, reported as the silence that ended the answer');
      await waitFor(() => p.sim.requests.filter((r) => r.path.endsWith('/variable')).length === 2, { what: 'TALK_DETECT(remove) after the recording' });
      const vars = p.sim.requests.filter((r) => r.path.endsWith('/variable')).map((r) => `${r.query['variable']}=${r.query['value'] ?? ''}`);
      assert.deepEqual(vars, ['TALK_DETECT(set)=1500', 'TALK_DETECT(remove)=']);
      const record = p.sim.requests.find((r) => r.path.endsWith('/record'));
      assert.equal(record?.query['maxSilenceSeconds'], '5', 'Record\'s own silence limit is the time to start speaking');
      assert.ok(p.sim.requests.some((r) => r.method === 'POST' && r.path === `/ari/recordings/live/${rec}/stop`), 'the leg stopped the recording');
      const talk = p.sim.events.map((e) => e.data['type']).filter((t) => String(t).startsWith('ChannelTalking'));
      // The start-up burst on the silent line (ignored: shorter than a word), then the answer.
      assert.deepEqual(talk, ['ChannelTalkingStarted', 'ChannelTalkingFinished', 'ChannelTalkingStarted', 'ChannelTalkingFinished']);
      const wav = await call.leg.fetchRecording(rec);
      assert.ok(wavToCallPcm(wav).length / 8 >= 3800, 'the pause and the answer are in the recording');
      await call.leg.hangup();
    }));

  test('04 DTMF during a recording: 1 is reported and the recording goes on; # ends it', () =>
    withPair(async (p, next) => {
      p.sim.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{
          when: { on: 'recording-started', nth: 1 },
          do: [{ act: 'speak', wav: toneWav(6000) }, { act: 'dtmf', digit: '1', afterMs: 2500 }, { act: 'dtmf', digit: '#', afterMs: 4500 }],
        }],
      });
      const { call, watch } = await next();
      await call.leg.answer();
      await call.leg.record({ name: 'cap-dtmf', maxDurationMs: 15_000, maxSilenceMs: 0, beep: true, terminateOnHash: true });
      const fin = await watch.waitFor('recording-finished');
      assert.equal(fin.durationMs, 4000);
      assert.deepEqual(types(watch), ['dtmf:1', 'dtmf:#', 'recording:dtmf']);
      await call.leg.hangup();
    }));

  test('05 errors: a missing prompt fails, answering twice is fine, a gone channel is CHANNEL_GONE', () =>
    withPair(async (p, next) => {
      p.sim.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await next();
      await call.leg.answer();
      await call.leg.answer();
      const id = await call.leg.play({ file: `${p.promptsDir}/does-not-exist.wav` });
      assert.equal((await watch.waitFor('playback-finished', (e) => e.playbackId === id)).outcome, 'failed');
      await call.leg.hangup();
      await watch.waitFor('hangup');
      await assert.rejects(call.leg.record({ name: 'dead', maxDurationMs: 1000, maxSilenceMs: 0, beep: false, terminateOnHash: false }), { code: 'TELEPHONY.CHANNEL_GONE' });
      await assert.rejects(call.leg.fetchRecording('callkeeper-never-made'), (e: { code?: string; details?: Record<string, unknown> }) => e.code === 'TELEPHONY.REQUEST_FAILED' && e.details?.['notFound'] === true);
    }));

  test('06 two concurrent calls: separate channel ids, interleaved REST, both recordings end at max duration', () =>
    withPair(async (p, next) => {
      p.sim.placeCall({ caller: '+15550001', dialed: DID, says: [toneWav(10_000)] });
      p.sim.placeCall({ caller: '+15550002', dialed: DID, says: [toneWav(10_000)] });
      const calls = [await next(), await next()];
      assert.notEqual(calls[0]!.call.leg.id, calls[1]!.call.leg.id);
      await Promise.all(calls.map(async ({ call, watch }) => {
        await call.leg.answer();
        await call.leg.record({ name: `cap-conc-${call.leg.id}`, maxDurationMs: 3000, maxSilenceMs: 0, beep: false, terminateOnHash: false });
        const fin = await watch.waitFor('recording-finished');
        assert.equal(fin.end, 'max-duration');
        assert.equal(fin.durationMs, 3000);
        await call.leg.hangup();
        await watch.waitFor('hangup');
      }));
      assert.equal(p.engine.activeCalls(), 0);
    }));

  test('07 anonymous and odd caller ids come through exactly as Asterisk delivers them', () =>
    withPair(async (p, next) => {
      const table: [string, string, string | null][] = [
        ['Anonymous', 'anonymous', 'Anonymous'],
        ['', '', null],
        ["Alice O'Neil", 'alice.smith', "Alice O'Neil"],
        ['+1 (555) 010-9999', '+1-555-010-9999', '+1 (555) 010-9999'],
        ['', '5550100', null],
      ];
      for (const [name, number, expectedName] of table) {
        p.sim.placeCall({ caller: number, callerName: name, dialed: DID });
        const { call, watch } = await next();
        assert.equal(call.callerIdRaw, number);
        assert.equal(call.callerName, expectedName);
        await call.leg.answer();
        await call.leg.hangup();
        await watch.waitFor('hangup');
      }
    }));
});
