import { CALL_SAMPLE_RATE, samplesForMs, type CallPcm } from './sim-wav.ts';

/**
 * What a simulated caller said and when (scheduler milliseconds): the audio a recording captures, for
 * both simulated engines. A recording holds only what the caller said between its start and its end,
 * as on a real engine: an utterance that began before the record operation started contributes only
 * its part after that start (src/sim/README.md, "Time").
 */
export class SimCallerAudio {
  private readonly speech: { start: number; pcm: CallPcm }[] = [];

  push(start: number, pcm: CallPcm): void {
    this.speech.push({ start, pcm });
  }

  /** When the last utterance ends, or -Infinity before the caller has said anything. */
  speechEnd(): number {
    let end = -Infinity;
    for (const s of this.speech) end = Math.max(end, s.start + (s.pcm.length * 1000) / CALL_SAMPLE_RATE);
    return end;
  }

  /** The caller's audio from `from` to `to`, silence where nobody spoke. */
  between(from: number, to: number): CallPcm {
    const out = new Int16Array(samplesForMs(to - from));
    for (const s of this.speech) {
      // Signed: an utterance that started before `from` has a negative offset and only its tail is copied.
      const offset = Math.round(((s.start - from) * CALL_SAMPLE_RATE) / 1000);
      for (let i = Math.max(0, -offset); i < s.pcm.length && offset + i < out.length; i++) out[offset + i] = s.pcm[i] ?? 0;
    }
    return out;
  }
}

