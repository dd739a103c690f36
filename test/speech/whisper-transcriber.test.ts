import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { WhisperTranscriber } from '../../src/speech/whisper-transcriber.ts';
import { randomWhisperModel, spokenWav } from './fixtures/speech-fixtures.ts';

// Random weights: the words are noise, never asserted (scripts/README.md). Greedy, no fallback,
// 3 tokens per second of audio, so a decode costs what a real model's would.
const TEST_DECODE = { temperatureFallback: false, maxTokensPerSecond: 3 } as const;

describe('WhisperTranscriber with a random-weight tiny.en model', () => {
  let model: string;
  let dir: string;
  let transcriber: WhisperTranscriber;
  before(() => {
    model = randomWhisperModel('tiny.en', 1);
    dir = mkdtempSync(join(tmpdir(), 'ck-whisper-'));
    transcriber = new WhisperTranscriber({ modelPath: model, threads: 1, concurrency: 1, ...TEST_DECODE });
  });
  after(async () => {
    await transcriber.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('loads, transcribes 8 kHz telephone audio, reports timings and confidence', async () => {
    const info = await transcriber.load();
    assert.equal(info.nAudioLayer, 1);
    const wav = spokenWav('yes that is fine', 8000);
    const t = await transcriber.transcribe(wav, { purpose: 'consent-answer' });
    assert.equal(t.engine, 'whisper');
    assert.equal(typeof t.text, 'string');
    assert.ok(Array.isArray(t.segments) && t.segments.length >= 1);
    assert.ok(t.audioMs > 500 && t.audioMs < 3000, `audioMs ${t.audioMs}`);
    assert.ok(t.elapsedMs > 0);
    for (const s of t.segments) assert.ok(s.startMs >= 0 && s.endMs <= t.audioMs && s.startMs <= s.endMs);
    assert.ok(t.confidence.score >= 0 && t.confidence.score <= 1);
    assert.ok(t.confidence.avgLogProb === null || t.confidence.avgLogProb <= 0);
  });

  test('shrinks the encoder context for a short clip and caps tokens by length', () => {
    const p3 = transcriber.params(3000, 'consent-answer');
    const p20 = transcriber.params(20_000, 'message');
    const p40 = transcriber.params(40_000, 'message');
    assert.ok((p3.audio_ctx as number) > 0 && (p3.audio_ctx as number) <= 256);
    assert.ok((p20.audio_ctx as number) > (p3.audio_ctx as number) && (p20.audio_ctx as number) <= 1500);
    assert.equal(p40.audio_ctx, 0, 'a clip past 30 s uses the full window');
    assert.equal(p3.max_tokens, 9);
    assert.equal(p3.temperature_inc, 0);
  });

  test('queues concurrent requests without exceeding the bound', async () => {
    const wav = spokenWav('sure go ahead', 8000);
    const jobs = Array.from({ length: 4 }, () => transcriber.transcribe(wav, { purpose: 'consent-answer' }));
    const results = await Promise.all(jobs);
    const maxDepth = transcriber.queue.peakDepth;
    assert.equal(results.length, 4);
    assert.equal(transcriber.queue.peakInFlight, 1);
    assert.ok(maxDepth >= 2, `queue depth seen ${maxDepth}`);
    assert.equal(transcriber.queue.depth, 0);
  });

  test('a concurrency of 2 runs two at once, never three', async () => {
    const two = new WhisperTranscriber({ modelPath: model, threads: 1, concurrency: 2, ...TEST_DECODE });
    try {
      const wav = spokenWav('sure go ahead', 8000);
      await Promise.all(Array.from({ length: 5 }, () => two.transcribe(wav, { purpose: 'consent-answer' })));
      assert.ok(two.queue.peakInFlight <= 2);
      assert.ok(two.queue.peakInFlight >= 1);
    } finally {
      await two.close();
    }
  });

  test('broken, empty and non-WAV audio fail with SPEECH.BAD_AUDIO', async () => {
    for (const bad of [Buffer.alloc(0), Buffer.from('not a wav file at all'), spokenWav('yes', 8000).subarray(0, 40)]) {
      await assert.rejects(transcriber.transcribe(bad, { purpose: 'message' }), (e) => isAppError(e, 'SPEECH.BAD_AUDIO'));
    }
  });

  test('a missing model fails with SPEECH.MODEL_MISSING', async () => {
    const t = new WhisperTranscriber({ modelPath: join(dir, 'nope.bin'), ...TEST_DECODE });
    await assert.rejects(t.transcribe(spokenWav('yes', 8000), { purpose: 'message' }), (e) => isAppError(e, 'SPEECH.MODEL_MISSING'));
    await t.close();
  });

  test('a truncated model fails with SPEECH.MODEL_INVALID (and does not crash the process)', async () => {
    const truncated = join(dir, 'truncated.bin');
    writeFileSync(truncated, readFileSync(model).subarray(0, 20_000_000));
    const t = new WhisperTranscriber({ modelPath: truncated, ...TEST_DECODE });
    await assert.rejects(t.load(), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /truncated/.test((e as Error).message));
    await t.close();
  });

  test('a model with the wrong magic fails with SPEECH.MODEL_INVALID', async () => {
    const wrong = join(dir, 'wrong-magic.bin');
    copyFileSync(model, wrong);
    const fd = openSync(wrong, 'r+');
    writeSync(fd, Buffer.from('GGUF'), 0, 4, 0);
    closeSync(fd);
    const t = new WhisperTranscriber({ modelPath: wrong, ...TEST_DECODE });
    await assert.rejects(t.load(), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /magic/.test((e as Error).message));
    await t.close();
  });
});
