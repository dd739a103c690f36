import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeBeepPrompt } from '../../src/speech/beep-prompt.ts';
import { parseWav } from '../../src/domain/audio/wav-codec.ts';

test('the beep prompt is 300 ms of 800 Hz at 8 kHz, written once and reused', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-beep-'));
  try {
    const file = writeBeepPrompt(join(dir, 'prompts'));
    const audio = parseWav(readFileSync(file));
    assert.equal(audio.sampleRate, 8000);
    assert.equal(audio.samples.length, 2400);
    let crossings = 0;
    for (let i = 1; i < audio.samples.length; i++) if ((audio.samples[i - 1]! < 0) !== (audio.samples[i]! < 0)) crossings++;
    assert.ok(Math.abs(crossings / 2 / 0.3 - 800) < 20, `about 800 Hz (${crossings / 2 / 0.3})`);
    const mtime = statSync(file).mtimeMs;
    assert.equal(writeBeepPrompt(join(dir, 'prompts')), file);
    assert.equal(statSync(file).mtimeMs, mtime, 'an existing beep is not rewritten');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
