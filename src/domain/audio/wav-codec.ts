import { AppError } from '../errors.ts';

/** Mono PCM in memory: samples are floats in -1..1. */
export interface PcmAudio {
  readonly sampleRate: number;
  readonly samples: Float32Array;
}

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_ALAW = 6;
const FORMAT_MULAW = 7;
const FORMAT_EXTENSIBLE = 0xfffe;

function bad(reason: string): AppError {
  return new AppError('SPEECH.BAD_AUDIO', `not a usable WAV file: ${reason}`);
}

/**
 * Parses a RIFF/WAVE file as the call engines write it: 8/16/24/32-bit PCM, 32-bit float, or G.711
 * mu-law/A-law (Asterisk and FreeSWITCH both can record those), any rate, channels mixed down to mono.
 * Chunks are walked by their sizes, so LIST/fact chunks before `data` are skipped. `allowEmpty`: a
 * recording with no samples is audio too for the simulators (a caller who said nothing).
 */
export function parseWav(buf: Buffer, opts: { allowEmpty?: boolean } = {}): PcmAudio {
  if (buf.length < 12) throw bad(buf.length === 0 ? 'the file is empty' : 'the file is too short');
  if (buf.toString('ascii', 0, 4) !== 'RIFF' || buf.toString('ascii', 8, 12) !== 'WAVE') throw bad('no RIFF/WAVE header');
  let fmt: { format: number; channels: number; rate: number; bits: number } | undefined;
  let off = 12;
  while (off + 8 <= buf.length) {
    const id = buf.toString('ascii', off, off + 4);
    const size = buf.readUInt32LE(off + 4);
    const body = off + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > buf.length) throw bad('fmt chunk is truncated');
      let format = buf.readUInt16LE(body);
      if (format === FORMAT_EXTENSIBLE && size >= 26) format = buf.readUInt16LE(body + 24);
      fmt = { format, channels: buf.readUInt16LE(body + 2), rate: buf.readUInt32LE(body + 4), bits: buf.readUInt16LE(body + 14) };
    } else if (id === 'data') {
      if (!fmt) throw bad('data chunk before fmt chunk');
      // Recorders that stream (and were cut off) leave size 0 or 0xFFFFFFFF: take what is there.
      const end = size === 0 || size === 0xffffffff || body + size > buf.length ? buf.length : body + size;
      return { sampleRate: fmt.rate, samples: decode(buf.subarray(body, end), fmt, opts.allowEmpty === true) };
    }
    off = body + size + (size % 2);
  }
  throw bad(fmt ? 'no data chunk' : 'no fmt chunk');
}

function decode(data: Buffer, fmt: { format: number; channels: number; rate: number; bits: number }, allowEmpty: boolean): Float32Array {
  const { format, channels, rate, bits } = fmt;
  if (channels < 1 || channels > 8) throw bad(`unsupported channel count ${channels}`);
  if (rate < 4000 || rate > 192000) throw bad(`unsupported sample rate ${rate}`);
  const bytes = bits / 8;
  const read = sampleReader(format, bits);
  const frame = bytes * channels;
  const n = Math.floor(data.length / frame);
  if (n === 0 && !allowEmpty) throw bad('no audio samples');
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++) sum += read(data, i * frame + c * bytes);
    out[i] = sum / channels;
  }
  return out;
}

function sampleReader(format: number, bits: number): (b: Buffer, o: number) => number {
  if (format === FORMAT_PCM && bits === 16) return (b, o) => b.readInt16LE(o) / 32768;
  if (format === FORMAT_PCM && bits === 8) return (b, o) => (b[o]! - 128) / 128;
  if (format === FORMAT_PCM && bits === 24) return (b, o) => b.readIntLE(o, 3) / 8388608;
  if (format === FORMAT_PCM && bits === 32) return (b, o) => b.readInt32LE(o) / 2147483648;
  if (format === FORMAT_FLOAT && bits === 32) return (b, o) => b.readFloatLE(o);
  if (format === FORMAT_MULAW && bits === 8) return (b, o) => mulaw(b[o]!);
  if (format === FORMAT_ALAW && bits === 8) return (b, o) => alaw(b[o]!);
  throw bad(`unsupported encoding (format ${format}, ${bits} bits)`);
}

/** ITU-T G.711 expansion. */
function mulaw(u: number): number {
  const x = ~u & 0xff;
  const t = (((x & 0x0f) << 3) + 0x84) << ((x & 0x70) >> 4);
  return ((x & 0x80 ? 0x84 - t : t - 0x84) / 32768);
}

function alaw(a: number): number {
  const x = a ^ 0x55;
  let t = (x & 0x0f) << 4;
  const seg = (x & 0x70) >> 4;
  if (seg === 0) t += 8;
  else if (seg === 1) t += 0x108;
  else t = (t + 0x108) << (seg - 1);
  return (x & 0x80 ? t : -t) / 32768;
}

/** 16-bit PCM mono WAV, the format both call engines play without transcoding surprises. */
export function encodeWav(audio: PcmAudio): Buffer {
  const pcm = new Int16Array(audio.samples.length);
  for (let i = 0; i < pcm.length; i++) {
    const s = Math.max(-1, Math.min(1, audio.samples[i]!));
    pcm[i] = Math.round(s < 0 ? s * 32768 : s * 32767);
  }
  return encodePcm16Wav(audio.sampleRate, pcm);
}

/** A canonical 44-byte-header WAV of 16-bit mono samples, written as they are. */
export function encodePcm16Wav(sampleRate: number, pcm: Int16Array): Buffer {
  const n = pcm.length;
  const buf = Buffer.alloc(44 + n * 2);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + n * 2, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(FORMAT_PCM, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(n * 2, 40);
  for (let i = 0; i < n; i++) buf.writeInt16LE(pcm[i]!, 44 + i * 2);
  return buf;
}

export function durationMs(audio: PcmAudio): number {
  return Math.round((audio.samples.length / audio.sampleRate) * 1000);
}
