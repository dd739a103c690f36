import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { SqliteMessageLog } from '../store/sqlite-message-log.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

function optionalId(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('INPUT.INVALID', `${flag} must be a positive integer`);
  return n;
}

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
    .action(async (opts: { business?: string; in?: boolean; limit: string; json?: boolean }) => {
      const businessId = optionalId(opts.business, '--business');
      const limit = optionalId(opts.limit, '--limit') ?? 100;
      await withCliStore(ctx, { readonly: true }, (store) => {
        const rows = new SqliteMessageLog(store.db).list({ ...(businessId ? { businessId } : {}), limit, ...(opts.in ? { direction: 'in' as const } : {}) });
        if (opts.json) {
          for (const r of rows) writeLine(ctx.stdout, JSON.stringify({ ...r, at: new Date(r.at).toISOString() }));
          return;
        }
        if (rows.length === 0) return writeLine(ctx.stdout, 'no messages');
        for (const r of rows) {
          const body = r.body.length > 60 ? `${r.body.slice(0, 57)}...` : r.body;
          writeLine(
            ctx.stdout,
            [new Date(r.at).toISOString(), r.direction === 'in' ? 'IN ' : 'OUT', `biz ${r.businessId ?? '-'}`, r.consumer, r.status, r.callId ? `call ${r.callId}` : '-', JSON.stringify(body)].join('  '),
          );
        }
      });
    });
}
