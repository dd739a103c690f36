import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./messages-actions.ts');

export function registerMessagesCommand(program: Command, ctx: CliContext): void {
  const messages = commandGroup(program, 'messages', 'texts sent and received');
  messages
    .command('list')
    .description('list texts, newest first: outbound with their state, inbound with the keyword (or "reply") and the call they belong to')
    .option('--business <id>', 'only this business')
    .option('--in', 'only inbound texts (replies from consumers)')
    .option('--limit <n>', 'at most this many rows', '100')
    .option('--json', 'print JSON lines')
    .addHelpText('after', '\nExample:\n  callkeeper messages list --business 1 --in')
    .action(lazyAction(ctx, async () => (await actions()).messagesList));
}
