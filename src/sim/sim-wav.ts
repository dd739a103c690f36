import { resample } from '../domain/audio/audio-resampler.ts';
import { encodePcm16Wav, parseWav } from '../domain/audio/wav-codec.ts';

/**
 * The simulators' view of audio: what a telephone call carries (8 kHz, 16-bit, mono, the format
 * Asterisk writes for `format=wav`) as integer samples to cut and pad in time. Parsing, resampling and
 * writing are the shared codec's (src/domain/audio/).
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

/** Any WAV the codec reads (a test's caller voice, a recording, a prompt) as call PCM. */
export function wavToCallPcm(wav: Buffer): CallPcm {
  const audio = resample(parseWav(wav, { allowEmpty: true }), CALL_SAMPLE_RATE);
  const out = new Int16Array(audio.samples.length);
  // The codec reads 16-bit samples as v / 32768, so this gives them back exactly.
  for (let i = 0; i < out.length; i++) out[i] = Math.max(-32768, Math.min(32767, Math.round(audio.samples[i]! * 32768)));
  return out;
}

export function callPcmToWav(pcm: CallPcm): Buffer {
  return encodePcm16Wav(CALL_SAMPLE_RATE, pcm);
}

/** A test tone (a stand-in voice when a test needs audio but not words). */
export function toneWav(durationMs: number, hz = 440, amplitude = 8000): Buffer {
  const n = samplesForMs(durationMs);
  const pcm = new Int16Array(n);
  for (let i = 0; i < n; i++) pcm[i] = Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / CALL_SAMPLE_RATE));
  return callPcmToWav(pcm);
}

/** Duration of a WAV file in ms, from its samples (used for playback lengths). */
export function wavDurationMs(wav: Buffer): number {
  return pcmDurationMs(wavToCallPcm(wav));
}
