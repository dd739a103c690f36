import type { AsyncRecordingRetentionStore } from '../../domain/ports/async-stores.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { RecordingRemover } from '../../domain/ports/recording-remover.ts';

/**
 * Ledger events are evidence of consent: TCPA claims can be brought for 4 years, so the product keeps
 * them at least 5. The purge below never reads or writes `consent_ledger` rows for deletion, and there
 * is no ledger delete anywhere (the database refuses one by trigger). Kept here so that anyone adding a
 * ledger retention rule finds the floor next to the recording rule.
 */
export const LEDGER_MIN_RETENTION_YEARS = 5;

const DAY_MS = 86_400_000;
/** Calls handled per store page: bounds memory on a first purge after months of recordings. */
const DEFAULT_PAGE_SIZE = 200;

/** `elsewhere`: another node's call whose file is not here (missing, or outside this node's directories): left to that node. */
export type PurgeFileStatus = 'deleted' | 'would-delete' | 'already-gone' | 'refused' | 'failed' | 'elsewhere';

export interface PurgeItem {
  readonly callId: number;
  readonly startedAt: number;
  readonly path: string;
  readonly status: PurgeFileStatus;
  readonly error?: string;
}

export interface PurgeReport {
  readonly dryRun: boolean;
  readonly retentionDays: number;
  /** Recordings of calls started before this instant (epoch ms) are expired. */
  readonly cutoff: number;
  /** Calls whose recordings were marked deleted (dry run: would be). */
  readonly callsPurged: number;
  readonly counts: Readonly<Record<PurgeFileStatus, number>>;
  readonly items: readonly PurgeItem[];
}

export interface PurgeDeps {
  /** The async port (serve's `stores.retention`, SQLite in turns or PostgreSQL; the CLI's SQLite store in turns). */
  readonly store: AsyncRecordingRetentionStore;
  readonly remover: RecordingRemover;
  readonly now: () => number;
  readonly logger: Logger;
}

export interface PurgeOptions {
  readonly retentionDays: number;
  readonly dryRun: boolean;
  readonly pageSize?: number;
}

/**
 * Deletes the recordings of calls older than `retentionDays`: the files go, the call row is
 * stamped `recording_deleted_at`, and the paths and hashes stay in `calls` and the ledger. A call is
 * stamped only when every one of its files is gone, so a failure is retried on the next run. A dry run
 * deletes and stamps nothing and reports what a real run would do.
 */
export async function purgeRecordings(deps: PurgeDeps, opts: PurgeOptions): Promise<PurgeReport> {
  if (!Number.isInteger(opts.retentionDays) || opts.retentionDays < 1) {
    throw new RangeError(`retentionDays must be a positive integer, got ${opts.retentionDays}`);
  }
  const now = deps.now();
  const cutoff = now - opts.retentionDays * DAY_MS;
  const limit = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const items: PurgeItem[] = [];
  const counts: Record<PurgeFileStatus, number> = { deleted: 0, 'would-delete': 0, 'already-gone': 0, refused: 0, failed: 0, elsewhere: 0 };
  let callsPurged = 0;
  let afterCallId = 0;
  for (;;) {
    const page = await deps.store.listExpired(cutoff, { afterCallId, limit });
    for (const call of page) {
      afterCallId = call.callId;
      let complete = true;
      for (const path of call.paths) {
        const item = await handleFile(deps, call.callId, call.startedAt, path, opts.dryRun, call.elsewhere === true);
        counts[item.status] += 1;
        items.push(item);
        if (item.status === 'refused' || item.status === 'failed' || item.status === 'elsewhere') complete = false;
      }
      if (!complete) continue;
      if (!opts.dryRun) await deps.store.markDeleted(call.callId, deps.now());
      callsPurged += 1;
    }
    if (page.length < limit) break;
  }
  const report: PurgeReport = { dryRun: opts.dryRun, retentionDays: opts.retentionDays, cutoff, callsPurged, counts, items };
  const level = counts.failed + counts.refused > 0 ? 'warn' : 'info';
  deps.logger[level]({ dryRun: opts.dryRun, retentionDays: opts.retentionDays, cutoff, callsPurged, ...counts }, 'recording retention purge finished');
  return report;
}

/**
 * One file of an expired call. Another node's call (`elsewhere`) is deleted here only if its file is here
 * (a renamed node on this host); missing or outside this node's directories, it is that node's to delete.
 */
async function handleFile(deps: PurgeDeps, callId: number, startedAt: number, path: string, dryRun: boolean, elsewhere: boolean): Promise<PurgeItem> {
  const base = { callId, startedAt, path };
  try {
    if (dryRun) {
      const s = await deps.remover.inspect(path);
      if (s !== 'present' && elsewhere) return { ...base, status: 'elsewhere' };
      return { ...base, status: s === 'present' ? 'would-delete' : s === 'missing' ? 'already-gone' : 'refused' };
    }
    const r = await deps.remover.remove(path);
    if (r !== 'removed' && elsewhere) return { ...base, status: 'elsewhere' };
    if (r === 'refused') deps.logger.warn({ callId, path }, 'recording outside the recordings directories: not deleted');
    return { ...base, status: r === 'removed' ? 'deleted' : r === 'missing' ? 'already-gone' : 'refused' };
  } catch (e) {
    deps.logger.error({ callId, path, err: e }, 'recording could not be deleted');
    return { ...base, status: 'failed', error: (e as Error)?.message ?? String(e) };
  }
}
