import { purgeRecordings, type PurgeReport } from '../app/retention/purge-recordings.ts';
import type { Config } from '../config/config-schema.ts';
import type { AsyncRecordingRetentionStore } from '../domain/ports/async-stores.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { engineProfile, engineRecordingsHere, type EngineProfile } from './engine-profile.ts';
import { FsRecordingRemover } from '../store/fs-recording-remover.ts';

/**
 * Directories the purge may delete in: the recordings store, and, for an engine that does not hand
 * recordings over its API (FreeSWITCH: `localRecordingsDir`, which defaults to `recordingsDir`), the
 * folder where this host reads the engine's own recordings.
 */
export function recordingRoots(config: Config, profile: EngineProfile = engineProfile(config)): string[] {
  const roots = [config.recordings.dir];
  const engineDir = engineRecordingsHere(profile);
  if (engineDir !== null) roots.push(engineDir);
  return roots;
}

/**
 * The purge wired to its adapters, for `callkeeper purge` and for the daily run inside `serve` (each
 * passes `stores.retention`, SQLite or PostgreSQL).
 */
export function createRecordingPurge(deps: {
  store: AsyncRecordingRetentionStore;
  config: Config;
  logger: Logger;
  now?: () => number;
}): (opts: { dryRun: boolean; retentionDays?: number }) => Promise<PurgeReport> {
  const { store } = deps;
  const remover = new FsRecordingRemover(recordingRoots(deps.config));
  return (opts) =>
    purgeRecordings(
      { store, remover, now: deps.now ?? Date.now, logger: deps.logger },
      { dryRun: opts.dryRun, retentionDays: opts.retentionDays ?? deps.config.recordings.retentionDays },
    );
}
