import type { PcmAudio } from './wav-codec.ts';

/**
 * Band-limited resampling with a Hann-windowed sinc (8 kHz telephone audio is resampled to
 * Whisper's 16 kHz in-process, and synthesized prompts from 22.05 kHz down to 8 kHz). The cut-off sits
 * just under the lower Nyquist frequency so downsampling does not alias.
 */
const HALF_TAPS = 16;

export function resample(audio: PcmAudio, to: number): PcmAudio {
  const from = audio.sampleRate;
  if (from === to) return audio;
  const input = audio.samples;
  const ratio = to / from;
  const n = Math.floor(input.length * ratio);
  const out = new Float32Array(n);
  // Cut-off as a fraction of the input rate; below 1 when downsampling.
  const cutoff = Math.min(1, ratio) * 0.95;
  const half = Math.ceil(HALF_TAPS / Math.min(1, ratio));
  for (let i = 0; i < n; i++) {
    const centre = i / ratio;
    const first = Math.max(0, Math.ceil(centre - half));
    const last = Math.min(input.length - 1, Math.floor(centre + half));
    let acc = 0;
    let norm = 0;
    for (let j = first; j <= last; j++) {
      const x = j - centre;
      const w = 0.5 + 0.5 * Math.cos((Math.PI * x) / (half + 1));
      const s = x === 0 ? cutoff : Math.sin(Math.PI * cutoff * x) / (Math.PI * x);
      const k = s * w;
      acc += input[j]! * k;
      norm += k;
    }
    out[i] = norm === 0 ? 0 : acc / norm;
  }
  return { sampleRate: to, samples: out };
}
