/** Text to speech for prompts: WAV files that the call engines can play. */
export interface SynthesizedPrompt {
  /** Absolute path of a WAV file, 8 kHz 16-bit mono unless asked otherwise. */
  readonly file: string;
  readonly sha256: string;
  readonly cached: boolean;
}

export interface Synthesizer {
  readonly engine: string;
  synthesize(text: string, opts?: { sampleRate?: 8000 | 16000; voice?: string }): Promise<SynthesizedPrompt>;
}
