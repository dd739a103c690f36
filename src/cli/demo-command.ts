import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./demo-actions.ts');

/** `callkeeper demo`: the whole chain on this machine (simulated engine and SMSC, real everything else). */
export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description('show the whole chain on this machine: a simulated call with real audio, the consent ledger, the SMSC, a STOP')
    .option('--engine <engine>', 'asterisk (ARI simulator) or freeswitch (ESL peer)', 'asterisk')
    .option('--message <text>', 'what the caller says after the tone', 'Hi, this is Dana. My kitchen faucet is leaking. Please call me back.')
    .option('--answer <text>', 'what the caller answers to the consent question', 'Yes.')
    .option('--whisper-model <file>', 'use this Whisper model instead of the configured recognizer')
    .option('--keep', 'keep the demo database, recordings and log')
    .addHelpText('after', '\nExamples:\n  callkeeper demo\n  callkeeper demo --answer "No thanks"\n  callkeeper demo --engine freeswitch\n')
    .action(lazyAction(ctx, async () => (await actions()).demo));
}
