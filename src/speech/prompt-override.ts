import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { durationMs, parseWav } from '../domain/audio/wav-codec.ts';

export interface PromptOverride {
  readonly file: string;
  readonly sha256: string;
  readonly sampleRate: number;
  readonly durationMs: number;
}

const SAFE = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/**
 * An operator-recorded prompt: `<overridesDir>/<businessId>/<promptName>.wav` (config
 * `prompts.overridesDir`). Returns null when there is none; throws SPEECH.BAD_AUDIO when the file is
 * there but is not a usable WAV, so the caller can log it and fall back to synthesis.
 */
export async function findPromptOverride(overridesDir: string | undefined, businessId: string | number, promptName: string): Promise<PromptOverride | null> {
  if (!overridesDir) return null;
  const id = String(businessId);
  if (!SAFE.test(id) || !SAFE.test(promptName)) throw new AppError('INPUT.INVALID', 'prompt override names may hold only letters, digits, ".", "_" and "-"');
  const file = resolve(join(overridesDir, id, `${promptName}.wav`));
  let buf: Buffer;
  try {
    buf = await readFile(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new AppError('SPEECH.BAD_AUDIO', `cannot read prompt override ${file}`, { cause: e });
  }
  let audio;
  try {
    audio = parseWav(buf);
  } catch (e) {
    throw new AppError('SPEECH.BAD_AUDIO', `prompt override ${file} is ${(e as Error).message}`, { cause: e });
  }
  return { file, sha256: createHash('sha256').update(buf).digest('hex'), sampleRate: audio.sampleRate, durationMs: durationMs(audio) };
}
