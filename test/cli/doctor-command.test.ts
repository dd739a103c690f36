import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type WebSocket from 'ws';
import { AriSimulator } from '../../src/sim/ari/ari-simulator.ts';
import { EslSim } from '../../src/sim/esl/esl-sim.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import {
  CONSUMERS,
  doctor,
  healthyDb,
  looseDb,
  randomWhisperModel,
  registerAriApp,
  row,
  rowsOf,
  tamperedDb,
  tempDir,
  writeConfig,
} from './doctor-test-kit.ts';
import { DEFAULT_WAIT_MS, withTimeout } from '../support/wait-for.ts';

const ARI_PASSWORD = 'ari-pw-4f1c';
const SMPP_PASSWORD = 'smpw7731';
const ESL_PASSWORD = 'esl-pw-9d2e';
const SECRETS = [ARI_PASSWORD, SMPP_PASSWORD, ESL_PASSWORD];

describe('callkeeper doctor', () => {
  let dir: string;
  let cleanup: () => void;
  let ari: AriSimulator;
  let smsc: SmscSimulator;
  let smscPort: number;
  let esl: EslSim;
  let appSocket: WebSocket | null = null;
  let model: string;

  /** A config for `engine` whose every peer is up, with per-test overrides appended as YAML. */
  function config(name: string, o: { engine?: 'asterisk' | 'freeswitch'; db?: string; model?: string | null; extra?: string } = {}): string {
    const { host, port } = esl.inboundAddress();
    const speech = o.model === null ? 'speech: {}\n' : `speech:\n  whisperModel: ${o.model ?? model}\n`;
    return writeConfig(
      join(dir, `${name}.yaml`),
      `engine: ${o.engine ?? 'asterisk'}
database:
  path: ${o.db ?? join(dir, 'healthy.db')}
recordings:
  dir: ${join(dir, name, 'recordings')}
prompts:
  dir: ${join(dir, name, 'prompts')}
  synthesizer: espeak-ng
asterisk:
  url: ${ari.url}
  username: callkeeper
  password: ${ARI_PASSWORD}
  app: callkeeper
freeswitch:
  eslHost: ${host}
  eslPort: ${port}
  password: ${ESL_PASSWORD}
  recordingsDir: ${join(dir, name, 'fs-recordings')}
smpp:
  host: 127.0.0.1
  port: ${smscPort}
  systemId: ck
  password: ${SMPP_PASSWORD}
${speech}${o.extra ?? ''}`,
    );
  }

  before(async () => {
    ({ dir, cleanup } = tempDir());
    ari = await AriSimulator.start({ username: 'callkeeper', password: ARI_PASSWORD, app: 'callkeeper' });
    smsc = new SmscSimulator({ systemId: 'ck', password: SMPP_PASSWORD });
    smscPort = await smsc.listen();
    esl = new EslSim({ password: ESL_PASSWORD });
    await esl.start();
    model = join(dir, 'ggml-random-tiny.en.bin');
    randomWhisperModel(model);
    healthyDb(join(dir, 'healthy.db'));
  });

  after(async () => {
    appSocket?.terminate();
    await ari.close();
    await smsc.close();
    await esl.stop();
    cleanup();
  });

  test('asterisk, app not registered yet: every check passes, the engine warns, exit 0', async () => {
    const run = await doctor(['--config', config('fresh'), 'doctor', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(
      rowsOf(run).map((r) => [r.name, r.status]),
      [
        ['config', 'ok'],
        ['database', 'ok'],
        ['ledger-signing', 'warn'],
        ['engine', 'warn'],
        ['smpp', 'ok'],
        ['speech', 'ok'],
        ['synthesizer', 'ok'],
        ['prompts-dir', 'ok'],
        ['recordings-dir', 'ok'],
        ['compliance', 'ok'],
      ],
    );
    assert.match(row(run, 'engine').detail, /^Asterisk 22\.10\.1 at http:\/\/127\.0\.0\.1:\d+; ARI app callkeeper not registered \(is callkeeper serve running\?\)$/);
    assert.match(row(run, 'database').detail, /healthy\.db: mode 0600, schema current \(\d+ migrations\), ledger intact \(3 records\)$/);
    assert.match(row(run, 'smpp').detail, new RegExp(`^bound to 127\\.0\\.0\\.1:${smscPort} as ck \\(transceiver\\), then unbound$`));
    assert.match(row(run, 'speech').detail, /^Whisper model .*ggml-random-tiny\.en\.bin: unknown, \d+\.\d MB, \d+ tensors$/);
    assert.match(row(run, 'synthesizer').detail, /^espeak-ng \(voice en-us\): \d+\.\d s test prompt/);
    assert.equal(JSON.parse(run.stdout).ok, true);
    // The probe bound once and unbound: nothing left bound at the SMSC.
    assert.equal(smsc.boundSessions(), 0);
  });

  test('with the app registered the engine row is ok; the table prints; no secret or phone number anywhere', async () => {
    appSocket = await registerAriApp(ari, 'callkeeper');
    const run = await doctor(['--config', config('registered'), 'doctor']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^CHECK\s+STATUS\s+DETAIL$/);
    assert.match(run.stdout, /^engine\s+ok\s+Asterisk 22\.10\.1 at http:\/\/127\.0\.0\.1:\d+; ARI app callkeeper registered, 0 call\(s\) in it$/m);
    assert.match(run.stdout, /^database\s+ok\s+/m);
    // No ledger signing key in the fixture yet: serve would create it (warns, does not fail).
    assert.match(run.stdout, /^ledger-signing\s+WARN\s+no signing key at .*healthy\.db\.ledger-key yet/m);
    assert.match(run.stdout, /^9 ok, 1 warning\(s\), 0 failed$/m);
    for (const s of [...SECRETS, ...CONSUMERS]) assert.ok(!run.stdout.includes(s) && !run.stderr.includes(s), `${s} printed`);
  });

  test('failures: a 0644 database, refused ARI credentials, a refused bind, a missing model; exit 1 naming them', async () => {
    const loose = join(dir, 'loose.db');
    looseDb(loose);
    const path = config('broken', { db: loose, model: join(dir, 'no-such-model.bin') });
    // Wrong ARI password through the environment override, as an installer's unit file might set it.
    smsc.faults.refuseBind = 0x0e;
    let run;
    try {
      run = await doctor(['--config', path, 'doctor', '--json'], { PATH: process.env.PATH, CALLKEEPER_ASTERISK__PASSWORD: 'wrong-pw' });
    } finally {
      smsc.faults.refuseBind = null;
    }
    assert.equal(run.code, 1);
    assert.equal(run.stderr, 'callkeeper: 4 check(s) failed: database, engine, smpp, speech\n');
    assert.equal(row(run, 'database').status, 'fail');
    assert.match(row(run, 'database').detail, /loose\.db: mode 0644, want 0600 \(chmod 600 .*loose\.db\)$/);
    assert.equal(row(run, 'engine').status, 'fail');
    assert.match(row(run, 'engine').detail, /refused the credentials: check asterisk\.username and asterisk\.password/);
    assert.equal(row(run, 'smpp').status, 'fail');
    assert.match(row(run, 'smpp').detail, /SMSC refused the bind: ESME_RINVPASWD/);
    assert.equal(row(run, 'speech').status, 'fail');
    assert.match(row(run, 'speech').detail, /Whisper model not found: .*no-such-model\.bin \(callkeeper model pull base\.en\)$/);
    // Doctor reports; it does not repair what it inspects.
    assert.equal(statSync(loose).mode & 0o777, 0o644);
    assert.ok(!run.stdout.includes('wrong-pw'));
  });

  test('a tampered ledger row fails the database check with the first bad record', async () => {
    const db = join(dir, 'tampered.db');
    tamperedDb(db);
    const run = await doctor(['--config', config('tampered', { db }), 'doctor', '--json']);
    assert.equal(run.code, 1);
    const r = row(run, 'database');
    assert.equal(r.status, 'fail');
    assert.match(r.detail, /ledger tampered: first bad record 2 \(hash-mismatch\): record 2 does not match its hash: it was edited; 1 records before it intact$/);
    for (const c of CONSUMERS) assert.ok(!run.stdout.includes(c));
  });

  test('the global --db is the database checked; a missing one that can be created is ok', async () => {
    const run = await doctor(['--config', config('db-flag'), '--db', join(dir, 'new', 'ck.db'), 'doctor', '--json']);
    assert.match(row(run, 'database').detail, /new\/ck\.db: not created yet; serve creates it \(mode 0600\)/);
    assert.equal(row(run, 'database').status, 'ok');
  });

  test('no Whisper model: the PocketSphinx fallback warns when installed, fails when missing from the PATH', async () => {
    const path = config('fallback', { model: null });
    const run = await doctor(['--config', path, 'doctor', '--json']);
    assert.equal(run.code, 0, run.stderr);
    assert.equal(row(run, 'speech').status, 'warn');
    assert.match(row(run, 'speech').detail, /^Whisper is not configured \(speech\.whisperModel\); using the fallback, PocketSphinx \/\S*pocketsphinx_batch with the model in /);

    const noPath = await doctor(['--config', path, 'doctor', '--json'], { PATH: join(dir, 'empty-bin') });
    assert.equal(noPath.code, 1);
    assert.deepEqual(row(noPath, 'speech'), { name: 'speech', status: 'fail', detail: 'pocketsphinx_batch not found on the PATH (install Debian pocketsphinx)' });
  });

  test('freeswitch: inbound ESL login, version and ready; a wrong password fails', async () => {
    const { port } = esl.inboundAddress();
    const run = await doctor(['--config', config('fs', { engine: 'freeswitch' }), 'doctor', '--json']);
    assert.equal(row(run, 'config').detail.endsWith('engine freeswitch'), true);
    assert.deepEqual(row(run, 'engine'), {
      name: 'engine',
      status: 'ok',
      detail: `FreeSWITCH 1.10.12-release~64bit at 127.0.0.1:${port}, ready; calls expected on 127.0.0.1:8084`,
    });
    // FreeSWITCH's recordings folder does not exist on this host yet: a warning, not a failure.
    assert.equal(row(run, 'recordings-dir').status, 'warn');
    assert.equal(run.code, 0, run.stderr);

    const bad = await doctor(['--config', config('fs-bad', { engine: 'freeswitch' }), 'doctor', '--json'], {
      PATH: process.env.PATH,
      CALLKEEPER_FREESWITCH__PASSWORD: 'nope',
    });
    assert.equal(bad.code, 1);
    assert.equal(row(bad, 'engine').status, 'fail');
    assert.match(row(bad, 'engine').detail, new RegExp(`^freeswitch at 127\\.0\\.0\\.1:${port}: FreeSWITCH rejected the event socket password$`));
    assert.ok(!bad.stdout.includes(ESL_PASSWORD));
  });

  test('an invalid config is one failed row listing every problem, without the secret a YAML error would quote', async () => {
    const schema = writeConfig(join(dir, 'schema.yaml'), 'engine: pbx\nsmpp:\n  port: 99999\n');
    const run = await doctor(['--config', schema, 'doctor', '--json']);
    assert.equal(run.code, 1);
    const rows = rowsOf(run);
    assert.equal(rows.length, 1);
    assert.equal(rows[0]?.name, 'config');
    assert.equal(rows[0]?.status, 'fail');
    assert.match(rows[0]?.detail ?? '', /invalid configuration in .*schema\.yaml: engine: .*; smpp\.port: /);
    assert.equal(run.stderr, 'callkeeper: 1 check(s) failed: config\n');

    const yaml = writeConfig(join(dir, 'bad-yaml.yaml'), 'smpp:\n  password: "hunter2\n  port: 2775\n');
    const bad = await doctor(['--config', yaml, 'doctor']);
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^config\s+FAIL\s+config file .*bad-yaml\.yaml is not valid YAML/m);
    assert.ok(!bad.stdout.includes('hunter2'), bad.stdout);
  });

  test('a peer that accepts and never answers costs one failed row at the deadline, and its connection is closed', async () => {
    const sockets = new Set<Socket>();
    let closed = 0;
    let allClosed: () => void = () => undefined;
    const silent: Server = createServer((s) => {
      sockets.add(s);
      // Read (and drop) what the probes send: a socket never read never sees their FIN.
      s.resume();
      s.on('close', () => {
        if (++closed === sockets.size) allClosed();
      });
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    const port = (silent.address() as { port: number }).port;
    try {
      const path = config('silent');
      // Point both the ARI URL and the SMSC at the silent server through the environment.
      const run = await doctor(['--config', path, 'doctor', '--json', '--timeout', '1'], {
        PATH: process.env.PATH,
        CALLKEEPER_ASTERISK__URL: `http://127.0.0.1:${port}`,
        CALLKEEPER_SMPP__PORT: String(port),
        CALLKEEPER_SMPP__RESPONSE_TIMEOUT: '60000',
      });
      assert.equal(run.code, 1);
      assert.deepEqual(row(run, 'smpp'), { name: 'smpp', status: 'fail', detail: 'no answer within 1 s; gave up' });
      assert.deepEqual(row(run, 'engine'), { name: 'engine', status: 'fail', detail: 'no answer within 1 s; gave up' });
      assert.equal(row(run, 'database').status, 'ok');
      assert.ok(sockets.size >= 2, `both probes connected (${sockets.size})`);
      // The aborted probes hang up: the SMPP session and the HTTP request are both closed.
      const everyClosed = new Promise<void>((resolve) => {
        allClosed = resolve;
        if (closed === sockets.size) resolve();
      });
      await withTimeout(everyClosed, DEFAULT_WAIT_MS, 'the aborted probes to close their sockets');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });
});
