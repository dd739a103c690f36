import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import { AppError, isAppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { TranscribePurpose, Transcriber, Transcript, TranscriptSegment } from '../domain/ports/transcriber.ts';
import { resample } from '../domain/audio/audio-resampler.ts';
import { BoundedJobQueue } from './bounded-job-queue.ts';
import { speechSchedule } from './speech-schedule.ts';
import { durationMs, parseWav } from '../domain/audio/wav-codec.ts';
import { inspectAnswerModel, inspectWhisperModel, type WhisperModelInfo } from './whisper-model-file.ts';

export interface WhisperOptions {
  readonly modelPath: string;
  /**
   * A second model used only for consent answers (`speech.answerModel`); unset, answers use modelPath.
   * Both share one queue, so the answer lane and the metrics work as before (src/speech/README.md,
   * "Answer model").
   */
  readonly answerModelPath?: string | undefined;
  /**
   * Threads per transcription; default 1: ggml's threads spin while they wait for each other, so on shared
   * cores one thread per job was 2.4-9x faster than two (src/speech/README.md, "Scheduling").
   */
  readonly threads?: number;
  /** Transcriptions of any kind at once; default cores / threads - 1 (at least 1), leaving the answer lane. */
  readonly concurrency?: number;
  /** More transcriptions that only consent answers may use, so an answer never waits behind messages. Default 1. */
  readonly answerLanes?: number;
  readonly maxQueued?: number;
  /** Shrink the encoder context to the clip's length (plus 1 s) for clips under 30 s. Default true. */
  readonly shrinkAudioCtx?: boolean;
  /** 1 = greedy (default), >1 = beam search of that width. */
  readonly beamSize?: number;
  /** Re-decode at higher temperatures when a decode looks bad (whisper.cpp default). Default true. */
  readonly temperatureFallback?: boolean;
  /**
   * Token cap per segment, per second of audio. Real speech runs about 3 tokens/s; the default 8 bounds a
   * hallucination loop. Random-weight test models never emit end-of-text: give them 3 (scripts/README.md).
   */
  readonly maxTokensPerSecond?: number;
  /**
   * Decode every clip as one segment without timestamp tokens (consent answers always are). For
   * random-weight models: their timestamp tokens are noise, and whisper.cpp then seeks through the clip
   * in tiny steps, re-running the encoder each time (measured: base.en, 20 s clip, 92 s instead of ~2 s).
   */
  readonly singleSegment?: boolean;
  readonly logger?: Logger;
  /** Time source for queue waits (the service's `Clock.now`). */
  readonly now?: () => number;
}

/** The part of smart-whisper this adapter uses (its API is CommonJS, loaded on first use). */
interface NativeModel {
  readonly handle: unknown;
  free(): Promise<void>;
}
interface NativeToken { readonly text: string; readonly p: number }
interface NativeSegment { readonly from: number; readonly to: number; readonly text: string; readonly tokens?: readonly NativeToken[] }
/** A loaded model and what its file says it is. */
interface LoadedModel {
  readonly native: NativeModel;
  readonly info: WhisperModelInfo;
}
interface LoadedModels {
  readonly main: LoadedModel;
  /** The answer model, or null when answers use the main one. */
  readonly answer: LoadedModel | null;
}
interface SmartWhisper {
  WhisperModel: { load(file: string, gpu?: boolean): Promise<NativeModel> };
  TranscribeTask: { run(model: NativeModel, pcm: Float32Array, params: Record<string, unknown>): Promise<{ result: Promise<unknown> }> };
}

const WHISPER_RATE = 16_000;
/** Whisper's encoder sees 50 frames per second of audio (1500 for its 30 s window). */
const FRAMES_PER_SECOND = 50;
const FULL_AUDIO_CTX = 1500;

/**
 * Whisper through smart-whisper (whisper.cpp compiled in-process; see src/speech/README.md for why this
 * binding). The model is validated, loaded once and kept; transcriptions go through a bounded queue.
 */
export class WhisperTranscriber implements Transcriber {
  readonly engine = 'whisper';
  readonly queue: BoundedJobQueue;
  private readonly threads: number;
  private loading: Promise<LoadedModels> | undefined;
  private info: WhisperModelInfo | undefined;
  private answerInfo: WhisperModelInfo | undefined;
  private closed = false;

  constructor(private readonly opts: WhisperOptions) {
    // libuv's default pool of 4 threads runs the jobs; one is left for file I/O (speech-schedule.ts).
    const s = speechSchedule(availableParallelism(), opts, 3);
    this.threads = s.threads;
    this.queue = new BoundedJobQueue(s.concurrency, opts.maxQueued, opts.now, s.answerLanes);
  }

  get modelName(): string {
    return nameOf(this.info, this.opts.modelPath);
  }

  /** The model consent answers are decoded with (the main one unless answerModelPath is set). */
  get answerModelName(): string {
    return this.opts.answerModelPath === undefined ? this.modelName : nameOf(this.answerInfo, this.opts.answerModelPath);
  }

  /** Validates and loads the model (once); call at start-up so the first caller does not wait for it. */
  async load(): Promise<WhisperModelInfo> {
    await this.model();
    return this.info!;
  }

  /** The port's start-up hook (Transcriber.warmUp): the model, validated and loaded. */
  async warmUp(): Promise<void> {
    await this.load();
  }

  private model(): Promise<LoadedModels> {
    if (this.closed) return Promise.reject(new AppError('SPEECH.ENGINE_FAILED', 'transcriber is closed'));
    this.loading ??= (async () => {
      // Both files are checked before either is loaded: a broken answer model fails start-up at once.
      this.info = inspectWhisperModel(this.opts.modelPath);
      const answerPath = this.opts.answerModelPath;
      if (answerPath !== undefined) this.answerInfo = inspectAnswerModel(answerPath);
      const sw = (await import('smart-whisper')) as unknown as SmartWhisper & { default?: SmartWhisper };
      const lib = sw.WhisperModel ? sw : sw.default!;
      this.lib = lib;
      const main = { native: await this.loadOne(lib, this.opts.modelPath, this.info, 'main'), info: this.info };
      if (answerPath === undefined || this.answerInfo === undefined) return { main, answer: null };
      try {
        return { main, answer: { native: await this.loadOne(lib, answerPath, this.answerInfo, 'answer'), info: this.answerInfo } };
      } catch (e) {
        await main.native.free();
        throw e;
      }
    })().catch((e: unknown) => {
      this.loading = undefined;
      throw isAppError(e) ? e : new AppError('SPEECH.ENGINE_FAILED', `Whisper could not load the model: ${(e as Error)?.message ?? e}`, { cause: e });
    });
    return this.loading;
  }

  private async loadOne(lib: SmartWhisper, path: string, info: WhisperModelInfo, role: 'main' | 'answer'): Promise<NativeModel> {
    const started = performance.now();
    const model = await lib.WhisperModel.load(path, false);
    this.opts.logger?.info(
      { model: info.kind, role, loadMs: Math.round(performance.now() - started), threads: this.threads, concurrency: this.queue.concurrency, answerLanes: this.queue.answerLanes },
      'whisper model loaded',
    );
    return model;
  }

  private lib: SmartWhisper | undefined;

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose; signal?: AbortSignal }): Promise<Transcript> {
    const audio = parseWav(wav);
    const audioMs = durationMs(audio);
    const pcm = resample(audio, WHISPER_RATE).samples;
    const models = await this.model();
    const chosen = opts.purpose === 'consent-answer' && models.answer !== null ? models.answer : models.main;
    const model = chosen.native;
    const modelName = nameOf(chosen.info, chosen.info.path);
    return this.queue.run(async () => {
      const started = performance.now();
      const params = this.params(audioMs, opts.purpose);
      let raw: unknown;
      try {
        const task = await this.lib!.TranscribeTask.run(model, pcm, params);
        raw = await task.result;
      } catch (e) {
        throw new AppError('SPEECH.ENGINE_FAILED', `Whisper failed: ${(e as Error)?.message ?? e}`, { cause: e, retryable: true });
      }
      if (!Array.isArray(raw)) {
        throw new AppError('SPEECH.ENGINE_FAILED', `Whisper failed: ${raw instanceof Error ? raw.message : 'no result'}`, { retryable: true });
      }
      return this.toTranscript(raw as NativeSegment[], audioMs, performance.now() - started, modelName);
    }, { urgent: opts.purpose === 'consent-answer', ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /** The whisper.cpp parameters for one clip; exposed so the benchmark can give the CLI baseline the same. */
  params(audioMs: number, purpose: TranscribePurpose): Record<string, unknown> {
    const seconds = audioMs / 1000;
    const shrink = (this.opts.shrinkAudioCtx ?? true) && seconds < 29;
    // Rounded up to a multiple of 64 with a second of slack: the encoder's cost grows with the context.
    const audioCtx = shrink ? Math.min(FULL_AUDIO_CTX, Math.ceil(((seconds + 1) * FRAMES_PER_SECOND) / 64) * 64) : 0;
    const beam = this.opts.beamSize ?? 1;
    const perSecond = this.opts.maxTokensPerSecond ?? 8;
    const single = purpose === 'consent-answer' || this.opts.singleSegment === true;
    return {
      language: 'en',
      n_threads: this.threads,
      strategy: beam > 1 ? 1 : 0,
      beam_size: beam,
      best_of: 1,
      temperature: 0,
      temperature_inc: this.opts.temperatureFallback ?? true ? 0.2 : 0,
      audio_ctx: audioCtx,
      max_tokens: Math.max(4, Math.ceil(seconds * perSecond)),
      // A consent answer is one short utterance: one segment, no timestamp tokens to decode.
      single_segment: single,
      no_timestamps: single,
      suppress_blank: true,
      format: 'detail',
    };
  }

  private toTranscript(raw: NativeSegment[], audioMs: number, elapsedMs: number, model: string): Transcript {
    const segments: TranscriptSegment[] = raw.map((s) => ({ startMs: Math.max(0, s.from), endMs: Math.min(audioMs, Math.max(0, s.to)), text: s.text.trim() }));
    // Text tokens only: [_BEG_], [_TT_n] and other specials carry no words.
    const probs = raw.flatMap((s) => (s.tokens ?? []).filter((t) => !/^\[_|^<\|/.test(t.text)).map((t) => t.p));
    const avgLogProb = probs.length ? probs.reduce((a, p) => a + Math.log(Math.max(p, 1e-10)), 0) / probs.length : null;
    return {
      text: segments.map((s) => s.text).filter(Boolean).join(' ').trim(),
      segments,
      engine: this.engine,
      model,
      audioMs,
      elapsedMs: Math.round(elapsedMs),
      // The score is the geometric mean token probability; whisper.cpp 1.6 (bundled by smart-whisper)
      // does not compute a no-speech probability, so that is null (see README).
      confidence: { score: avgLogProb === null ? 0 : Math.exp(avgLogProb), avgLogProb, noSpeechProb: null },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    const loading = this.loading;
    this.loading = undefined;
    if (!loading) return;
    await this.queue.idle();
    const models = await loading.catch(() => undefined);
    await models?.main.native.free();
    await models?.answer?.native.free();
  }
}

/** The model's kind from its shapes (`tiny.en`), else the file name. */
function nameOf(info: WhisperModelInfo | undefined, path: string): string {
  return info?.kind && info.kind !== 'unknown' ? info.kind : basename(path);
}

