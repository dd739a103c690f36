import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_MODEL_MIRROR, WHISPER_MODELS, type ModelCatalog } from './whisper-model-catalog.ts';
import { inspectWhisperModel, type WhisperModelInfo } from './whisper-model-file.ts';

export interface PullOptions {
  readonly name: string;
  readonly dir: string;
  readonly mirror?: string;
  /** Overrides the catalog's checksum (a mirror with re-converted files, or a test). */
  readonly sha256?: string;
  readonly catalog?: ModelCatalog;
  readonly fetch?: typeof fetch;
  readonly onProgress?: (received: number, total: number | null) => void;
}

export interface PullResult {
  readonly path: string;
  readonly bytes: number;
  readonly resumedFrom: number;
  readonly checksum: string;
  readonly info: WhisperModelInfo;
}

/**
 * Downloads an official model by its published name into `<dir>/<file>`: the bytes go to `<file>.part`
 * first and a second run resumes it with an HTTP Range request; the finished file must have the
 * published checksum, the ggml magic and a complete structure before it is renamed into place.
 */
export async function pullWhisperModel(opts: PullOptions): Promise<PullResult> {
  const entry = (opts.catalog ?? WHISPER_MODELS)[opts.name];
  if (!entry) throw new AppError('INPUT.INVALID', `unknown model ${opts.name}; one of: ${Object.keys(opts.catalog ?? WHISPER_MODELS).join(', ')}`);
  const doFetch = opts.fetch ?? fetch;
  const base = opts.mirror ?? DEFAULT_MODEL_MIRROR;
  const url = new URL(entry.file, base.endsWith('/') ? base : `${base}/`).toString();
  await mkdir(opts.dir, { recursive: true });
  const final = join(opts.dir, entry.file);
  const part = `${final}.part`;
  const have = await stat(part).then((s) => s.size, () => 0);

  let res: Response;
  try {
    res = await doFetch(url, { headers: have > 0 ? { range: `bytes=${have}-` } : {}, redirect: 'follow' });
  } catch (e) {
    throw new AppError('SPEECH.MODEL_MISSING', `cannot download ${entry.file}: ${(e as Error).message}`, { retryable: true, cause: e });
  }
  let resumedFrom = 0;
  let total: number | null = null;
  const length = Number(res.headers.get('content-length') ?? NaN);
  if (res.status === 206 && have > 0) {
    resumedFrom = have;
    const m = /\/(\d+)$/.exec(res.headers.get('content-range') ?? '');
    total = m ? Number(m[1]) : Number.isFinite(length) ? have + length : null;
  } else if (res.status === 416 && have > 0) {
    // The part file already holds every byte: verify it below.
    resumedFrom = have;
    total = have;
  } else if (res.ok) {
    total = Number.isFinite(length) ? length : null; // a server without Range support starts over
  } else {
    throw new AppError('SPEECH.MODEL_MISSING', `cannot download ${entry.file}: HTTP ${res.status}`, { retryable: res.status >= 500 });
  }

  if (res.status !== 416 && res.body) {
    let received = resumedFrom;
    const counter = async function* (src: AsyncIterable<Uint8Array>) {
      for await (const chunk of src) {
        received += chunk.length;
        opts.onProgress?.(received, total);
        yield chunk;
      }
    };
    const sink = createWriteStream(part, { flags: resumedFrom > 0 ? 'a' : 'w' });
    try {
      await pipeline(Readable.fromWeb(res.body as never), counter, sink);
    } catch (e) {
      // pipeline rejects as soon as the source fails; wait until the part file is closed, so that the
      // next run (and anyone looking) sees every byte that was written and resumes from there.
      if (!sink.closed) await new Promise<void>((r) => sink.once('close', () => r()));
      throw new AppError('SPEECH.MODEL_MISSING', `download of ${entry.file} was interrupted at ${received} bytes; run the command again to resume`, { retryable: true, cause: e });
    }
  } else {
    await res.body?.cancel();
  }

  const size = (await stat(part)).size;
  if (total !== null && size !== total) {
    throw new AppError('SPEECH.MODEL_INVALID', `download of ${entry.file} is incomplete (${size} of ${total} bytes); run the command again to resume`, { retryable: true });
  }
  const algo = opts.sha256 ? 'sha256' : entry.sha256 ? 'sha256' : 'sha1';
  const expected = (opts.sha256 ?? entry.sha256 ?? entry.sha1 ?? '').toLowerCase();
  const actual = await hashFile(part, algo);
  const refuse = async (why: string): Promise<never> => {
    await rm(part, { force: true }); // a wrong file cannot be resumed into a right one
    throw new AppError('SPEECH.MODEL_INVALID', `refused ${entry.file}: ${why}`);
  };
  let info: WhisperModelInfo;
  try {
    info = inspectWhisperModel(part);
  } catch (e) {
    return refuse((e as Error).message.replace(/^invalid Whisper model \S+: /, ''));
  }
  if (expected && actual !== expected) return refuse(`${algo} is ${actual}, the published checksum is ${expected}`);
  if (entry.kind && info.kind !== entry.kind) return refuse(`it holds a ${info.kind} model, not ${entry.kind}`);
  await rename(part, final);
  return { path: final, bytes: size, resumedFrom, checksum: `${algo}:${actual}`, info };
}

export async function hashFile(path: string, algo: 'sha1' | 'sha256'): Promise<string> {
  const h = createHash(algo);
  await pipeline(createReadStream(path), h);
  return h.digest('hex');
}
