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
  /**
   * `wav` is a complete RIFF/WAVE file (any rate; 8 kHz telephone audio is resampled by the adapter).
   * `signal`: the caller stopped waiting (the call's bound passed); a job still waiting for the recognizer
   * then fails at once with `SPEECH.SATURATED` instead of being decoded for nobody.
   */
  transcribe(wav: Buffer, opts: { purpose: TranscribePurpose; signal?: AbortSignal }): Promise<Transcript>;
  /**
   * Loads what the first transcription would otherwise load (e.g. a model file), so that a missing or
   * broken model is a start-up error rather than a failed first call. Absent: nothing to load.
   */
  warmUp?(): Promise<void>;
  close(): Promise<void>;
}
