import { createHash } from 'node:crypto';
import { AppError } from '../../src/domain/errors.ts';
import type { Clock } from '../../src/domain/ports/clock.ts';
import type { SynthesizedPrompt, Synthesizer } from '../../src/domain/ports/synthesizer.ts';
import type { Transcriber, TranscribePurpose, Transcript } from '../../src/domain/ports/transcriber.ts';
import { BoundedJobQueue } from '../../src/speech/bounded-job-queue.ts';

/**
 * "Speech" for fakes: a valid RIFF/WAVE file (8 kHz 16-bit mono, 100 ms of silence) that carries the
 * words the fake caller said in an extra `ckfk` chunk, so a FakeCallLeg's recording and a
 * FakeTranscriber agree on what was said without real speech recognition.
 */
export function fakeSpeechWav(text: string): Buffer {
  const said = Buffer.from(text, 'utf8');
  const pad = said.length % 2;
  const pcm = Buffer.alloc(1600);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'ascii');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8);
  fmt.writeUInt16LE(1, 10);
  fmt.writeUInt32LE(8000, 12);
  fmt.writeUInt32LE(16000, 16);
  fmt.writeUInt16LE(2, 20);
  fmt.writeUInt16LE(16, 22);
  const ck = Buffer.alloc(8 + said.length + pad);
  ck.write('ckfk', 0, 'ascii');
  ck.writeUInt32LE(said.length, 4);
  said.copy(ck, 8);
  const data = Buffer.alloc(8);
  data.write('data', 0, 'ascii');
  data.writeUInt32LE(pcm.length, 4);
  const body = Buffer.concat([Buffer.from('WAVE', 'ascii'), fmt, ck, data, pcm]);
  const riff = Buffer.alloc(8);
  riff.write('RIFF', 0, 'ascii');
  riff.writeUInt32LE(body.length, 4);
  return Buffer.concat([riff, body]);
}

/** The words carried by `fakeSpeechWav`, or null when the buffer is not one. */
export function readFakeSpeech(wav: Buffer): string | null {
  if (wav.length < 12 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return null;
  for (let off = 12; off + 8 <= wav.length; ) {
    const id = wav.toString('ascii', off, off + 4);
    const size = wav.readUInt32LE(off + 4);
    if (id === 'ckfk') return wav.toString('utf8', off + 8, off + 8 + size);
    off += 8 + size + (size % 2);
  }
  return null;
}

export interface FakeTranscriberOptions {
  /** What was "heard": default the words in the fake WAV. */
  readonly transcript?: (said: string, purpose: TranscribePurpose) => string;
  /** Confidence score 0..1 (default 0.9), or a function of what was said. */
  readonly confidence?: number | ((said: string, purpose: TranscribePurpose) => number);
  /** Fail these requests with `SPEECH.ENGINE_FAILED` (or `failWith`). */
  readonly failOn?: (purpose: TranscribePurpose, nth: number) => boolean;
  readonly failWith?: 'SPEECH.ENGINE_FAILED' | 'SPEECH.SATURATED';
  /** Never answer these requests (to exercise the flow's timeouts). */
  readonly hangOn?: (purpose: TranscribePurpose, nth: number) => boolean;
  /** Answer after this much time on `clock` (default at once, on the next tick); `only` limits it to one purpose. */
  readonly delay?: { readonly clock: Clock; readonly ms: number; readonly only?: TranscribePurpose };
  /**
   * A slow recognizer that can saturate: requests go through a real `BoundedJobQueue` of `concurrency`
   * (answers ahead of messages, as the adapters do), each taking `jobMs` of `clock` time once it runs.
   */
  readonly queue?: { readonly clock: Clock; readonly concurrency: number; readonly jobMs: number; readonly maxQueued?: number };
}

/** A scripted `Transcriber` that records what it was asked. */
export class FakeTranscriber implements Transcriber {
  readonly engine = 'fake';
  readonly requests: Array<{ purpose: TranscribePurpose; said: string | null }> = [];
  /** The waiting line, with the `queue` knob (the load watch observes it, as it does the adapters'). */
  readonly queue: BoundedJobQueue | undefined;
  readonly #opts: FakeTranscriberOptions;
  #closed = false;

  constructor(opts: FakeTranscriberOptions = {}) {
    this.#opts = opts;
    const q = opts.queue;
    this.queue = q === undefined ? undefined : new BoundedJobQueue(q.concurrency, q.maxQueued, () => q.clock.now());
  }

  get closed(): boolean {
    return this.#closed;
  }

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose; signal?: AbortSignal }): Promise<Transcript> {
    const q = this.#opts.queue;
    if (this.queue === undefined || q === undefined) return this.#transcribe(wav, opts);
    return this.queue.run(
      async () => {
        await new Promise<void>((resolve) => q.clock.setTimer(q.jobMs, resolve));
        return this.#transcribe(wav, opts);
      },
      { urgent: opts.purpose === 'consent-answer', ...(opts.signal ? { signal: opts.signal } : {}) },
    );
  }

  async #transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript> {
    const said = readFakeSpeech(wav);
    const nth = this.requests.filter((r) => r.purpose === opts.purpose).length;
    this.requests.push({ purpose: opts.purpose, said });
    if (said === null) throw new AppError('SPEECH.BAD_AUDIO', 'not a fake speech WAV');
    if (this.#opts.hangOn?.(opts.purpose, nth) === true) return new Promise<Transcript>(() => undefined);
    if (this.#opts.delay !== undefined && (this.#opts.delay.only === undefined || this.#opts.delay.only === opts.purpose)) {
      const { clock, ms } = this.#opts.delay;
      await new Promise<void>((resolve) => clock.setTimer(ms, resolve));
    } else {
      await Promise.resolve();
    }
    if (this.#opts.failOn?.(opts.purpose, nth) === true) throw new AppError(this.#opts.failWith ?? 'SPEECH.ENGINE_FAILED', 'scripted transcription failure', { retryable: true });
    const text = this.#opts.transcript?.(said, opts.purpose) ?? said;
    const c = this.#opts.confidence;
    const score = typeof c === 'function' ? c(said, opts.purpose) : (c ?? 0.9);
    return {
      text,
      segments: text === '' ? [] : [{ startMs: 0, endMs: 100, text }],
      engine: 'fake',
      model: 'fake',
      audioMs: 100,
      elapsedMs: 0,
      confidence: { score, avgLogProb: null, noSpeechProb: null },
    };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/**
 * A `Synthesizer` that writes nothing: each text gets a stable fake path; `textOf(file)` maps it back so
 * tests can read what a leg played. `failOn` makes chosen texts fail with `SPEECH.SYNTH_FAILED`.
 */
export class FakeSynthesizer implements Synthesizer {
  readonly engine = 'fake';
  readonly requests: string[] = [];
  readonly #byFile = new Map<string, string>();
  readonly #failOn: ((text: string) => boolean) | undefined;

  constructor(opts: { readonly failOn?: (text: string) => boolean } = {}) {
    this.#failOn = opts.failOn;
  }

  async synthesize(text: string): Promise<SynthesizedPrompt> {
    this.requests.push(text);
    if (this.#failOn?.(text) === true) throw new AppError('SPEECH.SYNTH_FAILED', 'scripted synthesis failure');
    const sha256 = createHash('sha256').update(text).digest('hex');
    const file = `/fake/prompts/${sha256.slice(0, 16)}.wav`;
    const cached = this.#byFile.has(file);
    this.#byFile.set(file, text);
    return { file, sha256, cached };
  }

  textOf(file: string): string | undefined {
    return this.#byFile.get(file);
  }
}
