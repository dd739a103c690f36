/**
 * The ARI simulator against the real captures: the same event shapes as Asterisk 22 (key order
 * included), the REST error table of trace 05, and the server details ari-client depends on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { locateApiDocs } from '../../../src/sim/ari/ari-sim-docs.ts';
import { AriSimulator } from '../../../src/sim/ari/ari-simulator.ts';
import { SimScheduler } from '../../../src/sim/sim-scheduler.ts';
import { callPcmToWav, toneWav, wavToCallPcm } from '../../../src/sim/sim-wav.ts';
import { onceWithin, waitFor, withTimeout } from '../../support/wait-for.ts';

/** The captured Asterisk 22 ARI traffic (test/fixtures/README.md). */
const trace = (file: string): string => readFileSync(new URL(`../../fixtures/asterisk/traces/${file}`, import.meta.url), 'utf8');
const AUTH = { Authorization: `Basic ${Buffer.from('callkeeper:secret').toString('base64')}` };

async function withSim(fn: (sim: AriSimulator, ws: WebSocket, events: Record<string, unknown>[]) => Promise<void>, timeScale = 0): Promise<void> {
  const sim = await AriSimulator.start({ username: 'callkeeper', password: 'secret', timeScale });
  const ws = new WebSocket(`${sim.url.replace('http', 'ws')}/ari/events?app=callkeeper&subscribeAll=false`, { headers: AUTH });
  const events: Record<string, unknown>[] = [];
  ws.on('message', (m) => events.push(JSON.parse(String(m)) as Record<string, unknown>));
  await onceWithin(ws, 'open', 10_000, 'the app websocket to open');
  try {
    await fn(sim, ws, events);
  } finally {
    ws.terminate();
    await sim.close();
  }
}

async function rest(sim: AriSimulator, method: string, path: string, headers: Record<string, string> = AUTH, body?: string) {
  const res = await fetch(`${sim.url}/ari${path}`, { method, headers: { ...headers, ...(body ? { 'Content-Type': 'application/json' } : {}) }, body });
  const text = await res.text();
  return { status: res.status, text, json: text && res.headers.get('content-type') === 'application/json' ? (JSON.parse(text) as Record<string, unknown>) : null, headers: res.headers };
}

function traceKeyOrders(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const f of ['01-happy-path.jsonl', '02-caller-hangup-during-playback.jsonl', '04-dtmf-during-recording.jsonl']) {
    for (const line of trace(f).split('\n').filter(Boolean)) {
      const o = JSON.parse(line) as { dir: string; data?: Record<string, unknown> };
      if (o.dir !== 'event' || !o.data) continue;
      const type = String(o.data['type']);
      const key = type === 'ChannelHangupRequest' ? `${type}:${'cause' in o.data}` : type;
      if (!out.has(key)) out.set(key, Object.keys(o.data));
    }
  }
  return out;
}

