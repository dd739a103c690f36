import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { SynthesizedPrompt, Synthesizer } from '../domain/ports/synthesizer.ts';
import { resample } from '../domain/audio/audio-resampler.ts';
import type { SpeechEngine } from './speech-engine.ts';
import { encodeWav } from '../domain/audio/wav-codec.ts';

export interface CachingSynthesizerOptions {
  readonly dir: string;
  readonly voice?: string;
  /** Speaking rate; 160 words a minute is espeak-ng's default and clear on a phone line. */
  readonly wordsPerMinute?: number;
}

/**
 * Prompts as 16-bit mono WAV at 8 kHz (or 16 kHz), each synthesized once: the file name is the SHA-256
 * of engine, voice, rate, sample rate and text, so a changed prompt makes a new file and an unchanged
 * one is reused across restarts.
 */
export class CachingSynthesizer implements Synthesizer {
  readonly engine: string;
  private readonly inFlight = new Map<string, Promise<SynthesizedPrompt>>();

  constructor(
    private readonly speech: SpeechEngine,
    private readonly opts: CachingSynthesizerOptions,
  ) {
    this.engine = speech.name;
  }

  synthesize(text: string, opts: { sampleRate?: 8000 | 16000; voice?: string } = {}): Promise<SynthesizedPrompt> {
    const voice = opts.voice ?? this.opts.voice ?? 'en-us';
    const rate = opts.sampleRate ?? 8000;
    const wpm = this.opts.wordsPerMinute ?? 160;
    const key = createHash('sha256').update(JSON.stringify([this.speech.name, voice, wpm, rate, text])).digest('hex');
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const job = this.make(key, text, voice, wpm, rate).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, job);
    return job;
  }

  private async make(key: string, text: string, voice: string, wpm: number, rate: number): Promise<SynthesizedPrompt> {
    const file = resolve(join(this.opts.dir, `${this.speech.name}-${key.slice(0, 32)}-${rate}.wav`));
    const existing = await readFile(file).catch(() => undefined);
    if (existing) return { file, sha256: sha256(existing), cached: true };
    const pcm = await this.speech.render(text, { voice, wordsPerMinute: wpm });
    const wav = encodeWav(resample(pcm, rate));
    await mkdir(this.opts.dir, { recursive: true });
    const part = `${file}.${process.pid}.part`;
    await writeFile(part, wav);
    await rename(part, file);
    return { file, sha256: sha256(wav), cached: false };
  }
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}
