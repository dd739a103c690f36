import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAppError } from '../../src/domain/errors.ts';
import { resample } from '../../src/domain/audio/audio-resampler.ts';
import { durationMs, encodeWav, parseWav, type PcmAudio } from '../../src/domain/audio/wav-codec.ts';

function tone(hz: number, rate: number, seconds = 1, amp = 0.5): PcmAudio {
  const samples = new Float32Array(rate * seconds);
  for (let i = 0; i < samples.length; i++) samples[i] = amp * Math.sin((2 * Math.PI * hz * i) / rate);
  return { sampleRate: rate, samples };
}

function rms(x: Float32Array, skip = 200): number {
  let s = 0;
  for (let i = skip; i < x.length - skip; i++) s += x[i]! ** 2;
  return Math.sqrt(s / (x.length - 2 * skip));
}

function crossings(x: Float32Array): number {
  let n = 0;
  for (let i = 1; i < x.length; i++) if ((x[i - 1]! < 0) !== (x[i]! < 0)) n++;
  return n;
}

function wavHeader(format: number, channels: number, rate: number, bits: number, data: Buffer, extra: Buffer = Buffer.alloc(0)): Buffer {
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(format, 8);
  fmt.writeUInt16LE(channels, 10);
  fmt.writeUInt32LE(rate, 12);
  fmt.writeUInt32LE((rate * channels * bits) / 8, 16);
  fmt.writeUInt16LE((channels * bits) / 8, 20);
  fmt.writeUInt16LE(bits, 22);
  const head = Buffer.alloc(12);
  head.write('RIFF', 0, 'ascii');
  head.writeUInt32LE(4 + fmt.length + extra.length + 8 + data.length, 4);
  head.write('WAVE', 8, 'ascii');
  const dh = Buffer.alloc(8);
  dh.write('data', 0, 'ascii');
  dh.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, fmt, extra, dh, data]);
}

describe('WAV codec', () => {
  test('16-bit PCM round-trips', () => {
    const t = tone(440, 8000);
    const back = parseWav(encodeWav(t));
    assert.equal(back.sampleRate, 8000);
    assert.equal(back.samples.length, 8000);
    assert.ok(Math.abs(back.samples[100]! - t.samples[100]!) < 1e-4);
    assert.equal(durationMs(back), 1000);
  });

  test('reads an Asterisk prompt (real 8 kHz file)', () => {
    const a = parseWav(readFileSync('/usr/share/asterisk/sounds/en/conf-muted.wav'));
    assert.equal(a.sampleRate, 8000);
    assert.ok(a.samples.length > 4000 && rms(a.samples, 0) > 0.01);
  });

  test('G.711 mu-law and A-law decode to the right levels; stereo is mixed down; LIST chunks are skipped', () => {
    // mu-law 0xFF and A-law 0xD5 are (near) zero; mu-law 0x80 is the positive maximum.
    const mu = parseWav(wavHeader(7, 1, 8000, 8, Buffer.from([0xff, 0x80, 0x00])));
    assert.ok(Math.abs(mu.samples[0]!) < 0.001);
    assert.ok(mu.samples[1]! > 0.9 && mu.samples[2]! < -0.9);
    const al = parseWav(wavHeader(6, 1, 8000, 8, Buffer.from([0xd5, 0x55])));
    assert.ok(Math.abs(al.samples[0]!) < 0.001 && Math.abs(al.samples[1]!) < 0.001);
    const stereo = Buffer.alloc(8);
    stereo.writeInt16LE(16384, 0);
    stereo.writeInt16LE(0, 2);
    stereo.writeInt16LE(-16384, 4);
    stereo.writeInt16LE(-16384, 6);
    const list = Buffer.concat([Buffer.from('LIST'), Buffer.from([4, 0, 0, 0]), Buffer.from('INFO')]);
    const s = parseWav(wavHeader(1, 2, 16000, 16, stereo, list));
    assert.deepEqual(Array.from(s.samples), [0.25, -0.5]);
  });

  test('broken input fails with SPEECH.BAD_AUDIO and says why', () => {
    const cases: Array<[Buffer, RegExp]> = [
      [Buffer.alloc(0), /empty/],
      [Buffer.from('ID3 this is an mp3 really'), /RIFF/],
      [wavHeader(1, 1, 8000, 16, Buffer.alloc(0)), /no audio/],
      [wavHeader(85, 1, 8000, 16, Buffer.alloc(10)), /unsupported encoding/],
      [encodeWav(tone(440, 8000)).subarray(0, 30), /fmt|data/],
    ];
    for (const [buf, why] of cases) assert.throws(() => parseWav(buf), (e) => isAppError(e, 'SPEECH.BAD_AUDIO') && why.test((e as Error).message));
  });
});

describe('resampler', () => {
  test('8 kHz → 16 kHz keeps the pitch and the level', () => {
    const up = resample(tone(440, 8000), 16000);
    assert.equal(up.samples.length, 16000);
    assert.ok(Math.abs(crossings(up.samples) - 880) <= 4);
    assert.ok(Math.abs(rms(up.samples) - 0.5 / Math.SQRT2) < 0.02);
  });

  test('22.05 kHz → 8 kHz keeps speech-band tones and removes what would alias', () => {
    const kept = resample(tone(1000, 22050), 8000);
    assert.ok(Math.abs(rms(kept.samples) - 0.5 / Math.SQRT2) < 0.03);
    // 6 kHz is above the new Nyquist (4 kHz): without filtering it would fold down to 2 kHz at full level.
    const removed = resample(tone(6000, 22050), 8000);
    assert.ok(rms(removed.samples) < 0.03, `alias level ${rms(removed.samples)}`);
  });

  test('the same rate is returned unchanged', () => {
    const t = tone(440, 16000);
    assert.equal(resample(t, 16000), t);
  });
});
