import { basename, dirname } from 'node:path';
import { AppError } from '../domain/errors.ts';
import { DEFAULT_MODEL_DIR, WHISPER_MODELS } from '../speech/whisper-model-catalog.ts';
import { hashFile, pullWhisperModel } from '../speech/whisper-model-downloader.ts';
import { inspectWhisperModel } from '../speech/whisper-model-file.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

/** `model pull` (src/cli/model-command.ts). */
export async function modelPull(ctx: CliContext, name: string, o: { mirror?: string; dir?: string; sha256?: string }): Promise<void> {
  if (o.sha256 !== undefined && !/^[0-9a-f]{64}$/i.test(o.sha256)) throw new AppError('INPUT.INVALID', '--sha256 must be 64 hex digits');
  const dir = o.dir ?? configuredModelDir(ctx);
  const tty = (ctx.stderr as NodeJS.WriteStream).isTTY === true;
  let lastDraw = 0;
  const r = await pullWhisperModel({
    name,
    dir,
    ...(o.mirror ? { mirror: o.mirror } : {}),
    ...(o.sha256 ? { sha256: o.sha256.toLowerCase() } : {}),
    onProgress: (received, total) => {
      const now = Date.now();
      // Redraw at most 10 times a second: a terminal cannot show more, and each write costs.
      if (!tty || (now - lastDraw < 100 && received !== total)) return;
      lastDraw = now;
      ctx.stderr.write(`\r${progressBar(received, total ?? WHISPER_MODELS[name]?.approxBytes ?? received)}`);
    },
  });
  if (tty) ctx.stderr.write('\n');
  writeLine(ctx.stdout, JSON.stringify({ path: r.path, bytes: r.bytes, resumedFrom: r.resumedFrom, checksum: r.checksum, kind: r.info.kind }));
  writeLine(ctx.stderr, `set speech.whisperModel: ${r.path}`);
}

/** `model check`. */
export async function modelCheck(ctx: CliContext, o: { model?: string }): Promise<void> {
  const path = o.model ?? ctx.config().config.speech.whisperModel;
  if (!path) throw new AppError('SPEECH.MODEL_MISSING', 'no model given and speech.whisperModel is not set');
  const info = inspectWhisperModel(path);
  const official = Object.values(WHISPER_MODELS).find((m) => m.file === basename(path));
  let checksum = 'not an official file name';
  if (official?.sha1) {
    const sha1 = await hashFile(path, 'sha1');
    if (sha1 !== official.sha1) throw new AppError('SPEECH.MODEL_INVALID', `${path}: SHA-1 is ${sha1}, the published checksum is ${official.sha1}`);
    checksum = 'matches the published SHA-1';
  }
  writeLine(ctx.stdout, JSON.stringify({ ok: true, path, kind: info.kind, sizeBytes: info.sizeBytes, tensors: info.tensors, checksum }));
}

function configuredModelDir(ctx: CliContext): string {
  try {
    const configured = ctx.config().config.speech.whisperModel;
    return configured ? dirname(configured) : DEFAULT_MODEL_DIR;
  } catch {
    return DEFAULT_MODEL_DIR;
  }
}

export function progressBar(received: number, total: number): string {
  const width = 30;
  const frac = total > 0 ? Math.min(1, received / total) : 0;
  const filled = Math.round(frac * width);
  const mb = (n: number): string => (n / 1e6).toFixed(1);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${(frac * 100).toFixed(0).padStart(3)}% ${mb(received)}/${mb(total)} MB`;
}
