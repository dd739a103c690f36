import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./doctor-actions.ts');

/**
 * `callkeeper doctor`: checks what `serve` needs (config, database, the call engine of
 * config.engine, the SMSC bind, speech, prompts and recordings directories) and prints a table, or
 * JSON with --json. Exit 1 when any check fails; warnings do not fail.
 */
export function registerDoctorCommand(program: Command, ctx: CliContext): void {
  program
    .command('doctor')
    .description('check the config, database, call engine, SMPP bind, speech and directories; exit 1 when a check fails')
    .option('--json', 'print the checks as JSON')
    .option('--timeout <seconds>', 'give up on a check after this many seconds (default 15)', (v) => {
      const n = Number(v);
      if (!Number.isFinite(n) || n <= 0) throw new AppError('INPUT.INVALID', `--timeout must be a positive number of seconds, got ${v}`);
      return n;
    })
    .addHelpText(
      'after',
      '\nWarnings do not fail: e.g. the ARI app is registered only once `serve` has connected.\n' +
        '\nExamples:\n  callkeeper --config /etc/callkeeper/callkeeper.yaml doctor\n  callkeeper doctor --json --timeout 5',
    )
    .action(lazyAction(ctx, async () => (await actions()).doctor));
}