describe('ARI simulator fidelity', () => {
  test('events carry the same fields in the same order as the captured Asterisk events', () =>
    withSim(async (sim, _ws, events) => {
      const expected = traceKeyOrders();
      const call = sim.placeCall({
        caller: '+15550001',
        callerName: 'Caller 1',
        dialed: '15551234567',
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(500) }, { act: 'dtmf', digit: '1' }] }],
      });
      const id = call.channelId!;
      await rest(sim, 'POST', `/channels/${id}/answer`);
      await rest(sim, 'POST', `/channels/${id}/play?media=sound:hello-world,sound:vm-goodbye`);
      await waitFor(() => events.filter((e) => e['type'] === 'PlaybackFinished').length === 1, { what: 'PlaybackFinished' });
      await rest(sim, 'POST', `/channels/${id}/record?name=r1&format=wav&maxSilenceSeconds=1&maxDurationSeconds=5`);
      await waitFor(() => events.some((e) => e['type'] === 'RecordingFinished'), { what: 'RecordingFinished' });
      await rest(sim, 'DELETE', `/channels/${id}`);
      await waitFor(() => events.some((e) => e['type'] === 'StasisEnd'), { what: 'StasisEnd' });
      const seen = new Set<string>();
      for (const e of events) {
        const type = String(e['type']);
        const key = type === 'ChannelHangupRequest' ? `${type}:${'cause' in e}` : type;
        const want = expected.get(key);
        if (!want) continue;
        seen.add(key);
        assert.deepEqual(Object.keys(e), want, key);
        if (e['channel']) assert.deepEqual(Object.keys(e['channel'] as object), Object.keys((JSON.parse(trace('01-happy-path.jsonl').split('\n')[1]!) as { data: { channel: object } }).data.channel));
      }
      for (const k of ['StasisStart', 'ChannelStateChange', 'PlaybackStarted', 'PlaybackContinuing', 'PlaybackFinished', 'RecordingStarted', 'RecordingFinished', 'ChannelDtmfReceived', 'ChannelVarset', 'ChannelHangupRequest:true', 'StasisEnd']) {
        assert.ok(seen.has(k), `compared ${k}`);
      }
      assert.equal(events.at(-1)?.['type'], 'StasisEnd', 'StasisEnd is last; no ChannelDestroyed with subscribeAll=false');
      assert.ok(!events.some((e) => e['type'] === 'ChannelDestroyed'));
    }));

  test('REST errors as in trace 05: statuses and {"message"} bodies', () =>
    withSim(async (sim) => {
      const id = sim.placeCall({ caller: '+15550001', dialed: '15551234567' }).channelId!;
      const c = `/channels/${id}`;
      const rows: [string, string, number, string | null][] = [
        ['POST', `${c}/answer`, 204, null],
        ['POST', `${c}/answer`, 204, null],
        ['POST', `${c}/play`, 500, 'Failed to queue media for playback'],
        ['POST', `${c}/play?media=sound:beep&skipms=-1`, 400, 'skipms cannot be negative'],
        ['POST', `${c}/record?format=wav`, 500, 'Error parsing request'],
        ['POST', `${c}/record?name=x1&format=nosuchformat`, 422, 'specified format is unknown on this system'],
        ['POST', `${c}/record?name=x2&format=wav&maxDurationSeconds=-1`, 400, 'max_duration_seconds cannot be negative'],
        ['POST', `${c}/record?name=x3&format=wav&terminateOn=x`, 400, 'terminateOn invalid'],
        ['POST', `${c}/record?name=x4&format=wav&ifExists=bogus`, 400, 'ifExists invalid'],
        ['POST', `${c}/record?name=../../../tmp/evil&format=wav`, 400, 'Recording name invalid'],
        ['POST', `${c}/record?name=dup&format=wav&maxDurationSeconds=10&ifExists=fail`, 201, null],
        ['POST', `/recordings/live/dup/stop`, 204, null],
        ['POST', `${c}/record?name=dup&format=wav&maxDurationSeconds=10&ifExists=fail`, 409, "Recording 'dup' already exists and can not be overwritten"],
        ['DELETE', `/recordings/stored/dup`, 204, null],
        ['GET', `/playbacks/no-such-playback`, 404, 'Playback not found'],
        ['GET', `/recordings/live/no-such-recording`, 404, 'Recording not found'],
        ['DELETE', `/recordings/stored/no-such-recording`, 404, 'Recording not found'],
        ['GET', `/nonexistent`, 404, 'Resource not found'],
        ['DELETE', `${c}?reason=bogus`, 400, 'Invalid reason for hangup reason provided'],
        ['DELETE', c, 204, null],
        ['POST', `${c}/answer`, 404, 'Channel not found'],
        ['POST', `${c}/play?media=sound:hello-world`, 404, 'Channel not found'],
        ['GET', c, 404, 'Channel not found'],
        ['DELETE', c, 404, 'Channel not found'],
      ];
      for (const [method, path, status, message] of rows) {
        const r = await rest(sim, method, path);
        assert.equal(r.status, status, `${method} ${path}`);
        if (message) assert.deepEqual(r.json, { message }, `${method} ${path}`);
        else if (status === 204) assert.equal(r.headers.get('content-type'), null);
      }
      const put = await rest(sim, 'PUT', '/channels');
      assert.equal(put.status, 405);
      assert.equal(put.headers.get('allow'), 'OPTIONS,GET');
      const noAuth = await rest(sim, 'GET', '/channels', {});
      assert.equal(noAuth.status, 401);
      assert.equal(noAuth.headers.get('www-authenticate'), 'Basic realm="Asterisk REST Interface"');
      const jsonBody = await rest(sim, 'POST', `/channels/${sim.placeCall({ caller: '1', dialed: '2' }).channelId}/play`, AUTH, '{"media":"sound:beep"}');
      assert.equal(jsonBody.status, 201, 'JSON bodies work like query parameters');
      const badBody = await rest(sim, 'POST', `/channels/x/play`, AUTH, '{"media":');
      assert.equal(badBody.status, 400);
    }, 1)); // real time: the 10 s recording must still be running when it is stopped

  test('serves the Swagger documents with basePath set to the address the client used', () =>
    withSim(async (sim) => {
      const index = await rest(sim, 'GET', '/api-docs/resources.json', {});
      assert.equal(index.json?.['swaggerVersion'], '1.2'.replace('2', '1'));
      assert.equal(index.json?.['basePath'], `${sim.url}/ari`);
      const channels = await rest(sim, 'GET', '/api-docs/channels.json', {});
      assert.equal(channels.json?.['basePath'], `${sim.url}/ari`);
      assert.ok(Array.isArray(channels.json?.['apis']));
    }));

  test('the Swagger documents are the in-repo copy, the index Asterisk served in trace 00, every resource present', () =>
    withSim(async (sim) => {
      assert.equal(locateApiDocs(), fileURLToPath(new URL('../../../src/sim/ari/api-docs', import.meta.url)));
      const lines = trace('00-server-info.jsonl').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { dir: string; id?: number; path?: string; body?: Record<string, unknown> });
      const asked = lines.find((l) => l.dir === 'request' && l.path === '/ari/api-docs/resources.json');
      const captured = lines.find((l) => l.dir === 'response' && l.id === asked?.id)?.body;
      assert.ok(captured, 'trace 00 has the resources.json response');
      const index = (await rest(sim, 'GET', '/api-docs/resources.json', {})).json!;
      assert.deepEqual({ ...index, basePath: null }, { ...captured, basePath: null });
      const names = (index['apis'] as { path: string }[]).map((a) => /\/api-docs\/(\w+)\.\{format\}/.exec(a.path)?.[1]);
      assert.equal(names.length, 11);
      for (const name of names) {
        const doc = await rest(sim, 'GET', `/api-docs/${name}.json`, {});
        assert.equal(doc.status, 200, `${name}.json`);
        assert.equal(doc.json?.['resourcePath'], `/api-docs/${name}.{format}`, `${name}.json resourcePath`);
      }
    }));

  test('a hangup during a recording keeps the file with the caller\'s audio up to the hangup', () =>
    withSim(async (sim, _ws, events) => {
      const call = sim.placeCall({
        caller: '+15550001',
        dialed: '1',
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(3000) }, { act: 'hangup', afterMs: 2000 }] }],
      });
      await rest(sim, 'POST', `/channels/${call.channelId}/answer`);
      await rest(sim, 'POST', `/channels/${call.channelId}/record?name=keep&format=wav&maxSilenceSeconds=5&maxDurationSeconds=30`);
      assert.equal((await call.result).endedBy, 'caller');
      await waitFor(() => events.some((e) => e['type'] === 'StasisEnd'), { what: 'StasisEnd' });
      const tail = events.slice(-3).map((e) => e['type']);
      assert.deepEqual(tail, ['ChannelHangupRequest', 'RecordingFinished', 'StasisEnd']);
      const file = await fetch(`${sim.url}/ari/recordings/stored/keep/file`, { headers: AUTH });
      assert.equal(file.headers.get('content-type'), 'audio/wav');
      assert.equal(wavToCallPcm(Buffer.from(await file.arrayBuffer())).length, 16000);
    }));

  test('TALK_DETECT set through POST variable: a start-up burst on a silent line, then ChannelTalkingStarted when the caller speaks and ChannelTalkingFinished with the talk duration after the silence threshold', () =>
    withSim(async (sim, _ws, events) => {
      const call = sim.placeCall({
        caller: '+15550001',
        dialed: '1',
        script: [{ when: { on: 'answered' }, do: [{ act: 'speak', wav: toneWav(1000), afterMs: 3000 }] }],
      });
      assert.equal((await rest(sim, 'POST', `/channels/${call.channelId}/variable?value=1500`)).status, 400, 'the variable name is required');
      // Set before the answer: the caller's script starts at the answer, and instant time would otherwise run past it.
      assert.equal((await rest(sim, 'POST', `/channels/${call.channelId}/variable?variable=TALK_DETECT(set)&value=1500`)).status, 204);
      await rest(sim, 'POST', `/channels/${call.channelId}/answer`);
      await waitFor(() => events.filter((e) => e['type'] === 'ChannelTalkingFinished').length === 2, { what: 'two ChannelTalkingFinished' });
      const talk = events.filter((e) => String(e['type']).startsWith('ChannelTalking'));
      assert.deepEqual(talk.map((e) => e['type']), ['ChannelTalkingStarted', 'ChannelTalkingFinished', 'ChannelTalkingStarted', 'ChannelTalkingFinished']);
      // The shapes of api-docs events.json; the blob's `duration` leads, as the variable fields of ChannelVarset do in the traces.
      assert.deepEqual(Object.keys(talk[0]!), ['type', 'timestamp', 'channel', 'asterisk_id', 'application']);
      assert.deepEqual(Object.keys(talk[1]!), ['duration', 'type', 'timestamp', 'channel', 'asterisk_id', 'application']);
      assert.equal(talk[1]!['duration'], -20, 'the start-up burst on a silent line (one frame short of the threshold)');
      assert.equal(talk[3]!['duration'], 1000, 'talking lasted the 1 s utterance');
      assert.equal((talk[3]!['channel'] as { id: string }).id, call.channelId);
      assert.equal((await rest(sim, 'POST', `/channels/${call.channelId}/variable?variable=TALK_DETECT(remove)`)).status, 204);
      assert.equal((await rest(sim, 'POST', `/channels/${call.channelId}/variable?variable=TALK_DETECT(remove)`)).status, 500, 'removing it twice fails, as the function write does');
      await rest(sim, 'DELETE', `/channels/${call.channelId}`);
    }));

  test('dropping the app socket with 1006 closes it without a close frame', () =>
    withSim(async (sim, ws) => {
      const closed = onceWithin(ws, 'close', 10_000, 'the app websocket to close');
      await sim.dropAppConnections(1006);
      assert.equal((await closed)[0], 1006);
    }));
});

