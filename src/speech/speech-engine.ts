import type { PcmAudio } from '../domain/audio/wav-codec.ts';

/** One text-to-speech engine, before caching and resampling (the Synthesizer port wraps these). */
export interface SpeechEngine {
  /** Part of the cache key: a new engine (or version) makes new files. */
  readonly name: string;
  render(text: string, opts: { voice: string; wordsPerMinute: number }): Promise<PcmAudio>;
}
