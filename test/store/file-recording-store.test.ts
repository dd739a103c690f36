import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { FileRecordingStore } from '../../src/store/file-recording-store.ts';
import { isAppError } from '../../src/domain/errors.ts';

test('saves audio with its sha256, mode 0600, under a dated folder, leaving no .part file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-rec-'));
  try {
    const store = new FileRecordingStore(dir, () => Date.UTC(2026, 10, 24, 12));
    const wav = Buffer.from('RIFF....WAVEfmt some bytes');
    const saved = await store.save('call-1-message', wav);
    assert.equal(saved.path, join(dir, '2026-11-24', 'call-1-message.wav'));
    assert.deepEqual(readFileSync(saved.path), wav);
    assert.equal(saved.sha256, createHash('sha256').update(wav).digest('hex'));
    assert.equal(saved.bytes, wav.length);
    assert.equal(statSync(saved.path).mode & 0o777, 0o600);
    assert.deepEqual(readdirSync(dirname(saved.path)), ['call-1-message.wav']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('refuses a name that could escape the folder', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-rec-'));
  try {
    const store = new FileRecordingStore(dir);
    await assert.rejects(store.save('../../etc/x', Buffer.from('x')), (e) => isAppError(e, 'INPUT.INVALID'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