/** 2 s of caller audio whose every sample is different, so a recording shows which part of it it holds. */
function rampVoice(): { wav: Buffer; pcm: Int16Array } {
  const pcm = new Int16Array(16_000);
  for (let i = 0; i < pcm.length; i++) pcm[i] = 1000 + i;
  return { wav: callPcmToWav(pcm), pcm };
}

/** Blocks this thread as a descheduled process on a loaded machine would be (no CPU burnt). */
function stall(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

async function storedPcm(sim: AriSimulator, name: string): Promise<Int16Array> {
  const file = await fetch(`${sim.url}/ari/recordings/stored/${name}/file`, { headers: AUTH });
  assert.equal(file.status, 200, `recording ${name} is stored`);
  return wavToCallPcm(Buffer.from(await file.arrayBuffer()));
}

describe('a recording holds what the caller said after it started, whatever the load', () => {
  test('a record started after the caller began speaking holds only the part said after it started', () =>
    withSim(async (sim, _ws, events) => {
      const voice = rampVoice();
      // The caller talks over the prompt: 400 ms into the 1,400 ms prompt, for 2 s. The app records once the prompt has ended.
      const call = sim.placeCall({
        caller: '+15550001',
        dialed: '1',
        script: [{ when: { on: 'playback-started', nth: 1 }, do: [{ act: 'speak', wav: voice.wav, afterMs: 400 }] }],
      });
      sim.putStoredRecording('prompt', toneWav(1400));
      await rest(sim, 'POST', `/channels/${call.channelId}/answer`);
      await rest(sim, 'POST', `/channels/${call.channelId}/play?media=recording:prompt`);
      await waitFor(() => events.some((e) => e['type'] === 'PlaybackFinished'), { what: 'PlaybackFinished' });
      await rest(sim, 'POST', `/channels/${call.channelId}/record?name=late&format=wav&maxSilenceSeconds=1&maxDurationSeconds=10`);
      await waitFor(() => events.some((e) => e['type'] === 'RecordingFinished'), { what: 'RecordingFinished' });
      const pcm = await storedPcm(sim, 'late');
      // Started 1,000 ms into the utterance: the last 1,000 ms (8,000 samples), nothing from before.
      assert.equal(pcm.length, 8000);
      assert.deepEqual(pcm, voice.pcm.subarray(8000));
      await rest(sim, 'DELETE', `/channels/${call.channelId}`);
    }));

  test('a reply scripted for the recording start is all in the recording even when the simulator stalls as it starts', () =>
    // Demo speed (20x): a 300 ms stall of the process is 6 simulated seconds, past the 1 s silence limit.
    withSim(async (sim, _ws, events) => {
      const voice = rampVoice();
      const call = sim.placeCall({ caller: '+15550001', dialed: '1', says: [voice.wav] });
      const off = sim.onEvent((e) => {
        if (e['type'] === 'RecordingStarted') stall(300);
      });
      await rest(sim, 'POST', `/channels/${call.channelId}/answer`);
      await rest(sim, 'POST', `/channels/${call.channelId}/record?name=slow&format=wav&maxSilenceSeconds=1&maxDurationSeconds=10`);
      await waitFor(() => events.some((e) => e['type'] === 'RecordingFinished'), { what: 'RecordingFinished' });
      off();
      const finished = events.find((e) => e['type'] === 'RecordingFinished') as { recording: { duration: number } };
      assert.equal(finished.recording.duration, 2, 'it ended on the silence after the 2 s reply, not before the reply');
      assert.deepEqual(await storedPcm(sim, 'slow'), voice.pcm, 'the whole reply, from the first sample, with no silence before it');
      await rest(sim, 'DELETE', `/channels/${call.channelId}`);
    }, 0.05));
});

describe('simulator building blocks', () => {
  test('instant scheduler runs timers in simulated-time order, not in the order they were set', async () => {
    const s = new SimScheduler(0);
    const order: string[] = [];
    s.after(1400, () => order.push('playback done'));
    s.after(500, () => order.push('caller hangs up'));
    s.after(500, () => order.push('same time, set later'));
    await withTimeout(new Promise<void>((r) => s.after(10_000, r)), 10_000, 'the instant scheduler to reach 10 s of simulated time');
    assert.deepEqual(order, ['caller hangs up', 'same time, set later', 'playback done']);
    assert.equal(s.now(), 10_000);
    s.close();
  });

  test('a timescaled scheduler keeps simulated time still within a turn and runs each timer at its due time', async () => {
    const s = new SimScheduler(0.05);
    const start = s.now();
    stall(100); // 2 simulated seconds on the wall clock
    assert.equal(s.now(), start, 'time does not move inside one turn of work');
    const seen = await withTimeout(
      new Promise<number[]>((resolve) =>
        s.after(500, () => {
          const first = s.now();
          stall(100);
          resolve([first, s.now()]);
        }),
      ),
      10_000,
      'the timer to fire',
    );
    assert.deepEqual(seen, [start + 500, start + 500], 'the callback runs at its due time, however late and slowly it runs');
    s.close();
  });

  test('a timescaled scheduler reads whole milliseconds, so a duration between two of its times is exact', async () => {
    // fractional times once made a 2 s recording last 1.9999999999999998 s, floored to 1 (the "stalls as it starts" test)
    const s = new SimScheduler(0.05);
    const seen: number[] = [];
    for (let i = 0; i < 20; i++) {
      await new Promise((r) => setTimeout(r, 1 + (i % 3)));
      seen.push(s.now());
    }
    assert.deepEqual(seen.filter((t) => !Number.isInteger(t)), [], `times read: ${seen.join(', ')}`);
    s.close();
  });

  test('WAVs at other rates and with two channels become 8 kHz mono', () => {
    const mono8k = wavToCallPcm(toneWav(1000));
    const stereo16k = Buffer.alloc(44 + 16000 * 4);
    stereo16k.write('RIFF', 0, 'ascii');
    stereo16k.writeUInt32LE(36 + 64000, 4);
    stereo16k.write('WAVEfmt ', 8, 'ascii');
    stereo16k.writeUInt32LE(16, 16);
    stereo16k.writeUInt16LE(1, 20);
    stereo16k.writeUInt16LE(2, 22);
    stereo16k.writeUInt32LE(16000, 24);
    stereo16k.writeUInt32LE(64000, 28);
    stereo16k.writeUInt16LE(4, 32);
    stereo16k.writeUInt16LE(16, 34);
    stereo16k.write('data', 36, 'ascii');
    stereo16k.writeUInt32LE(64000, 40);
    assert.equal(mono8k.length, 8000);
    assert.equal(wavToCallPcm(stereo16k).length, 8000);
    assert.deepEqual(wavToCallPcm(callPcmToWav(mono8k)), mono8k);
  });
});
