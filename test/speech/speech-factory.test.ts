import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTranscriber } from '../../src/speech/speech-factory.ts';
import { WhisperTranscriber } from '../../src/speech/whisper-transcriber.ts';

// The speech config's decoding settings reach whisper.cpp's parameters (config/callkeeper.example.yaml).
test('speech.maxTokensPerSecond and speech.temperatureFallback reach the Whisper decode parameters; unset, the defaults hold', async () => {
  const tuned = createTranscriber({ engine: 'whisper', whisperModel: '/nonexistent/model.bin', maxTokensPerSecond: 3, temperatureFallback: false });
  const plain = createTranscriber({ engine: 'whisper', whisperModel: '/nonexistent/model.bin' });
  try {
    assert.ok(tuned instanceof WhisperTranscriber && plain instanceof WhisperTranscriber);
    const t = tuned.params(2000, 'message');
    const p = plain.params(2000, 'message');
    assert.equal(t.max_tokens, 6, '3 tokens a second of a 2 s clip');
    assert.equal(t.temperature_inc, 0, 'no hotter retry');
    assert.equal(p.max_tokens, 16, 'the default 8 a second');
    assert.equal(p.temperature_inc, 0.2);
  } finally {
    await tuned.close();
    await plain.close();
  }
});
