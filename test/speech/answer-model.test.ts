import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { createTranscriber } from '../../src/speech/speech-factory.ts';
import { WhisperTranscriber } from '../../src/speech/whisper-transcriber.ts';
import { callkeeper } from '../cli/cli-test-harness.ts';
import { doctor, row } from '../cli/doctor-test-kit.ts';
import { randomWhisperModel, spokenWav } from './fixtures/speech-fixtures.ts';

// speech.answerModel (src/speech/README.md, "Answer model"): a second model for consent answers only.
// Random weights (scripts/README.md): the words are noise, never asserted; which model decoded a clip is
// what the transcript's `model` says. One-layer models have no catalogue shape, so that is the file name.
const TEST_DECODE = { temperatureFallback: false, maxTokensPerSecond: 3 } as const;

describe('speech.answerModel: answers go to the answer model, messages to the main one', () => {
  let main: string;
  let answer: string;
  let dir: string;
  let transcriber: WhisperTranscriber;
  before(() => {
    main = randomWhisperModel('base.en', 1);
    answer = randomWhisperModel('tiny.en', 1);
    dir = mkdtempSync(join(tmpdir(), 'ck-answer-model-'));
    transcriber = new WhisperTranscriber({ modelPath: main, answerModelPath: answer, threads: 1, concurrency: 1, ...TEST_DECODE });
  });
  after(async () => {
    await transcriber.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a consent answer is decoded by the answer model, a message by the main model', async () => {
    await transcriber.load();
    assert.notEqual(basename(main), basename(answer), 'the two fixtures must be told apart');
    const wav = spokenWav('yes that is fine', 8000);
    const a = await transcriber.transcribe(wav, { purpose: 'consent-answer' });
    const m = await transcriber.transcribe(wav, { purpose: 'message' });
    assert.equal(a.model, basename(answer), 'the answer was not decoded by speech.answerModel');
    assert.equal(m.model, basename(main), 'the message was not decoded by speech.whisperModel');
    assert.equal(transcriber.answerModelName, basename(answer));
    assert.equal(transcriber.modelName, basename(main));
  });

  test('both kinds still share one queue: answers keep their lane, messages never take it', async () => {
    const wav = spokenWav('sure go ahead', 8000);
    const jobs = [
      ...Array.from({ length: 3 }, () => transcriber.transcribe(wav, { purpose: 'message' })),
      ...Array.from({ length: 2 }, () => transcriber.transcribe(wav, { purpose: 'consent-answer' })),
    ];
    const results = await Promise.all(jobs);
    assert.deepEqual(
      results.map((t) => t.model),
      [basename(main), basename(main), basename(main), basename(answer), basename(answer)],
    );
    // concurrency 1 + the answer lane: never more than 2 at once, whichever model runs them.
    assert.ok(transcriber.queue.peakInFlight <= 2, `peak in flight ${transcriber.queue.peakInFlight}`);
    assert.equal(transcriber.queue.depth, 0);
  });

  test('unset, answers use the main model (today\'s behaviour)', async () => {
    const plain = new WhisperTranscriber({ modelPath: answer, threads: 1, concurrency: 1, ...TEST_DECODE });
    try {
      const t = await plain.transcribe(spokenWav('yes', 8000), { purpose: 'consent-answer' });
      assert.equal(t.model, basename(answer));
      assert.equal(plain.answerModelName, plain.modelName);
    } finally {
      await plain.close();
    }
  });

  test('a missing answer model fails start-up with one line naming the setting (SPEECH.MODEL_MISSING)', async () => {
    const missing = join(dir, 'no-such-tiny.bin');
    // What serve does at start (src/main.ts): build the recognizer from config.speech, then warm it up.
    const t = createTranscriber({ engine: 'auto', whisperModel: main, answerModel: missing }, { whisper: TEST_DECODE });
    try {
      await assert.rejects(t.warmUp!(), (e) => {
        assert.ok(isAppError(e, 'SPEECH.MODEL_MISSING'), String(e));
        assert.equal(e.message, `speech.answerModel: Whisper model not found: ${missing}`);
        return true;
      });
    } finally {
      await t.close?.();
    }
  });

  test('a truncated answer model fails with SPEECH.MODEL_INVALID naming the setting (and does not crash)', async () => {
    const truncated = join(dir, 'truncated-tiny.bin');
    writeFileSync(truncated, readFileSync(answer).subarray(0, 2_000_000));
    const t = new WhisperTranscriber({ modelPath: main, answerModelPath: truncated, ...TEST_DECODE });
    try {
      await assert.rejects(t.load(), (e) => isAppError(e, 'SPEECH.MODEL_INVALID') && /^speech\.answerModel: invalid Whisper model .*truncated/.test((e as Error).message) && !(e as Error).message.includes('\n'));
    } finally {
      await t.close();
    }
  });

  test('an answer model without Whisper (PocketSphinx in use) is a CONFIG.INVALID error', () => {
    assert.throws(
      () => createTranscriber({ engine: 'auto', answerModel: answer }),
      (e) => isAppError(e, 'CONFIG.INVALID') && /^speech\.answerModel is set but the recognizer is PocketSphinx/.test((e as Error).message),
    );
  });
});

describe('speech.answerModel in config check and doctor', () => {
  let dir: string;
  let main: string;
  let answer: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-answer-model-cli-'));
    main = randomWhisperModel('base.en', 1);
    answer = randomWhisperModel('tiny.en', 1);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  function cfg(name: string, answerModel: string): string {
    const p = join(dir, `${name}.yaml`);
    // Peers on port 1: doctor's other rows fail fast; only the speech row is asserted.
    writeFileSync(
      p,
      `database:\n  path: ${join(dir, `${name}.db`)}\nsmpp:\n  port: 1\nasterisk:\n  url: http://127.0.0.1:1\nspeech:\n  whisperModel: ${main}\n  answerModel: ${answerModel}\n`,
      { mode: 0o600 },
    );
    return p;
  }

  test('config check: a missing answer model exits 1 with one line; a good one passes', async () => {
    const missing = join(dir, 'gone-tiny.bin');
    const bad = await callkeeper(['--config', cfg('missing', missing), 'config', 'check']);
    assert.equal(bad.code, 1);
    assert.equal(bad.stderr, `callkeeper: speech.answerModel: Whisper model not found: ${missing}\n`);
    assert.equal(bad.stdout, '');
    const good = await callkeeper(['--config', cfg('good', answer), 'config', 'check']);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /answerModel: .*ggml-tiny\.en-random/);
  });

  test('doctor: the speech row names the answer model, and fails with the one line when it is missing', async () => {
    const good = await doctor(['--config', cfg('doc-good', answer), 'doctor', '--json', '--timeout', '5']);
    const ok = row(good, 'speech');
    assert.equal(ok.status, 'ok', ok.detail);
    assert.match(ok.detail, new RegExp(`; answers: ${answer.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: unknown, \\d+\\.\\d MB, \\d+ tensors$`));
    const missing = join(dir, 'gone-tiny.bin');
    const bad = await doctor(['--config', cfg('doc-missing', missing), 'doctor', '--json', '--timeout', '5']);
    assert.equal(bad.code, 1);
    assert.deepEqual(row(bad, 'speech'), { name: 'speech', status: 'fail', detail: `speech.answerModel: Whisper model not found: ${missing} (callkeeper model pull tiny.en)` });
  });
});
