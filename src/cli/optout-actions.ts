import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

/** `optout list` (src/cli/optout-command.ts). */
export async function optoutList(ctx: CliContext, opts: { business?: string; json?: boolean }): Promise<void> {
  const businessId = opts.business === undefined ? undefined : Number(opts.business);
  if (businessId !== undefined && (!Number.isSafeInteger(businessId) || businessId <= 0)) {
    throw new AppError('INPUT.INVALID', '--business must be a positive integer');
  }
  await withCliStores(ctx, { readonly: true }, async (s) => {
    const rows = await s.messages.optOuts(businessId ? { businessId } : {});
    if (opts.json) {
      for (const r of rows) writeLine(ctx.stdout, JSON.stringify({ ...r, at: new Date(r.at).toISOString() }));
      return;
    }
    if (rows.length === 0) return writeLine(ctx.stdout, 'no opt-outs');
    for (const r of rows) writeLine(ctx.stdout, [new Date(r.at).toISOString(), `biz ${r.businessId}`, r.consumer, r.method, r.source].join('  '));
  });
}
