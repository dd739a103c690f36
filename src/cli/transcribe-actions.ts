import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
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

/**
 * Reads a WAV the user named. Only a regular file: reading a FIFO (or a terminal, a socket) waits for a
 * writer that may never come. The file is opened non-blocking, which returns at once even for a FIFO,
 * and its type is checked on the opened descriptor, so nothing can be swapped in between.
 */
export function readAudioFile(file: string): Buffer {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new AppError(code === 'ENOENT' ? 'INPUT.NOT_FOUND' : 'SPEECH.BAD_AUDIO', code === 'ENOENT' ? `no such file: ${file}` : `cannot read ${file} (${code})`, { cause: e });
  }
  try {
    if (!fstatSync(fd).isFile()) throw new AppError('INPUT.INVALID', `${file} is not a regular file (a WAV file is expected)`);
    return readFileSync(fd);
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('SPEECH.BAD_AUDIO', `cannot read ${file} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, { cause: e });
  } finally {
    closeSync(fd);
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
