import { Option, type Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./transcribe-actions.ts');

export function registerTranscribeCommand(program: Command, ctx: CliContext): void {
  program
    .command('transcribe')
    .description('transcribe a WAV file on this machine (Whisper if a model is configured, else PocketSphinx)')
    .argument('<file>', 'a WAV file (8 or 16 kHz telephone audio is fine)')
    .option('--json', 'print {text, segments, engine, model, audioMs, elapsedMs, confidence}')
    .addOption(new Option('--engine <engine>', 'recognizer').choices(['whisper', 'pocketsphinx']))
    .option('--model <path>', 'whisper.cpp ggml model (default: speech.whisperModel)')
    .addOption(new Option('--tokens-per-second <n>', 'cap decoded tokens per second of audio').hideHelp())
    .addOption(new Option('--no-fallback', 'greedy decoding without temperature fallback').hideHelp())
    .addHelpText('after', '\nExamples:\n  callkeeper transcribe message.wav\n  callkeeper transcribe answer.wav --json --model data/models/ggml-base.en.bin')
    .action(lazyAction(ctx, async () => (await actions()).transcribe));
}
