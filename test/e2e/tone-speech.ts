import type { TranscribePurpose, Transcriber, Transcript } from '../../src/domain/ports/transcriber.ts';
import { toneWav, wavToCallPcm } from '../../src/sim/sim-wav.ts';

/**
 * Words as tones, for end-to-end runs through the real simulators. The engine simulators carry only
 * PCM (they convert what the caller "says" to 8 kHz mono and write it into the recording), so no side
 * channel such as test/fakes' `ckfk` chunk survives, and PocketSphinx cannot reliably hear synthetic
 * speech. Each scripted phrase is a pure tone whose pitch is its index in `PHRASES`; `ToneTranscriber`
 * measures the pitch of what was recorded (zero crossings over the voiced samples) and returns the
 * phrase. Pitches are 200 Hz apart and a pitch must land within 60 Hz to count, so a clipped or
 * resampled recording still decodes, and silence or noise decodes to '' (no speech).
 */
export const PHRASES = [
  'Hi, this is Dana. My kitchen faucet is leaking. Please call me back.',
  'Yes, that is fine.',
  'No thanks.',
  'Hmm, what was that?',
  'This is Sam, the water heater is making a noise, call me.',
  'Yes please.',
  'This is Maria Lopez at 42 Oak Street. The toilet is overflowing, please come today.',
] as const;
export type Phrase = (typeof PHRASES)[number];

const BASE_HZ = 400;
const STEP_HZ = 200;
const TOLERANCE_HZ = 60;
/** Below this sample magnitude a sample is silence (the simulators pad speech with digital silence). */
const VOICED = 500;

function pitchOf(index: number): number {
  return BASE_HZ + STEP_HZ * index;
}

/** The caller "says" `phrase`: a tone of `durationMs` (8 kHz mono WAV) whose pitch names it. */
export function sayPhrase(phrase: Phrase, durationMs = 600): Buffer {
  return toneWav(durationMs, pitchOf(PHRASES.indexOf(phrase)), 9000);
}

/** The phrase a recording carries, '' when it holds no tone of a known pitch. */
export function hearPhrase(wav: Buffer): { text: string; audioMs: number } {
  const pcm = wavToCallPcm(wav);
  let voiced = 0;
  let crossings = 0;
  for (let i = 1; i < pcm.length; i++) {
    const a = pcm[i - 1] ?? 0;
    const b = pcm[i] ?? 0;
    if (Math.abs(a) > VOICED || Math.abs(b) > VOICED) {
      voiced++;
      if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) crossings++;
    }
  }
  const audioMs = (pcm.length * 1000) / 8000;
  // Fewer than 50 ms of voiced audio is a click, not speech.
  if (voiced < 400) return { text: '', audioMs };
  const hz = (crossings / 2) * (8000 / voiced);
  const index = Math.round((hz - BASE_HZ) / STEP_HZ);
  const phrase = PHRASES[index];
  if (phrase === undefined || Math.abs(hz - pitchOf(index)) > TOLERANCE_HZ) return { text: '', audioMs };
  return { text: phrase, audioMs };
}

export function toneTranscript(text: string, audioMs: number, elapsedMs = 0, engine = 'tone'): Transcript {
  return {
    text,
    segments: text === '' ? [] : [{ startMs: 0, endMs: audioMs, text }],
    engine,
    model: engine,
    audioMs,
    elapsedMs,
    confidence: { score: text === '' ? 0 : 0.95, avgLogProb: null, noSpeechProb: null },
  };
}

export interface ToneTranscriberOptions {
  /**
   * Called before each answer with what was heard; the answer waits for a returned promise (a test
   * can hold a transcription, or act at that moment of the call).
   */
  readonly onTranscribe?: (purpose: TranscribePurpose, text: string) => void | Promise<void>;
}

/** A deterministic `Transcriber` for the end-to-end tests: hears the tones of `sayPhrase`. */
export class ToneTranscriber implements Transcriber {
  readonly engine = 'tone';
  readonly heard: Array<{ purpose: TranscribePurpose; text: string }> = [];

  constructor(private readonly opts: ToneTranscriberOptions = {}) {}

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript> {
    const { text, audioMs } = hearPhrase(wav);
    this.heard.push({ purpose: opts.purpose, text });
    await this.opts.onTranscribe?.(opts.purpose, text);
    return toneTranscript(text, audioMs);
  }

  async close(): Promise<void> {}
}
