import { basename, dirname } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { WHISPER_MODELS } from '../speech/whisper-model-catalog.ts';
import { hashFile, pullWhisperModel } from '../speech/whisper-model-downloader.ts';
import { inspectWhisperModel } from '../speech/whisper-model-file.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

const DEFAULT_MODEL_DIR = './data/models';

export function registerModelCommand(program: Command, ctx: CliContext): void {
  const model = program.command('model').description('Whisper model files: download and verify');
  model
    .command('pull')
    .description(`download an official whisper.cpp model (${Object.keys(WHISPER_MODELS).join(', ')}), resuming a partial download`)
    .argument('<name>', 'tiny.en, base.en or small.en')
    .option('--mirror <url>', 'where the ggml-*.bin files are (default: the whisper.cpp repository on Hugging Face)')
    .option('--dir <dir>', `where to put the file (default: the configured model's folder, else ${DEFAULT_MODEL_DIR})`)
    .option('--sha256 <hex>', "expect this SHA-256 instead of the published SHA-1 (a mirror's own build)")
    .addHelpText('after', '\nExamples:\n  callkeeper model pull base.en\n  callkeeper model pull tiny.en --mirror http://models.internal/whisper/ --dir /var/lib/callkeeper/models')
    .action(async (name: string, o: { mirror?: string; dir?: string; sha256?: string }) => {
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
    });

  model
    .command('check')
    .description('verify a Whisper model file: magic, structure, size, and the published checksum for official names')
    .option('--model <path>', 'the model (default: speech.whisperModel)')
    .action(async (o: { model?: string }) => {
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
    });
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
