import type { RecordingEnd } from '../../domain/ports/call-engine.ts';

/**
 * Why a recording ended. ARI's RecordingFinished does not say (it is `done` for silence, `#`, max
 * duration, a stop and a hangup alike: traces 01, 03, 04, 05), so the leg works it out from what it
 * saw while the recording ran.
 */
export interface RecordingFacts {
  readonly failed: boolean;
  /** The leg stopped it because TALK_DETECT said the caller had stopped speaking. */
  readonly endedAfterSpeech?: boolean;
  readonly stopRequested: boolean;
  readonly hangupSeen: boolean;
  /** A `#` arrived (ChannelDtmfReceived, 0.1 ms before RecordingFinished in 04) while `terminateOn=#`. */
  readonly hashSeen: boolean;
  readonly maxSilenceSeconds: number;
  readonly maxDurationSeconds: number;
  /** RecordingFinished `duration`, whole seconds, trailing silence trimmed; null when unknown. */
  readonly durationSeconds: number | null;
  /** Time the leg measured between starting the recording and its end. */
  readonly elapsedMs: number;
}

export function recordingEnd(f: RecordingFacts): RecordingEnd {
  if (f.failed) return 'failed';
  // The answer was complete before anything else happened to the recording.
  if (f.endedAfterSpeech === true) return 'silence';
  if (f.stopRequested) return 'stopped';
  if (f.hangupSeen) return 'hangup';
  if (f.hashSeen) return 'dtmf';
  if (f.maxSilenceSeconds <= 0) return 'max-duration';
  // An end on silence trims the silence, so its duration stays below the limit (test/fixtures/asterisk/traces/README.md, points 5 and 8).
  if (f.durationSeconds !== null) return f.durationSeconds >= f.maxDurationSeconds ? 'max-duration' : 'silence';
  return f.elapsedMs >= f.maxDurationSeconds * 1000 ? 'max-duration' : 'silence';
}
