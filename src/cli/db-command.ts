import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { lazyAction } from './cli-context.ts';

export function registerDbCommand(program: Command, ctx: CliContext): void {
  const db = program.command('db').description('the database: migrate it (SQLite or PostgreSQL), copy SQLite to PostgreSQL');
  db.command('migrate')
    .description('apply pending schema migrations: the SQLite file (created if needed, mode 0600), or the configured PostgreSQL database (database.kind postgres); safe to run again')
    .option('--json', 'print the applied migrations as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper --db /var/lib/callkeeper/callkeeper.db db migrate')
    .action(lazyAction(ctx, async () => (await import('./db-actions.ts')).dbMigrate));
  db.command('copy')
    .description(
      'copy this SQLite install into an empty PostgreSQL database: every table PostgreSQL has, ids kept, the ledger verified on both with the same head; a non-empty target is refused',
    )
    .requiredOption('--to <url>', 'postgres://user:password@host:port/database (a socket directory: ?host=/run/postgresql)')
    .option('--json', 'print the rows copied per table, the tables not copied and the ledger head as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper --db /var/lib/callkeeper/callkeeper.db db copy --to postgres://callkeeper@db.example.net/callkeeper\n  (the password from ~/.pgpass or PGPASSWORD keeps it off the command line)')
    .action(lazyAction(ctx, async () => (await import('./db-actions.ts')).dbCopy));
}
