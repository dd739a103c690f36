import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('the SQLite database');
  db.command('migrate')
    .description('create the database if needed (mode 0600) and apply pending schema migrations; safe to run again')
    .option('--json', 'print the applied migrations as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper --db /var/lib/callkeeper/callkeeper.db db migrate')
    .action(lazyAction(ctx, async () => (await import('./db-actions.ts')).dbMigrate));
}
