import { AppError } from '../domain/errors.ts';
import { SqliteMessageLog } from '../store/sqlite-message-log.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';

/** `optout list` (src/cli/optout-command.ts). */
export async function optoutList(ctx: CliContext, opts: { business?: string; json?: boolean }): Promise<void> {
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
}
