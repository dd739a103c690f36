import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../../../src/domain/errors.ts';
import { callPcmToWav, wavToCallPcm, toneWav } from '../../../src/sim/sim-wav.ts';
import { EventTap, startEslHarness, type EslHarness } from './esl-test-harness.ts';

const voice = toneWav(1200, 300);
const recordOpts = { name: 'msg-1', maxDurationMs: 10_000, maxSilenceMs: 2_000, beep: true, terminateOnHash: true };

describe('EslCallEngine against the ESL peer over TCP', () => {
  let h: EslHarness;
  before(async () => {
    h = await startEslHarness();
  });
  after(async () => {
    await h.close();
  });

  test('delivers caller ID, dialed number and UUID from the connect reply; sets up connect, myevents, linger', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550111', callerName: 'Zoë O\'Brien "QA" & Co. 100%', dialed: '+15125550100' });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    assert.equal(call.leg.id, placed.channelId);
    assert.equal(call.callerIdRaw, '+15125550111');
    assert.equal(call.callerName, 'Zoë O\'Brien "QA" & Co. 100%');
    assert.equal(call.dialed, '+15125550100');
    await call.leg.hangup();
    const result = await placed.result;
    assert.equal(result.endedBy, 'app');
    const lines = placed.channel.commands.map((c) => c.line);
    assert.deepEqual(lines.slice(0, 3), ['connect', 'myevents', 'linger']);
    assert.equal(lines.at(-1), 'exit', 'the lingering socket is released with exit');
    // One write per command: every command arrived whole, never line by line (modesl's 42 ms stall).
    assert.ok(placed.channel.commands.every((c) => c.raw.endsWith('\n\n')));
  });

  test('a withheld caller is delivered as anonymous', async () => {
    const placed = h.sim.placeCall({ caller: 'anonymous', dialed: '+15125550100' });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    assert.equal(call.callerIdRaw, 'anonymous');
    assert.equal(call.callerName, null);
    await call.leg.hangup();
    await placed.result;
  });

  test('answer, play to the end, record ending on silence, fetch the WAV from the mapped path, hang up', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550112', dialed: '+15125550100', says: [voice] });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const pid = await call.leg.play({ file: h.prompt });
    const played = await ev.next('playback-finished');
    assert.deepEqual(played, { type: 'playback-finished', playbackId: pid, outcome: 'done' });
    const rid = await call.leg.record(recordOpts);
    const rec = await ev.next('recording-finished');
    assert.equal(rec.recordingId, rid);
    assert.equal(rec.end, 'silence');
    assert.ok(rec.durationMs !== null && rec.durationMs >= 1200);
    const wav = await call.leg.fetchRecording(rid);
    const pcm = wavToCallPcm(wav);
    assert.ok(pcm.length >= 8000, 'the caller audio is in the file');
    assert.ok(pcm.slice(0, 4000).some((s) => Math.abs(s) > 1000), 'it starts with the caller speaking');
    await call.leg.hangup();
    assert.equal((await placed.result).endedBy, 'app');
    const hang = ev.all.filter((e) => e.type === 'hangup');
    assert.equal(hang.length, 1);
    assert.deepEqual(hang[0], { type: 'hangup', cause: 'NORMAL_CLEARING' });
    const rec2 = placed.channel.commands.find((c) => c.headers.get('execute-app-name') === 'record');
    assert.match(rec2?.headers.get('execute-app-arg') ?? '', /^\/fs-view\/recordings\/msg-1\.wav 10 200 2$/);
    const beep = placed.channel.commands.find((c) => (c.headers.get('execute-app-arg') ?? '').startsWith('tone_stream://'));
    assert.ok(beep, 'a beep is played before the recording');
  });

  test('an answer that waits for speech: RECORD_STOP subscribed, the record_session variables set, the bug ends on the silence after a late answer', async () => {
    const placed = h.sim.placeCall({
      caller: '+15125550113',
      dialed: '+15125550100',
      script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: voice, afterMs: 3000 }] }],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const rid = await call.leg.record({ name: 'answer-1', maxDurationMs: 10_000, maxSilenceMs: 1500, speechStartTimeoutMs: 5000, beep: false, terminateOnHash: false });
    const rec = await ev.next('recording-finished');
    assert.equal(rec.recordingId, rid);
    assert.equal(rec.end, 'silence');
    assert.equal(rec.durationMs, 5700, '3 s pause, 1.2 s answer, then the 1.5 s final timeout (the file keeps the silence)');
    const pcm = wavToCallPcm(await call.leg.fetchRecording(rid));
    const loud = (a: Int16Array): number => Math.max(...Array.from(a, (x) => Math.abs(x)));
    assert.ok(loud(pcm.slice(0, 24_000)) === 0 && loud(pcm.slice(24_000, 33_600)) > 1000, 'the pause, then the answer');
    const cmds = placed.channel.commands;
    assert.ok(cmds.some((c) => c.line === 'event plain RECORD_STOP'), 'RECORD_STOP is not in myevents: it is subscribed to');
    const sets = cmds.filter((c) => c.headers.get('execute-app-name') === 'set').map((c) => c.headers.get('execute-app-arg'));
    assert.deepEqual(sets.filter((v) => v?.startsWith('RECORD_')), ['RECORD_READ_ONLY=true', 'RECORD_SILENCE_THRESHOLD=200', 'RECORD_INITIAL_TIMEOUT_MS=5000', 'RECORD_FINAL_TIMEOUT_MS=1500']);
    const app = cmds.find((c) => c.headers.get('execute-app-name') === 'record_session');
    assert.equal(app?.headers.get('execute-app-arg'), '/fs-view/recordings/answer-1.wav +10');
    await call.leg.hangup();
    await placed.result;
  });

  test('record ends on max duration when the caller keeps talking', async () => {
    const long = toneWav(5000, 300);
    const placed = h.sim.placeCall({ caller: '+15125550113', dialed: '+15125550100', says: [long] });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const rid = await call.leg.record({ ...recordOpts, maxDurationMs: 2_000 });
    const rec = await ev.next('recording-finished');
    assert.equal(rec.recordingId, rid);
    assert.equal(rec.end, 'max-duration');
    assert.equal(rec.durationMs, 2640, 'FreeSWITCH overshoots the limit (whole-second check)');
    await call.leg.hangup();
    await placed.result;
  });

  test('the peer records only what the caller says after the record starts, not what was said over the prompt', async () => {
    // 2 s of audio whose every sample differs, begun 400 ms into the 1.5 s prompt: the caller talks over it.
    const ramp = new Int16Array(16_000).map((_, i) => 1000 + i);
    const placed = h.sim.placeCall({
      caller: '+15125550119',
      dialed: '+15125550100',
      script: [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'speak', wav: callPcmToWav(ramp), afterMs: 400 }] }],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    await call.leg.play({ file: h.prompt });
    await ev.next('playback-finished');
    const rid = await call.leg.record({ ...recordOpts, beep: false });
    assert.equal((await ev.next('recording-finished')).end, 'silence');
    const pcm = wavToCallPcm(await call.leg.fetchRecording(rid));
    const first = ramp.indexOf(pcm[0] ?? 0);
    // The record began after the prompt ended, so at least 1,100 ms (8,800 samples) into the utterance.
    assert.ok(first >= 8800, `the recording starts ${first} samples into the utterance, before the record started`);
    assert.deepEqual(pcm.subarray(0, ramp.length - first), ramp.subarray(first), 'then the rest of the utterance, in order');
    assert.ok(pcm.subarray(ramp.length - first).every((v) => v === 0), 'then only the silence that ended it');
    await call.leg.hangup();
    await placed.result;
  });

  test('# ends the recording (dtmf) and the digits arrive as dtmf events; other digits do not end it', async () => {
    const placed = h.sim.placeCall({
      caller: '+15125550114',
      dialed: '+15125550100',
      script: [
        { when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: voice }, { act: 'dtmf', digit: '1', afterMs: 100 }, { act: 'dtmf', digit: '#', afterMs: 500 }] },
      ],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    await call.leg.record({ ...recordOpts, maxSilenceMs: 0 });
    const rec = await ev.next('recording-finished');
    assert.equal(rec.end, 'dtmf');
    assert.deepEqual(
      ev.all.filter((e) => e.type === 'dtmf').map((e) => (e.type === 'dtmf' ? e.digit : '')),
      ['1', '#'],
    );
    assert.ok((await call.leg.fetchRecording(rec.recordingId)).length > 44);
    await call.leg.hangup();
    await placed.result;
  });

  test('# does not end a recording that does not terminate on hash', async () => {
    const placed = h.sim.placeCall({
      caller: '+15125550115',
      dialed: '+15125550100',
      script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'dtmf', digit: '#', afterMs: 100 }] }],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    await call.leg.record({ ...recordOpts, terminateOnHash: false, maxSilenceMs: 0, maxDurationMs: 1000 });
    const rec = await ev.next('recording-finished');
    assert.equal(rec.end, 'max-duration');
    const set = placed.channel.commands.find((c) => c.headers.get('execute-app-name') === 'set');
    assert.equal(set?.headers.get('execute-app-arg'), 'playback_terminators=none');
    await call.leg.hangup();
    await placed.result;
  });


  test('a missing prompt file finishes as failed (FILE NOT FOUND) and the call goes on', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550117', dialed: '+15125550100' });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const pid = await call.leg.play({ file: '/nonexistent/missing-file.wav' });
    assert.deepEqual(await ev.next('playback-finished'), { type: 'playback-finished', playbackId: pid, outcome: 'failed' });
    const pid2 = await call.leg.play({ file: h.prompt });
    assert.equal((await ev.next('playback-finished')).playbackId, pid2);
    await call.leg.hangup();
    await placed.result;
  });
});

