/**
 * The ESL peer's `record_session` media bug, driven by a raw outbound-socket client (bytes on the
 * wire, no adapter): RECORD_STOP reaches only a socket that subscribed to it (`myevents` does not
 * cover it), the initial timeout ends a silent recording, the final timeout ends it after speech, a
 * hangup closes it after CHANNEL_HANGUP with the partial file kept.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { ScriptedCall } from '../../../src/sim/caller-script.ts';
import { EslSim } from '../../../src/sim/esl/esl-sim.ts';
import { toneWav, wavToCallPcm } from '../../../src/sim/sim-wav.ts';
import { withTimeout } from '../../support/wait-for.ts';

/** One outbound socket as a bare application sees it: what it sent, and the text of every frame received. */
class RawApp {
  text = '';
  private waiters: (() => void)[] = [];
  constructor(readonly socket: Socket) {
    socket.on('data', (b: Buffer) => {
      this.text += b.toString('utf8');
      for (const w of this.waiters.splice(0)) w();
    });
  }

  send(line: string, headers: Record<string, string> = {}): void {
    this.socket.write(`${line}\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\n`).join('')}\n`);
  }

  execute(app: string, arg: string): void {
    this.send('sendmsg', { 'call-command': 'execute', 'execute-app-name': app, 'execute-app-arg': arg });
  }

  /** Resolves once the received text matches `re` (bounded). */
  async until(re: RegExp, what: string): Promise<void> {
    const seen = new Promise<void>((resolve) => {
      const check = (): void => (re.test(this.text) ? resolve() : void this.waiters.push(check));
      check();
    });
    await withTimeout(seen, 10_000, what);
  }
}

describe('ESL peer: record_session', () => {
  let dir: string;
  let sim: EslSim;
  let server: Server;
  const accepted: ((s: Socket) => void)[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-esl-bug-'));
    sim = new EslSim({ timeScale: 0 });
    await sim.start();
    server = createServer((s) => accepted.shift()?.(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const a = server.address();
    if (!a || typeof a !== 'object') throw new Error('no port');
    sim.setOutbound({ host: '127.0.0.1', port: a.port });
  });
  after(async () => {
    await sim.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function call(script: ScriptedCall['script'], subscribe: boolean): Promise<{ app: RawApp; result: Promise<unknown>; path: string }> {
    const socket = withTimeout(new Promise<Socket>((resolve) => accepted.push(resolve)), 10_000, 'the outbound connection');
    const placed = sim.placeCall({ caller: '+15125550131', dialed: '+15125550100', script: script ?? [] });
    const app = new RawApp(await socket);
    app.send('connect');
    app.send('myevents');
    app.send('linger');
    if (subscribe) app.send('event plain RECORD_STOP');
    app.execute('answer', '');
    const path = join(dir, `${placed.channelId}.wav`);
    for (const v of ['RECORD_READ_ONLY=true', 'RECORD_INITIAL_TIMEOUT_MS=5000', 'RECORD_FINAL_TIMEOUT_MS=1500']) app.execute('set', v);
    app.execute('record_session', `${path} +10`);
    return { app, result: placed.result, path };
  }

  test('a caller who pauses 3 s, then answers: the bug ends 1.5 s after the answer, success-silence, RECORD_STOP to the subscriber', async () => {
    const { app, path } = await call([{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(1000), afterMs: 3000 }] }], true);
    await app.until(/Event-Name: RECORD_STOP/, 'RECORD_STOP');
    const stop = app.text.slice(app.text.indexOf('Event-Name: RECORD_STOP'));
    assert.match(stop, /Record-Completion-Cause: success-silence/);
    assert.match(stop, /variable_record_ms: 5500/);
    assert.ok(stop.includes(`Record-File-Path: ${path}\n`), 'the file path (`/`, `-`, `.` are not URL-encoded)');
    const pcm = wavToCallPcm(readFileSync(path));
    assert.equal(pcm.length, 44_000, 'the file keeps the pause and the trailing silence');
    app.execute('hangup', '');
    await app.until(/Content-Disposition: linger/, 'the linger notice');
    app.send('exit');
  });

  test('nobody speaks: the initial timeout ends it with no-input-timeout', async () => {
    const { app } = await call([], true);
    await app.until(/Event-Name: RECORD_STOP/, 'RECORD_STOP');
    assert.match(app.text, /Record-Completion-Cause: no-input-timeout/);
    assert.match(app.text, /variable_record_ms: 5000/);
    app.execute('hangup', '');
    await app.until(/Content-Disposition: linger/, 'the linger notice');
    app.send('exit');
  });

  test('without `event plain RECORD_STOP` the end is not reported; a hangup closes the bug after CHANNEL_HANGUP, the partial file kept', async () => {
    const { app, path, result } = await call(
      [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(600), afterMs: 500 }, { act: 'hangup', afterMs: 1400 }] }],
      false,
    );
    await app.until(/Content-Disposition: linger/, 'the linger notice');
    app.send('exit');
    assert.equal(((await withTimeout(result, 10_000, 'the call to end')) as { endedBy: string }).endedBy, 'caller');
    assert.doesNotMatch(app.text, /RECORD_STOP/, 'myevents does not cover RECORD_STOP');
    assert.ok(existsSync(path), 'the partial recording is kept');
    assert.equal(wavToCallPcm(readFileSync(path)).length, 1400 * 8);
  });

  test('subscribed, a hangup reports RECORD_STOP between CHANNEL_HANGUP and CHANNEL_HANGUP_COMPLETE', async () => {
    const { app, result } = await call(
      [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(600), afterMs: 500 }, { act: 'hangup', afterMs: 1400 }] }],
      true,
    );
    await app.until(/Content-Disposition: linger/, 'the linger notice');
    app.send('exit');
    await withTimeout(result, 10_000, 'the call to end');
    const order = [...app.text.matchAll(/Event-Name: (CHANNEL_HANGUP_COMPLETE|CHANNEL_HANGUP|RECORD_STOP)\n/g)].map((m) => m[1]);
    assert.deepEqual(order, ['CHANNEL_HANGUP', 'RECORD_STOP', 'CHANNEL_HANGUP_COMPLETE']);
    assert.match(app.text, /Record-Completion-Cause: success-silence/, 'the caller had spoken');
  });
});
