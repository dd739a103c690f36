import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { SqliteMessageLog } from '../store/sqlite-message-log.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

export function registerOptoutCommand(program: Command, ctx: CliContext): void {
  const optout = commandGroup(program, 'optout', 'consumers who opted out of texts');
  optout
    .command('list')
    .description('consumers whose latest consent event for a business is "revoked" (STOP, natural-language opt-out, admin)')
    .option('--business <id>', 'only this business')
    .option('--json', 'print JSON lines')
    .addHelpText('after', '\nExample:\n  callkeeper optout list --business 1 --json')
    .action(async (opts: { business?: string; json?: boolean }) => {
      const businessId = opts.business === undefined ? undefined : Number(opts.business);
      if (businessId !== undefined && (!Number.isSafeInteger(businessId) || businessId <= 0)) {
        throw new AppError('INPUT.INVALID', '--business must be a positive integer');
      }
      await withCliStore(ctx, { readonly: true }, (store) => {
        const rows = new SqliteMessageLog(store.db).optOuts(businessId ? { businessId } : {});
        if (opts.json) {
          for (const r of rows) writeLine(ctx.stdout, JSON.stringify({ ...r, at: new Date(r.at).toISOString() }));
          return;
        }
        if (rows.length === 0) return writeLine(ctx.stdout, 'no opt-outs');
        for (const r of rows) writeLine(ctx.stdout, [new Date(r.at).toISOString(), `biz ${r.businessId}`, r.consumer, r.method, r.source].join('  '));
      });
    });
}
