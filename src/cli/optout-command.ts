import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./optout-actions.ts');

export function registerOptoutCommand(program: Command, ctx: CliContext): void {
  const optout = commandGroup(program, 'optout', 'consumers who opted out of texts');
  optout
    .command('list')
    .description('consumers whose latest consent event for a business is "revoked" (STOP, natural-language opt-out, admin)')
    .option('--business <id>', 'only this business')
    .option('--json', 'print JSON lines')
    .addHelpText('after', '\nExample:\n  callkeeper optout list --business 1 --json')
    .action(lazyAction(ctx, async () => (await actions()).optoutList));
}
