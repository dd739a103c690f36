import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { Synthesizer } from '../domain/ports/synthesizer.ts';
import type { Transcriber } from '../domain/ports/transcriber.ts';
import { CachingSynthesizer } from './caching-synthesizer.ts';
import { EspeakCliEngine } from './espeak-cli-engine.ts';
import { EspeakWasmEngine } from './espeak-wasm-engine.ts';
import { PocketSphinxTranscriber } from './pocketsphinx-transcriber.ts';
import { inspectAnswerModel, type WhisperModelInfo } from './whisper-model-file.ts';
import { WhisperTranscriber, type WhisperOptions } from './whisper-transcriber.ts';

/** The `speech` config slice (structurally config.speech; adapters do not import the config module). */
export interface SpeechSettings {
  readonly engine: 'auto' | 'whisper' | 'pocketsphinx';
  readonly whisperModel?: string | undefined;
  /** A second model for consent answers only (src/speech/README.md, "Answer model"). */
  readonly answerModel?: string | undefined;
  readonly threads?: number | undefined;
  readonly jobs?: number | undefined;
  readonly maxTokensPerSecond?: number | undefined;
  readonly temperatureFallback?: boolean | undefined;
}

/** The `prompts` config slice. */
export interface PromptSettings {
  readonly dir: string;
  readonly synthesizer: 'auto' | 'espeak-ng' | 'espeak-ng-wasm';
  readonly voice: string;
}

/**
 * Builds the configured Transcriber: Whisper when a model is configured (`auto`) or asked for, else
 * PocketSphinx. `whisper` passes decoding options through (tests and benchmarks use greedy decoding
 * without fallback and a token cap, since random-weight models never stop on their own).
 */
export function createTranscriber(
  settings: SpeechSettings,
  deps: { logger?: Logger; whisper?: Partial<WhisperOptions>; now?: () => number } = {},
): Transcriber {
  const useWhisper = usesWhisper(settings);
  if (!useWhisper && settings.answerModel !== undefined) throw answerModelWithoutWhisper();
  if (!useWhisper) return new PocketSphinxTranscriber({ ...(settings.jobs ? { concurrency: settings.jobs } : {}), ...(deps.now ? { now: deps.now } : {}) });
  if (!settings.whisperModel) {
    throw new AppError('SPEECH.MODEL_MISSING', 'speech.engine is whisper but speech.whisperModel is not set (see `callkeeper model pull`)');
  }
  return new WhisperTranscriber({
    ...deps.whisper,
    modelPath: settings.whisperModel,
    ...(settings.answerModel !== undefined ? { answerModelPath: settings.answerModel } : {}),
    ...(settings.threads ? { threads: settings.threads } : {}),
    ...(settings.jobs ? { concurrency: settings.jobs } : {}),
    ...(settings.maxTokensPerSecond ? { maxTokensPerSecond: settings.maxTokensPerSecond } : {}),
    ...(settings.temperatureFallback !== undefined ? { temperatureFallback: settings.temperatureFallback } : {}),
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.now ? { now: deps.now } : {}),
  });
}

/** Whether these settings pick Whisper (asked for, or `auto` with a model configured). */
export function usesWhisper(settings: SpeechSettings): boolean {
  return settings.engine === 'whisper' || (settings.engine === 'auto' && !!settings.whisperModel);
}

/** An answer model only means something next to Whisper: PocketSphinx has no use for it. */
export function answerModelWithoutWhisper(): AppError {
  return new AppError('CONFIG.INVALID', 'speech.answerModel is set but the recognizer is PocketSphinx (set speech.whisperModel, or remove speech.answerModel)');
}

/**
 * Checks `speech.answerModel` the way start-up will (`config check`, `doctor`): nothing when unset, its
 * model's facts when it is a good file next to Whisper, else the one-line AppError serve would stop with.
 */
export function checkAnswerModel(settings: SpeechSettings): WhisperModelInfo | null {
  if (settings.answerModel === undefined) return null;
  if (!usesWhisper(settings)) throw answerModelWithoutWhisper();
  return inspectAnswerModel(settings.answerModel);
}

/** Builds the prompt Synthesizer: eSpeak NG in WebAssembly by default (no system package needed). */
export function createSynthesizer(settings: PromptSettings): Synthesizer {
  switch (settings.synthesizer) {
    case 'auto':
    case 'espeak-ng-wasm':
      return new CachingSynthesizer(new EspeakWasmEngine(), { dir: settings.dir, voice: settings.voice });
    case 'espeak-ng':
      return new CachingSynthesizer(new EspeakCliEngine(), { dir: settings.dir, voice: settings.voice });
  }
}
