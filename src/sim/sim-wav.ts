/**
 * Just enough WAV for the telephony simulators: read any PCM WAV a test hands us as a caller's voice,
 * bring it to what a telephone call carries (8 kHz, 16-bit, mono, the format Asterisk writes for
 * `format=wav`), cut and pad it in time, and write it back as a WAV file.
 */

export const CALL_SAMPLE_RATE = 8000;

/** Mono 16-bit samples at CALL_SAMPLE_RATE. */
export type CallPcm = Int16Array;

export function samplesForMs(ms: number): number {
  return Math.max(0, Math.round((ms * CALL_SAMPLE_RATE) / 1000));
}

export function pcmDurationMs(pcm: CallPcm): number {
  return (pcm.length * 1000) / CALL_SAMPLE_RATE;
}

/** Parses a PCM WAV (8/16-bit, any rate, any channel count) into call PCM. Throws on anything else. */
export function wavToCallPcm(wav: Buffer): CallPcm {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') {
    throw new Error('not a RIFF/WAVE file');
  }
  let offset = 12;
  let fmt: { channels: number; rate: number; bits: number; format: number } | null = null;
  let data: Buffer | null = null;
  while (offset + 8 <= wav.length) {
    const id = wav.toString('ascii', offset, offset + 4);
    const size = wav.readUInt32LE(offset + 4);
    const body = wav.subarray(offset + 8, Math.min(wav.length, offset + 8 + size));
    if (id === 'fmt ') {
      fmt = { format: body.readUInt16LE(0), channels: body.readUInt16LE(2), rate: body.readUInt32LE(4), bits: body.readUInt16LE(14) };
    } else if (id === 'data') {
      data = body;
    }
    offset += 8 + size + (size % 2);
  }
  if (!fmt || !data) throw new Error('WAV without fmt or data chunk');
  // 0xFFFE (extensible) carries PCM in our test files too; anything else (float, A-law) is not supported here.
  if ((fmt.format !== 1 && fmt.format !== 0xfffe) || (fmt.bits !== 16 && fmt.bits !== 8)) {
    throw new Error(`unsupported WAV format ${fmt.format}/${fmt.bits}-bit`);
  }
  const bytesPerSample = fmt.bits / 8;
  const frames = Math.floor(data.length / (bytesPerSample * fmt.channels));
  const mono = new Float64Array(frames);
  for (let i = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < fmt.channels; c++) {
      const at = (i * fmt.channels + c) * bytesPerSample;
      sum += fmt.bits === 16 ? data.readInt16LE(at) : (data.readUInt8(at) - 128) << 8;
    }
    mono[i] = sum / fmt.channels;
  }
  return resample(mono, fmt.rate);
}

/** Linear-interpolation resampling: the simulator only needs audio a recogniser can still read. */
function resample(mono: Float64Array, rate: number): CallPcm {
  const outLength = Math.floor((mono.length * CALL_SAMPLE_RATE) / rate);
  const out = new Int16Array(outLength);
  const step = rate / CALL_SAMPLE_RATE;
  for (let i = 0; i < outLength; i++) {
    const pos = i * step;
    const i0 = Math.floor(pos);
    const frac = pos - i0;
    const a = mono[i0] ?? 0;
    const b = mono[i0 + 1] ?? a;
    out[i] = Math.max(-32768, Math.min(32767, Math.round(a + (b - a) * frac)));
  }
  return out;
}

/** A canonical 44-byte-header WAV, 8 kHz 16-bit mono. */
export function callPcmToWav(pcm: CallPcm): Buffer {
  const dataBytes = pcm.length * 2;
  const out = Buffer.alloc(44 + dataBytes);
  out.write('RIFF', 0, 'ascii');
  out.writeUInt32LE(36 + dataBytes, 4);
  out.write('WAVE', 8, 'ascii');
  out.write('fmt ', 12, 'ascii');
  out.writeUInt32LE(16, 16);
  out.writeUInt16LE(1, 20);
  out.writeUInt16LE(1, 22);
  out.writeUInt32LE(CALL_SAMPLE_RATE, 24);
  out.writeUInt32LE(CALL_SAMPLE_RATE * 2, 28);
  out.writeUInt16LE(2, 32);
  out.writeUInt16LE(16, 34);
  out.write('data', 36, 'ascii');
  out.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < pcm.length; i++) out.writeInt16LE(pcm[i] ?? 0, 44 + i * 2);
  return out;
}

/** A test tone (a stand-in voice when a test needs audio but not words). */
export function toneWav(durationMs: number, hz = 440, amplitude = 8000): Buffer {
  const n = samplesForMs(durationMs);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / CALL_SAMPLE_RATE));
  return callPcmToWav(pcm);
}

/** Duration of a WAV file in ms, from its header (used for playback lengths). */
export function wavDurationMs(wav: Buffer): number {
  return pcmDurationMs(wavToCallPcm(wav));
}
