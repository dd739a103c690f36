import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { Command, CommanderError } from 'commander';
import { createHash } from 'node:crypto';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { registerConsentClassifyCommand } from '../../src/cli/consent-classify-command.ts';
import { registerModelCommand } from '../../src/cli/model-command.ts';
import { registerTranscribeCommand } from '../../src/cli/transcribe-command.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { randomWhisperModel, spokenWav } from './fixtures/speech-fixtures.ts';

/** Runs the speech commands as src/cli/main.ts does: AppError → one line on stderr, exit 1. */
async function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  const program = new Command('callkeeper').exitOverride().option('--config <file>');
  program.configureOutput({ writeOut: (s) => stdout.write(s), writeErr: (s) => stderr.write(s) });
  const ctx = createCliContext({ stdout, stderr, env, globals: () => program.opts() });
  registerTranscribeCommand(program, ctx);
  registerConsentClassifyCommand(program, ctx);
  registerModelCommand(program, ctx);
  const walk = (c: Command): void => c.commands.forEach((s) => (s.exitOverride().configureOutput({ writeOut: (x) => stdout.write(x), writeErr: (x) => stderr.write(x) }), walk(s)));
  walk(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'callkeeper', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) code = 2;
    else if (isAppError(e)) {
      stderr.write(`callkeeper: ${e.message}\n`);
      code = 1;
    } else throw e;
  }
  return { code, out, err };
}

const FAST = ['--tokens-per-second', '3', '--no-fallback'];

describe('speech CLI', () => {
  let dir: string;
  let model: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-speech-cli-'));
    model = randomWhisperModel('tiny.en', 1);
    writeFileSync(join(dir, 'answer.wav'), spokenWav('no thanks', 8000));
    writeFileSync(join(dir, 'empty.wav'), '');
    writeFileSync(join(dir, 'text.wav'), 'hello, this is not audio');
    writeFileSync(join(dir, 'truncated.bin'), readFileSync(model).subarray(0, 1_000_000));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('transcribe --json with a Whisper model prints the transcript object', async () => {
    const r = await cli(['transcribe', join(dir, 'answer.wav'), '--json', '--model', model, ...FAST]);
    assert.equal(r.code, 0, r.err);
    const t = JSON.parse(r.out);
    for (const k of ['text', 'segments', 'engine', 'model', 'audioMs', 'elapsedMs', 'confidence']) assert.ok(k in t, k);
    assert.equal(t.engine, 'whisper');
  });

  test('transcribe with PocketSphinx', async () => {
    const r = await cli(['transcribe', join(dir, 'answer.wav'), '--json', '--engine', 'pocketsphinx']);
    assert.equal(r.code, 0, r.err);
    assert.equal(JSON.parse(r.out).engine, 'pocketsphinx');
  });

  for (const [label, file, pattern] of [
    ['an empty file', 'empty.wav', /empty/],
    ['a non-WAV file', 'text.wav', /RIFF/],
    ['a missing file', 'nope.wav', /no such file/],
  ] as const) {
    test(`transcribe on ${label}: one clear line, exit 1`, async () => {
      const r = await cli(['transcribe', join(dir, file), '--engine', 'pocketsphinx']);
      assert.equal(r.code, 1);
      assert.equal(r.err.trim().split('\n').length, 1);
      assert.match(r.err, pattern);
    });
  }

  test('a missing or truncated model: one clear line, exit 1', async () => {
    for (const [m, pattern] of [[join(dir, 'none.bin'), /not found/], [join(dir, 'truncated.bin'), /truncated/]] as const) {
      const r = await cli(['transcribe', join(dir, 'answer.wav'), '--model', m, ...FAST]);
      assert.equal(r.code, 1);
      assert.equal(r.err.trim().split('\n').length, 1, r.err);
      assert.match(r.err, pattern);
    }
  });

  test('consent classify --text prints the decision and exits 0 whatever it is', async () => {
    for (const [text, decision] of [['yes please', 'granted'], ['no thanks', 'declined'], ['maybe', 'unclear']] as const) {
      const r = await cli(['consent', 'classify', '--text', text]);
      assert.equal(r.code, 0);
      assert.deepEqual(Object.keys(JSON.parse(r.out)).sort(), ['confidence', 'decision', 'reason', 'transcript']);
      assert.equal(JSON.parse(r.out).decision, decision);
    }
  });

  test('consent classify --audio never grants a spoken "no thanks"', async () => {
    for (const engine of [['--engine', 'pocketsphinx'], ['--model', model, ...FAST]]) {
      const r = await cli(['consent', 'classify', '--audio', join(dir, 'answer.wav'), ...engine]);
      assert.equal(r.code, 0, r.err);
      assert.notEqual(JSON.parse(r.out).decision, 'granted');
    }
  });

  test('consent classify needs exactly one of --text and --audio', async () => {
    assert.equal((await cli(['consent', 'classify'])).code, 1);
    assert.equal((await cli(['consent', 'classify', '--text', 'yes', '--audio', 'x.wav'])).code, 1);
  });

  test('model check: a good file passes, a truncated one fails in one line', async () => {
    const ok = await cli(['model', 'check', '--model', model]);
    assert.equal(ok.code, 0, ok.err);
    assert.equal(JSON.parse(ok.out).ok, true);
    const bad = await cli(['model', 'check', '--model', join(dir, 'truncated.bin')]);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /truncated/);
  });

  describe('model pull', () => {
    let server: Server;
    let base: string;
    let full: Buffer;
    before(async () => {
      full = readFileSync(randomWhisperModel('tiny.en', null));
      server = createServer((req, res) => {
        if (req.url !== '/m/ggml-tiny.en.bin') return void res.writeHead(404).end();
        res.writeHead(200, { 'content-length': full.length }).end(full);
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/m/`;
    });
    after(() => new Promise<void>((r) => server.close(() => r())));

    test('with --sha256 the file lands under its published name; the real table refuses it', async () => {
      const sha = createHash('sha256').update(full).digest('hex');
      const ok = await cli(['model', 'pull', 'tiny.en', '--mirror', base, '--dir', join(dir, 'models'), '--sha256', sha]);
      assert.equal(ok.code, 0, ok.err);
      assert.equal(JSON.parse(ok.out).path, join(dir, 'models', 'ggml-tiny.en.bin'));
      const refused = await cli(['model', 'pull', 'tiny.en', '--mirror', base, '--dir', join(dir, 'models2')]);
      assert.equal(refused.code, 1);
      assert.match(refused.err, /published checksum/);
      // `model check` knows the official name and its published SHA-1: a random model does not pass.
      const check = await cli(['model', 'check', '--model', join(dir, 'models', 'ggml-tiny.en.bin')]);
      assert.equal(check.code, 1);
      assert.match(check.err, /SHA-1/);
    });
  });
});
