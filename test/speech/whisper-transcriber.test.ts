import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, closeSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { WhisperTranscriber } from '../../src/speech/whisper-transcriber.ts';
import { encodeWav } from '../../src/domain/audio/wav-codec.ts';
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

  test('sizes the encoder context to a 1.6 s answer and decodes with it without error', async () => {
    const p = transcriber.params(1600, 'consent-answer');
    // 50 encoder frames per second: 1.6 s + 1 s slack = 130 frames, rounded up to 192 (a multiple of 64).
    assert.equal(p.audio_ctx, 192);
    const off = new WhisperTranscriber({ modelPath: model, shrinkAudioCtx: false, ...TEST_DECODE });
    assert.equal(off.params(1600, 'consent-answer').audio_ctx, 0, 'shrinkAudioCtx: false keeps the full window');
    const samples = Float32Array.from({ length: 1.6 * 8000 }, (_, i) => 0.25 * Math.sin((2 * Math.PI * 440 * i) / 8000));
    const t = await transcriber.transcribe(encodeWav({ sampleRate: 8000, samples }), { purpose: 'consent-answer' });
    assert.equal(t.audioMs, 1600);
    assert.equal(typeof t.text, 'string');
  });

  test('by default one thread per job and a lane only consent answers may use', () => {
    const d = new WhisperTranscriber({ modelPath: model });
    assert.equal(d.params(1600, 'consent-answer').n_threads, 1);
    assert.equal(d.queue.answerLanes, 1);
    assert.ok(d.queue.concurrency >= 1);
    const tuned = new WhisperTranscriber({ modelPath: model, threads: 2, concurrency: 3, answerLanes: 0 });
    assert.deepEqual([tuned.params(1600, 'message').n_threads, tuned.queue.concurrency, tuned.queue.answerLanes], [2, 3, 0]);
  });

  test('queues concurrent requests without exceeding the bound', async () => {
    const wav = spokenWav('sure go ahead', 8000);
    // Messages: they never take the answer lane, so one at a time.
    const jobs = Array.from({ length: 4 }, () => transcriber.transcribe(wav, { purpose: 'message' }));
    const results = await Promise.all(jobs);
    const maxDepth = transcriber.queue.peakDepth;
    assert.equal(results.length, 4);
    assert.equal(transcriber.queue.peakInFlight, 1);
    assert.ok(maxDepth >= 2, `queue depth seen ${maxDepth}`);
    assert.equal(transcriber.queue.depth, 0);
  });

  test('a concurrency of 2 runs two at once, never three', async () => {
    const two = new WhisperTranscriber({ modelPath: model, threads: 1, concurrency: 2, answerLanes: 0, ...TEST_DECODE });
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
