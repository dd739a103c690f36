import { join, posix } from 'node:path';
import { AppError } from '../../domain/errors.ts';
import type { RecordOptions } from '../../domain/ports/call-engine.ts';

/**
 * Where recordings go: FreeSWITCH writes `<recordingsDir>/<name>.wav` (its own view of the disk) and we
 * read `<localRecordingsDir>/<name>.wav` (the same directory as this host sees it: the same path when
 * both run on one machine, an NFS/SMB mount otherwise; see README.md "Recordings").
 */
export interface RecordingPaths {
  readonly recordingsDir: string;
  readonly localRecordingsDir: string;
}

/**
 * `record <path> <time_limit_secs> <silence_thresh> <silence_hits>` (mod_dptools). The arguments are
 * split on spaces, so the path may not hold one. Both limits are whole seconds: FreeSWITCH checks the
 * time limit once a second (`record … 5 200 3` gave 5.64–5.92 s, test/fixtures/freeswitch/traces/README.md "Recordings"), and
 * `silence_hits` counts seconds of audio under the threshold (switch_ivr_record_file scales it by the
 * frames per second). 200 is the energy threshold the traces used with caller speech over G.711.
 */
export const SILENCE_THRESHOLD = 200;

export interface RecordArgs {
  readonly appArg: string;
  readonly enginePath: string;
  readonly localPath: string;
}

export function safeRecordingName(name: string): string {
  const s = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return s === '' ? 'recording' : s.slice(0, 200);
}

export function buildRecordArgs(opts: RecordOptions, paths: RecordingPaths): RecordArgs {
  const file = `${safeRecordingName(opts.name)}.wav`;
  const enginePath = posix.join(paths.recordingsDir, file);
  if (/\s/.test(enginePath)) {
    throw new AppError('CONFIG.INVALID', 'freeswitch.recordingsDir may not contain spaces (record splits its arguments on them)', {
      details: { recordingsDir: paths.recordingsDir },
    });
  }
  const limitS = Math.max(1, Math.ceil(opts.maxDurationMs / 1000));
  const parts = [enginePath, String(limitS)];
  if (opts.maxSilenceMs > 0) parts.push(String(SILENCE_THRESHOLD), String(Math.max(1, Math.round(opts.maxSilenceMs / 1000))));
  return { appArg: parts.join(' '), enginePath, localPath: join(paths.localRecordingsDir, file) };
}

/**
 * A recording that waits for speech: `record_session <path> +<limit s>` (a media bug recording while
 * the channel is parked) with the channel variables that make it wait for the caller. FreeSWITCH's
 * `record` counts `silence_hits` from its first frame, so a caller who pauses before answering would
 * end it; the media bug has an initial silence timeout (no speech at all) and a final one (silence after
 * speech), RECORD_INITIAL_TIMEOUT_MS and RECORD_FINAL_TIMEOUT_MS, in milliseconds. RECORD_READ_ONLY
 * keeps our own prompts out of the file (the media bug records both directions by default).
 */
export interface SessionRecordArgs extends RecordArgs {
  /** `set` arguments to run before `record_session`. */
  readonly variables: readonly string[];
}

export function buildSessionRecordArgs(opts: RecordOptions, paths: RecordingPaths): SessionRecordArgs {
  const plain = buildRecordArgs({ ...opts, maxSilenceMs: 0 }, paths);
  const limitS = Math.max(1, Math.ceil(opts.maxDurationMs / 1000));
  return {
    appArg: `${plain.enginePath} +${limitS}`,
    enginePath: plain.enginePath,
    localPath: plain.localPath,
    variables: [
      'RECORD_READ_ONLY=true',
      `RECORD_SILENCE_THRESHOLD=${SILENCE_THRESHOLD}`,
      `RECORD_INITIAL_TIMEOUT_MS=${Math.max(1, Math.round(opts.speechStartTimeoutMs ?? 0))}`,
      `RECORD_FINAL_TIMEOUT_MS=${Math.max(1, Math.round(opts.maxSilenceMs))}`,
    ],
  };
}
