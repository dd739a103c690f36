/**
 * scripts/make-random-whisper-model.mjs, the maker of every Whisper model the tests and benchmarks
 * load: same bytes on every run, the layout whisper.cpp reads (whisper-transcriber.test.ts loads and
 * runs its output through smart-whisper), and a one-line usage error for bad arguments.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspectWhisperModel } from '../../src/speech/whisper-model-file.ts';
import { MODEL_TOOL } from './fixtures/speech-fixtures.ts';

function make(args: string[]): { status: number | null; stderr: string } {
  const r = spawnSync(process.execPath, [MODEL_TOOL, ...args], { encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stderr: r.stderr };
}

const sha256 = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

describe('make-random-whisper-model', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-model-maker-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('the same arguments write the same bytes; the file walks as a whisper.cpp model', () => {
    const [a, b] = [join(dir, 'a.bin'), join(dir, 'b.bin')];
    for (const f of [a, b]) assert.equal(make([f, 'tiny.en', '--layers', '1']).status, 0);
    assert.equal(sha256(a), sha256(b), 'two runs, same bytes');
    const info = inspectWhisperModel(a);
    assert.deepEqual(
      { nVocab: info.nVocab, nAudioCtx: info.nAudioCtx, nAudioLayer: info.nAudioLayer, nTextLayer: info.nTextLayer, ftype: info.ftype, tensors: info.tensors },
      { nVocab: 51864, nAudioCtx: 1500, nAudioLayer: 1, nTextLayer: 1, ftype: 1, tensors: 7 + 15 + 4 + 24 },
    );
    rmSync(b);
  });

  test('hparams, mel filterbank and vocabulary are laid out as whisper.cpp reads them', () => {
    const file = join(dir, 'small.bin');
    assert.equal(make([file, 'small.en', '--layers', '2']).status, 0);
    const info = inspectWhisperModel(file);
    assert.equal(info.nAudioLayer, 2);
    assert.equal(info.tensors, 7 + 15 * 2 + 4 + 24 * 2);
    const bytes = readFileSync(file);
    const i32 = (at: number): number => bytes.readInt32LE(at);
    // magic, then n_vocab, n_audio_ctx, n_audio_state, n_audio_head, n_audio_layer, n_text_ctx, ...
    assert.equal(bytes.readUInt32LE(0), 0x67676d6c);
    assert.deepEqual(Array.from({ length: 11 }, (_, k) => i32(4 + 4 * k)), [51864, 1500, 768, 12, 2, 448, 768, 12, 2, 80, 1]);
    assert.deepEqual([i32(48), i32(52)], [80, 201]);
    for (let m = 0; m < 80; m++) {
      const row = Array.from({ length: 201 }, (_, b) => bytes.readFloatLE(56 + (m * 201 + b) * 4));
      assert.ok(row.every((w) => w >= 0) && row.some((w) => w > 0), `mel filter ${m} is a non-negative band`);
    }
    let at = 56 + 80 * 201 * 4;
    assert.equal(i32(at), 50256, 'GPT-2 text tokens; whisper.cpp adds the special ones');
    at += 4;
    const words: string[] = [];
    for (let t = 0; t <= 256; t++) {
      const len = bytes.readUInt32LE(at);
      words.push(bytes.subarray(at + 4, at + 4 + len).toString('latin1'));
      at += 4 + len;
    }
    assert.equal(words[220], ' ', 'token 220 is the space whisper.cpp looks up to suppress blanks');
    assert.equal(words[0], '!');
    assert.equal(new Set(words.slice(0, 256)).size, 256, 'one token per byte');
    rmSync(file);
  });

  test('bad arguments: exit 2, one line naming the problem and the usage, nothing written', () => {
    for (const [args, why] of [
      [[join(dir, 'x.bin'), 'huge.en'], /unknown model huge\.en/],
      [[join(dir, 'x.bin'), 'tiny.en', '--layers', '0'], /--layers takes a whole number/],
      [[], /no output file/],
    ] as const) {
      const r = make([...args]);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, why);
      assert.match(r.stderr, /^make-random-whisper-model: .*\nusage: /);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f.startsWith('x.bin')), []);
  });
});