describe('hangup in every state', () => {
  let h: EslHarness;
  before(async () => {
    h = await startEslHarness();
  });
  after(async () => {
    await h.close();
  });

  test('caller hangs up before the answer: answer() rejects with CHANNEL_GONE, one hangup event', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550120', dialed: '+15125550100', script: [{ when: { on: 'offered' }, do: [{ act: 'hangup' }] }] });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await assert.rejects(call.leg.answer(), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
    await placed.result;
    await new Promise((r) => setImmediate(r));
    assert.equal(ev.all.filter((e) => e.type === 'hangup').length, 1);
  });

  test('caller hangs up during playback: the playback reports stopped, then the hangup comes last', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550121', dialed: '+15125550100', script: [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'hangup', afterMs: 300 }] }] });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const pid = await call.leg.play({ file: h.prompt });
    await ev.next('playback-finished');
    assert.deepEqual(ev.all.map((e) => e.type), ['playback-finished', 'hangup'], 'nothing comes after the hangup');
    assert.deepEqual(ev.all[0], { type: 'playback-finished', playbackId: pid, outcome: 'stopped' });
    assert.equal((await placed.result).endedBy, 'caller');
    await assert.rejects(call.leg.play({ file: h.prompt }), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
    await call.leg.hangup(); // idempotent on an ended call
  });

  test('caller hangs up during recording: end is hangup and the partial file is kept', async () => {
    const placed = h.sim.placeCall({
      caller: '+15125550122',
      dialed: '+15125550100',
      script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: voice }, { act: 'hangup', afterMs: 1000 }] }],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const rid = await call.leg.record({ ...recordOpts, maxSilenceMs: 0, maxDurationMs: 30_000 });
    const rec = await ev.next('recording-finished');
    assert.equal(rec.end, 'hangup');
    assert.equal(rec.durationMs, 1000);
    assert.equal(wavToCallPcm(await call.leg.fetchRecording(rid)).length, 8000);
    await placed.result;
  });


});

