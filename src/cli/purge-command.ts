import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

const actions = () => import('./purge-actions.ts');

export function registerPurgeCommand(program: Command, ctx: CliContext): void {
  program
    .command('purge')
    .description(
      'delete call recordings older than recordings.retentionDays; the calls keep their paths and hashes, the consent ledger is never touched',
    )
    .option('--dry-run', 'list what would be deleted; delete nothing')
    .option('--older-than-days <n>', 'override recordings.retentionDays for this run', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new AppError('INPUT.INVALID', `--older-than-days must be a whole number of days ≥ 1, got ${v}`);
      return n;
    })
    .option('--json', 'print the report as JSON')
    .addHelpText(
      'after',
      '\nExit status: 0 when every expired recording is gone, 1 when some could not be deleted (they are retried next run).\n' +
        '\nExamples:\n  callkeeper purge --dry-run\n  callkeeper --config /etc/callkeeper/callkeeper.yaml purge --json',
    )
    .action(lazyAction(ctx, async () => (await actions()).purge));
}
