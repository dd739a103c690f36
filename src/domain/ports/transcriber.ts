/** Speech to text, on the premises. */
export interface TranscriptSegment {
  readonly startMs: number;
  readonly endMs: number;
  readonly text: string;
}

export interface Transcript {
  readonly text: string;
  readonly segments: readonly TranscriptSegment[];
  readonly engine: string;
  readonly model: string;
  readonly audioMs: number;
  readonly elapsedMs: number;
  /**
   * Recognizer confidence. `score` is 0..1 (1 = certain); avgLogProb and noSpeechProb are Whisper's own
   * figures where the engine has them.
   */
  readonly confidence: { readonly score: number; readonly avgLogProb: number | null; readonly noSpeechProb: number | null };
}

export type TranscribePurpose = 'message' | 'consent-answer';

export interface Transcriber {
  readonly engine: string;
  /** `wav` is a complete RIFF/WAVE file (any rate; 8 kHz telephone audio is resampled by the adapter). */
  transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript>;
  close(): Promise<void>;
}
