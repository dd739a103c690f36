import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

function optionalId(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new AppError('INPUT.INVALID', `${flag} must be a positive integer`);
  return n;
}

/** `messages list` (src/cli/messages-command.ts). */
export async function messagesList(ctx: CliContext, opts: { business?: string; in?: boolean; limit: string; json?: boolean }): Promise<void> {
  const businessId = optionalId(opts.business, '--business');
  const limit = optionalId(opts.limit, '--limit') ?? 100;
  await withCliStores(ctx, { readonly: true }, async (s) => {
    const rows = await s.messages.list({ ...(businessId ? { businessId } : {}), limit, ...(opts.in ? { direction: 'in' as const } : {}) });
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
}
