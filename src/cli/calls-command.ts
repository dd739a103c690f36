import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./calls-actions.ts');

export function registerCallsCommand(program: Command, ctx: CliContext): void {
  const calls = commandGroup(program, 'calls', 'the calls callkeeper took: outcome, consent, texts');
  calls
    .command('list')
    .description('list calls, newest first: time, business, caller, outcome, consent decision, urgency, texts sent')
    .option('--business <id>', 'only this business')
    .option('--phone <e164>', 'only calls from this number')
    .option('--outcome <outcome>', 'only this outcome (consent-granted, consent-declined, consent-unclear, caller-hung-up, ...)')
    .option('--since <iso>', 'calls started at or after this time')
    .option('--until <iso>', 'calls started before this time')
    .option('--urgent', 'only calls judged urgent')
    .option('--limit <n>', 'at most this many rows', '50')
    .option('--json', 'print JSON lines')
    .addHelpText('after', '\nExample:\n  callkeeper calls list --business 1 --since 2026-12-01 --outcome consent-granted')
    .action(lazyAction(ctx, async () => (await actions()).callsList));
  calls
    .command('show')
    .description('one call: its row, the consent decision with the answer transcript, urgency and its rule, the texts it caused, staff notified')
    .argument('<id>', 'call id (from calls list)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  callkeeper calls show 42')
    .action(lazyAction(ctx, async () => (await actions()).callsShow));
}
