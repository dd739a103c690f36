import type { AppError } from '../../domain/errors.ts';
import type { RecordingEnd } from '../../domain/ports/call-engine.ts';
import type { EslEvent } from './esl-event.ts';

/**
 * One application the leg started with `sendmsg`, keyed by its `Event-UUID`: what it is, whether
 * CHANNEL_EXECUTE showed it running, whether it finished, and whether we asked to stop it.
 */
export type EslLegOperation =
  | { kind: 'answer'; done: boolean; started: boolean; stopRequested: boolean; finish: (err?: AppError) => void }
  | { kind: 'play'; done: boolean; started: boolean; stopRequested: boolean }
  | EslRecordOperation
  | { kind: 'internal'; done: boolean; started: boolean; stopRequested: boolean; onComplete?: () => void };

export interface EslRecordOperation {
  kind: 'record';
  done: boolean;
  started: boolean;
  stopRequested: boolean;
  terminateOnHash: boolean;
  sawHash: boolean;
  localPath: string;
  waiters: (() => void)[];
  /**
   * A `record_session` media bug (a recording that waits for speech): it runs while the channel is
   * parked and ends with RECORD_STOP for `enginePath`, not with the COMPLETE of an application.
   * `started` is set once `record_session` has returned (the bug is attached).
   */
  session?: { readonly enginePath: string; readonly limitMs: number };
}

/** Why a record ended, read from its CHANNEL_EXECUTE_COMPLETE and what the leg saw while it ran. */
export function recordingEnd(op: EslRecordOperation, e: EslEvent, response: string, hungUp: boolean): RecordingEnd {
  if (op.stopRequested) return 'stopped';
  // 03: the record's COMPLETE arrives after CHANNEL_HANGUP; the partial file is kept.
  if (hungUp) return 'hangup';
  if (response !== '' && response !== '_none_') return 'failed';
  if (e.variable('record_ms') === undefined) return 'failed';
  // `playback_terminator_used` stays set on the channel after a record, so it alone would also
  // mark the next one; a `#` DTMF seen while this record ran is what proves it (04).
  if (op.terminateOnHash && op.sawHash && e.variable('playback_terminator_used') === '#') return 'dtmf';
  if (e.variable('silence_hits_exhausted') === 'true') return 'silence';
  return 'max-duration';
}

/** Why a `record_session` ended, from its RECORD_STOP (`Record-Completion-Cause`). */
export function sessionRecordingEnd(op: EslRecordOperation, e: EslEvent, hungUp: boolean): RecordingEnd {
  if (op.stopRequested) return 'stopped';
  if (hungUp) return 'hangup';
  switch (e.get('Record-Completion-Cause')) {
    case 'no-input-timeout':
    case 'success-silence':
      return 'silence';
    case 'success-maxtime':
      return 'max-duration';
    case undefined: {
      // No cause on the event: only the length can tell the limit from a silence timeout.
      const ms = Number.parseInt(e.variable('record_ms') ?? '', 10);
      return Number.isFinite(ms) && ms >= (op.session?.limitMs ?? Infinity) ? 'max-duration' : 'silence';
    }
    default:
      return 'failed';
  }
}
