import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./serve-actions.ts');

/**
 * `callkeeper serve` (`npm start`): runs the service until SIGTERM/SIGINT (drain, then exit 0); SIGHUP
 * reloads. The global `--db` overrides `database.path`, as for every other command.
 */
export function registerServeCommand(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .description('run the service: take calls from the engine, send texts through SMPP, admin HTTP on loopback')
    .addHelpText('after', '\nExample:\n  callkeeper --config /etc/callkeeper/callkeeper.yaml serve\n')
    .action(lazyAction(ctx, async () => (await actions()).serve));
}
