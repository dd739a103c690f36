import type { Command } from 'commander';
import { DEFAULT_MODEL_DIR, WHISPER_MODELS } from '../speech/whisper-model-catalog.ts';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./model-actions.ts');

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
    .action(lazyAction(ctx, async () => (await actions()).modelPull));

  model
    .command('check')
    .description('verify a Whisper model file: magic, structure, size, and the published checksum for official names')
    .option('--model <path>', 'the model (default: speech.whisperModel)')
    .action(lazyAction(ctx, async () => (await actions()).modelCheck));
}
