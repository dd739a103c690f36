import { readFileSync } from 'node:fs';
import { AppError } from '../domain/errors.ts';
import type { Transcriber } from '../domain/ports/transcriber.ts';
import { createTranscriber, type SpeechSettings } from '../speech/speech-factory.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

/** `transcribe` (src/cli/transcribe-command.ts). */
export async function transcribe(ctx: CliContext, file: string, o: EngineFlags & { json?: boolean }): Promise<void> {
  const wav = readAudioFile(file);
  const transcriber = transcriberFor(ctx, o);
  try {
    const t = await transcriber.transcribe(wav, { purpose: 'message' });
    if (o.json) writeLine(ctx.stdout, JSON.stringify(t));
    else writeLine(ctx.stdout, t.text);
  } finally {
    await transcriber.close();
  }
}

/** Options shared by `transcribe` and `consent classify --audio`. */
export interface EngineFlags {
  engine?: string;
  model?: string;
  /** Decoding for random-weight test models: greedy without temperature fallback, N tokens per second. */
  tokensPerSecond?: string;
  fallback?: boolean;
}

export function readAudioFile(file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'INPUT.NOT_FOUND' : 'SPEECH.BAD_AUDIO', code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code})`, { cause: e });
  }
}

/** The transcriber the flags ask for, else the configured one (config is only loaded when needed). */
export function transcriberFor(ctx: CliContext, o: EngineFlags): Transcriber {
  if (o.engine !== undefined && o.engine !== 'whisper' && o.engine !== 'pocketsphinx') {
    throw new AppError('INPUT.INVALID', `--engine must be whisper or pocketsphinx, not ${o.engine}`);
  }
  const configured: SpeechSettings = o.engine && (o.engine === 'pocketsphinx' || o.model) ? { engine: 'auto' } : ctx.config().config.speech;
  const settings: SpeechSettings = {
    ...configured,
    engine: (o.engine as SpeechSettings['engine'] | undefined) ?? (o.model ? 'whisper' : configured.engine),
    whisperModel: o.model ?? configured.whisperModel,
  };
  const perSecond = o.tokensPerSecond === undefined ? undefined : Number(o.tokensPerSecond);
  if (perSecond !== undefined && !(perSecond > 0)) throw new AppError('INPUT.INVALID', '--tokens-per-second must be a positive number');
  return createTranscriber(settings, {
    whisper: { ...(perSecond ? { maxTokensPerSecond: perSecond } : {}), ...(o.fallback === false ? { temperatureFallback: false } : {}) },
  });
}