/**
 * Real time (timeScale 1): here the application acts while a long playback or recording runs. With
 * the instant scheduler simulated time would jump to the end of that media as soon as the event loop
 * is idle between two TCP round trips. Nothing here waits for a media timer to fire.
 */
describe('while media runs (real-time peer)', () => {
  let h: EslHarness;
  before(async () => {
    h = await startEslHarness({ timeScale: 1 });
  });
  after(async () => {
    await h.close();
  });

  test('stopPlayback and stopRecording report stopped (FreeSWITCH itself still says FILE PLAYED)', async () => {
    const long = `${h.dir}/long.wav`;
    (await import('node:fs')).writeFileSync(long, toneWav(30_000, 500));
    const placed = h.sim.placeCall({
      caller: '+15125550116',
      dialed: '+15125550100',
      script: [
        { when: { on: 'playback-started', nth: 1 }, do: [] },
      ],
    });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const pid = await call.leg.play({ file: long });
    const finished = ev.next('playback-finished');
    await call.leg.stopPlayback(pid);
    assert.deepEqual(await finished, { type: 'playback-finished', playbackId: pid, outcome: 'stopped' });
    const rid = await call.leg.record({ ...recordOpts, maxSilenceMs: 0, maxDurationMs: 60_000, beep: false });
    const recDone = ev.next('recording-finished');
    await call.leg.stopRecording(rid);
    const rec = await recDone;
    assert.equal(rec.end, 'stopped');
    await call.leg.hangup();
    await placed.result;
  });

  test('the application hangs up while a recording runs', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550123', dialed: '+15125550100' });
    const call = await h.nextCall();
    const ev = new EventTap(call);
    await call.leg.answer();
    const rid = await call.leg.record({ ...recordOpts, maxSilenceMs: 0, maxDurationMs: 60_000 });
    const recDone = ev.next('recording-finished');
    await call.leg.hangup();
    const rec = await recDone;
    assert.equal(rec.recordingId, rid);
    assert.equal(rec.end, 'hangup');
    assert.equal((await placed.result).endedBy, 'app');
  });

  test('the ESL peer restarts: every call ends with a hangup, pending operations close', async () => {
    const a = h.sim.placeCall({ caller: '+15125550124', dialed: '+15125550100' });
    const callA = await h.nextCall();
    const evA = new EventTap(callA);
    const b = h.sim.placeCall({ caller: '+15125550125', dialed: '+15125550100' });
    const callB = await h.nextCall();
    const evB = new EventTap(callB);
    await callA.leg.answer();
    await callB.leg.answer();
    const long = `${h.dir}/long2.wav`;
    (await import('node:fs')).writeFileSync(long, toneWav(30_000, 500));
    const pid = await callA.leg.play({ file: long });
    const rid = await callB.leg.record({ ...recordOpts, maxSilenceMs: 0, maxDurationMs: 60_000 });
    const hungA = evA.next('playback-finished');
    const hungB = evB.next('recording-finished');
    await h.sim.restart();
    assert.deepEqual(await hungA, { type: 'playback-finished', playbackId: pid, outcome: 'stopped' });
    assert.deepEqual(await hungB, { type: 'recording-finished', recordingId: rid, end: 'hangup', durationMs: null });
    assert.deepEqual(evA.all.map((e) => e.type), ['playback-finished', 'hangup']);
    assert.deepEqual(evB.all.map((e) => e.type), ['recording-finished', 'hangup']);
    assert.equal((await a.result).endedBy, 'engine');
    assert.equal((await b.result).endedBy, 'engine');
    // A new call after the restart works.
    const c = h.sim.placeCall({ caller: '+15125550126', dialed: '+15125550100' });
    const callC = await h.nextCall();
    const evC = new EventTap(callC);
    await callC.leg.answer();
    await callC.leg.hangup();
    await c.result;
  });
});
