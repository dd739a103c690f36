import { Option, type Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./consent-classify-actions.ts');

/** `consent classify`: how the call flow would judge an answer to the consent question. Exit 0 whatever the decision. */
export function registerConsentClassifyCommand(program: Command, ctx: CliContext): void {
  commandGroup(program, 'consent', 'SMS consent: the ledger and the spoken answer')
    .command('classify')
    .description('classify an answer to the consent question as granted, declined or unclear (JSON)')
    .option('--text <text>', 'the answer as text')
    .option('--audio <file>', 'the answer as a WAV recording (transcribed first)')
    .option('--confidence <score>', 'recognizer confidence 0..1 to assume with --text')
    .addOption(new Option('--engine <engine>', 'recognizer for --audio').choices(['whisper', 'pocketsphinx']))
    .option('--model <path>', 'whisper.cpp ggml model for --audio')
    .addOption(new Option('--tokens-per-second <n>').hideHelp())
    .addOption(new Option('--no-fallback').hideHelp())
    .addHelpText('after', '\nExamples:\n  callkeeper consent classify --text "yeah, go ahead"\n  callkeeper consent classify --audio answer.wav')
    .action(lazyAction(ctx, async () => (await actions()).consentClassify));
}
