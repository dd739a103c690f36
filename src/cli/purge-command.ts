import type { Command } from 'commander';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { purgeRecordings, type PurgeReport } from '../app/retention/purge-recordings.ts';
import { openDatabase, migrate } from '../store/sqlite-database.ts';
import { SqliteRetentionStore } from '../store/sqlite-retention-store.ts';
import { FsRecordingRemover } from '../store/fs-recording-remover.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';

/**
 * Directories the purge may delete in: the recordings store, and with FreeSWITCH the folder where this
 * host reads FreeSWITCH's recordings (`localRecordingsDir`, which defaults to `recordingsDir`).
 */
export function recordingRoots(config: Config): string[] {
  const roots = [config.recordings.dir];
  if (config.engine === 'freeswitch') roots.push(config.freeswitch.localRecordingsDir ?? config.freeswitch.recordingsDir);
  return roots;
}

/** The purge wired to its adapters, for this command and for the daily run inside `serve`. */
export function createRecordingPurge(deps: {
  db: import('../store/sqlite-database.ts').SqliteDb;
  config: Config;
  logger: Logger;
  now?: () => number;
}): (opts: { dryRun: boolean; retentionDays?: number }) => Promise<PurgeReport> {
  const store = new SqliteRetentionStore(deps.db);
  const remover = new FsRecordingRemover(recordingRoots(deps.config));
  return (opts) =>
    purgeRecordings(
      { store, remover, now: deps.now ?? Date.now, logger: deps.logger },
      { dryRun: opts.dryRun, retentionDays: opts.retentionDays ?? deps.config.recordings.retentionDays },
    );
}

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quiet };

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
    .action(async (opts: { dryRun?: boolean; json?: boolean; olderThanDays?: number }) => {
      const { config } = ctx.config();
      const db = openDatabase(ctx.dbPath());
      let report: PurgeReport;
      try {
        migrate(db);
        report = await createRecordingPurge({ db, config, logger: quiet })({ dryRun: opts.dryRun === true, retentionDays: opts.olderThanDays });
      } finally {
        db.close();
      }
      if (opts.json) writeLine(ctx.stdout, JSON.stringify(report, null, 2));
      else printReport(ctx, report);
      const stuck = report.counts.failed + report.counts.refused;
      if (stuck > 0) {
        throw new AppError('STORE.PURGE_INCOMPLETE', `${stuck} recording file(s) could not be deleted; see the report above`, {
          retryable: true,
        });
      }
    });
}

const VERB = { deleted: 'deleted', 'would-delete': 'would delete', 'already-gone': 'already gone', refused: 'REFUSED', failed: 'FAILED' } as const;

function printReport(ctx: CliContext, r: PurgeReport): void {
  const cutoff = new Date(r.cutoff).toISOString();
  writeLine(ctx.stdout, `${r.dryRun ? 'dry run: ' : ''}recordings of calls started before ${cutoff} (older than ${r.retentionDays} days)`);
  for (const i of r.items) {
    const why = i.status === 'refused' ? '  (outside the recordings directories)' : i.error ? `  (${i.error})` : '';
    writeLine(ctx.stdout, `  ${VERB[i.status].padEnd(12)} call ${String(i.callId).padStart(6)}  ${i.path}${why}`);
  }
  const c = r.counts;
  const action = r.dryRun ? `${c['would-delete']} file(s) would be deleted` : `${c.deleted} file(s) deleted`;
  writeLine(
    ctx.stdout,
    `${action}, ${c['already-gone']} already gone, ${c.refused} refused, ${c.failed} failed; ` +
      `${r.callsPurged} call(s) ${r.dryRun ? 'would be' : ''}${r.dryRun ? ' ' : ''}marked recording-deleted; the consent ledger is unchanged`,
  );
}
