import type { PurgeReport } from '../app/retention/purge-recordings.ts';
import { createRecordingPurge } from '../compose/recording-purge.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

/** `purge` (src/cli/purge-command.ts). */
export async function purge(ctx: CliContext, opts: { dryRun?: boolean; json?: boolean; olderThanDays?: number }): Promise<void> {
  const { config } = ctx.config();
  // The purge runs on the async port, as in serve: SQLite's one connection behind it in turns, or PostgreSQL.
  const report: PurgeReport = await withCliStores(ctx, {}, (s) =>
    createRecordingPurge({ store: s.retention, config, logger: quiet })({ dryRun: opts.dryRun === true, retentionDays: opts.olderThanDays }),
  );
  if (opts.json) writeLine(ctx.stdout, JSON.stringify(report, null, 2));
  else printReport(ctx, report);
  const stuck = report.counts.failed + report.counts.refused;
  if (stuck > 0) {
    throw new AppError('STORE.PURGE_INCOMPLETE', `${stuck} recording file(s) could not be deleted; see the report above`, {
      retryable: true,
    });
  }
}

const VERB = { deleted: 'deleted', 'would-delete': 'would delete', 'already-gone': 'already gone', refused: 'REFUSED', failed: 'FAILED', elsewhere: 'other node' } as const;

function printReport(ctx: CliContext, r: PurgeReport): void {
  const cutoff = new Date(r.cutoff).toISOString();
  writeLine(ctx.stdout, `${r.dryRun ? 'dry run: ' : ''}recordings of calls started before ${cutoff} (older than ${r.retentionDays} days)`);
  for (const i of r.items) {
    const why =
      i.status === 'refused' ? '  (outside the recordings directories)'
      : i.status === 'elsewhere' ? "  (another node's call, not on this host: that node's purge deletes it)"
      : i.error ? `  (${i.error})` : '';
    writeLine(ctx.stdout, `  ${VERB[i.status].padEnd(12)} call ${String(i.callId).padStart(6)}  ${i.path}${why}`);
  }
  const c = r.counts;
  const action = r.dryRun ? `${c['would-delete']} file(s) would be deleted` : `${c.deleted} file(s) deleted`;
  writeLine(
    ctx.stdout,
    `${action}, ${c['already-gone']} already gone, ${c.refused} refused, ${c.failed} failed` +
      `${c.elsewhere > 0 ? `, ${c.elsewhere} left to the node that took the call` : ''}; ` +
      `${r.callsPurged} call(s) ${r.dryRun ? 'would be' : ''}${r.dryRun ? ' ' : ''}marked recording-deleted; the consent ledger is unchanged`,
  );
}
