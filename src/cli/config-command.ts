import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./config-actions.ts');

export function registerConfigCommand(program: Command, ctx: CliContext): void {
  const config = program.command('config').description('inspect the configuration');
  config
    .command('check')
    .description('validate the config (file + CALLKEEPER_* env, and what serve would refuse) and print it with secrets masked; exit 1 on errors')
    .option('--json', 'print JSON instead of YAML')
    .addHelpText('after', '\nExample:\n  callkeeper --config /etc/callkeeper/callkeeper.yaml config check')
    .action(lazyAction(ctx, async () => (await actions()).configCheck));
}
