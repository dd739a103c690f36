import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { POCKETSPHINX_DEFAULTS } from './pocketsphinx-transcriber.ts';

/**
 * Is the PocketSphinx fallback (used when no Whisper model is configured) installed: the decoder on the
 * PATH and the model files PocketSphinxTranscriber passes to it (`-hmm`, `-dict`, `-lm`). For `doctor`.
 */
export interface PocketSphinxInstall {
  /** Where the binary was found. */
  readonly binary: string;
  readonly modelDir: string;
}

export function checkPocketSphinxInstall(opts: { pathEnv: string; binary?: string; modelDir?: string }): PocketSphinxInstall {
  const name = opts.binary ?? POCKETSPHINX_DEFAULTS.binary;
  const modelDir = opts.modelDir ?? POCKETSPHINX_DEFAULTS.modelDir;
  const candidates = name.includes('/') ? [name] : opts.pathEnv.split(delimiter).filter((d) => isAbsolute(d)).map((d) => join(d, name));
  const binary = candidates.find(isExecutableFile);
  if (!binary) throw new AppError('SPEECH.ENGINE_FAILED', `${name} not found on the PATH (install Debian pocketsphinx)`);
  const needed = [join(modelDir, 'en-us'), join(modelDir, 'cmudict-en-us.dict'), join(modelDir, 'en-us.lm.bin')];
  const missing = needed.filter((p) => !exists(p));
  if (missing.length > 0) {
    throw new AppError('SPEECH.MODEL_MISSING', `PocketSphinx model incomplete: ${missing.join(', ')} missing (install Debian pocketsphinx-en-us)`);
  }
  return { binary, modelDir };
}

function isExecutableFile(p: string): boolean {
  try {
    if (!statSync(p).isFile()) return false;
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function exists(p: string): boolean {
  try {
    statSync(p);
    return true;
  } catch {
    return false;
  }
}
