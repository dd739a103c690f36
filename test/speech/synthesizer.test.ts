import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { CachingSynthesizer } from '../../src/speech/caching-synthesizer.ts';
import { EspeakCliEngine } from '../../src/speech/espeak-cli-engine.ts';
import { EspeakWasmEngine } from '../../src/speech/espeak-wasm-engine.ts';
import { findPromptOverride } from '../../src/speech/prompt-override.ts';
import type { SpeechEngine } from '../../src/speech/speech-engine.ts';
import { parseWav } from '../../src/domain/audio/wav-codec.ts';
import { createSynthesizer } from '../../src/speech/speech-factory.ts';
import { spokenWav } from './fixtures/speech-fixtures.ts';

const GREETING = 'Hi, you have reached Acme Plumbing. Please leave your name and what you need after the tone.';

function counting(engine: SpeechEngine): SpeechEngine & { calls: number } {
  const c = { name: engine.name, calls: 0, render: (t: string, o: { voice: string; wordsPerMinute: number }) => (c.calls++, engine.render(t, o)) };
  return c;
}

describe('prompt synthesis', () => {
  let dir: string;
  before(() => (dir = mkdtempSync(join(tmpdir(), 'ck-synth-'))));
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const [label, make] of [['espeak-ng (wasm)', () => new EspeakWasmEngine()], ['espeak-ng (system)', () => new EspeakCliEngine()]] as const) {
    test(`${label}: 8 kHz 16-bit mono WAV of plausible length, synthesized once`, async () => {
      const engine = counting(make());
      const synth = new CachingSynthesizer(engine, { dir: join(dir, engine.name) });
      const a = await synth.synthesize(GREETING);
      const b = await synth.synthesize(GREETING);
      assert.equal(a.cached, false);
      assert.equal(b.cached, true);
      assert.equal(a.file, b.file);
      assert.equal(a.sha256, b.sha256);
      assert.equal(engine.calls, 1);
      const wav = readFileSync(a.file);
      assert.equal(wav.readUInt16LE(22), 1, 'mono');
      assert.equal(wav.readUInt32LE(24), 8000);
      assert.equal(wav.readUInt16LE(34), 16);
      const seconds = parseWav(wav).samples.length / 8000;
      assert.ok(seconds > 3 && seconds < 12, `${seconds} s`);
      const wide = await synth.synthesize(GREETING, { sampleRate: 16000 });
      assert.notEqual(wide.file, a.file);
      assert.equal(readFileSync(wide.file).readUInt32LE(24), 16000);
      const other = await synth.synthesize(`${GREETING} Thanks.`);
      assert.notEqual(other.file, a.file);
      assert.equal(engine.calls, 3);
    });
  }

  test('concurrent requests for one prompt synthesize it once', async () => {
    const engine = counting(new EspeakWasmEngine());
    const synth = new CachingSynthesizer(engine, { dir: join(dir, 'concurrent') });
    const all = await Promise.all([1, 2, 3].map(() => synth.synthesize('Sound good?')));
    assert.equal(engine.calls, 1);
    assert.equal(new Set(all.map((p) => p.file)).size, 1);
    assert.equal(readdirSync(join(dir, 'concurrent')).length, 1);
  });

  test('a prompt starting with "-" is spoken, not read as an option', async () => {
    const synth = new CachingSynthesizer(new EspeakCliEngine(), { dir: join(dir, 'dash') });
    const p = await synth.synthesize('--version');
    assert.ok(parseWav(readFileSync(p.file)).samples.length > 1000);
  });

  test('the factory builds the configured engine', () => {
    assert.equal(createSynthesizer({ dir, synthesizer: 'auto', voice: 'en-us' }).engine, 'espeak-ng-wasm');
    assert.equal(createSynthesizer({ dir, synthesizer: 'espeak-ng', voice: 'en-us' }).engine, 'espeak-ng');
  });

  test('operator-recorded overrides: found, missing, invalid, unsafe names', async () => {
    const over = join(dir, 'overrides');
    mkdirSync(join(over, '7'), { recursive: true });
    writeFileSync(join(over, '7', 'greeting.wav'), spokenWav('Thanks for calling Bob the plumber', 8000));
    writeFileSync(join(over, '7', 'consent.wav'), 'not audio');
    const found = await findPromptOverride(over, 7, 'greeting');
    assert.ok(found && found.file.endsWith('/7/greeting.wav') && found.sampleRate === 8000 && found.durationMs > 500);
    assert.equal(await findPromptOverride(over, 7, 'goodbye'), null);
    assert.equal(await findPromptOverride(over, 8, 'greeting'), null);
    assert.equal(await findPromptOverride(undefined, 7, 'greeting'), null);
    await assert.rejects(findPromptOverride(over, 7, 'consent'), (e) => isAppError(e, 'SPEECH.BAD_AUDIO'));
    await assert.rejects(findPromptOverride(over, '..', 'greeting'), (e) => isAppError(e, 'INPUT.INVALID'));
    await assert.rejects(findPromptOverride(over, 7, '../../etc/passwd'), (e) => isAppError(e, 'INPUT.INVALID'));
  });
});
