/** Call rows (migration 001): one per call, opened when it arrives and closed with its outcome. */
export type CallOutcome =
  | 'consent-granted'
  | 'consent-declined'
  | 'consent-unclear'
  /** The answer could not be transcribed for lack of recognizer capacity; stored as unclear, nothing texted. */
  | 'consent-unheard'
  | 'implied-texted'
  | 'message-only'
  | 'no-message'
  | 'caller-hung-up'
  | 'withheld-caller'
  | 'unknown-did'
  | 'interrupted'
  | 'failed';

export interface NewCall {
  readonly engine: string;
  readonly channelId: string;
  readonly businessId: number | null;
  readonly did: string;
  readonly callerRaw: string;
  readonly callerE164: string | null;
  readonly startedAt: number;
}

/** Where a call's message transcript stands (migration 010): null while the call has no message. */
export type TranscriptStatus = 'pending' | 'done' | 'failed';

/** A message still waiting for its transcript (`pendingTranscripts`): what the backlog needs to make it and tell the staff. */
export interface PendingTranscript {
  readonly callId: number;
  readonly businessId: number | null;
  readonly did: string;
  readonly callerE164: string | null;
  readonly startedAt: number;
  /** Null while the call is on (or when it never closed: the service stopped mid-call). */
  readonly endedAt: number | null;
  readonly outcome: CallOutcome | null;
  readonly recordingPath: string;
  readonly recordingSha256: string;
  /** Set when the retention purge deleted the audio: there is nothing left to transcribe. */
  readonly recordingDeletedAt: number | null;
  /** Transcription attempts the backlog counted so far (`countTranscriptAttempt`). */
  readonly attempts: number;
}

/**
 * `saveMessage`, `saveTranscript`, `close`, `countTranscriptAttempt` and `markTranscriptFailed` throw
 * AppError INPUT.NOT_FOUND for an id `open` did not return. The transcript's status follows the writes:
 * `saveMessage` makes it `pending` (a new recording needs a new transcript: attempts back to 0),
 * `saveTranscript` makes it `done`, `markTranscriptFailed` makes it `failed`; src/app/call/message-backlog.ts
 * works through the pending ones.
 */
export interface CallLog {
  open(call: NewCall): number;
  saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): void;
  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void;
  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void;
  /**
   * Messages whose transcript is `pending`, oldest call first (start time, then id), at most `limit`;
   * with `olderThan`, only calls that started before it (ms).
   */
  pendingTranscripts(limit: number, olderThan?: number): PendingTranscript[];
  /** Counts one transcription attempt, made before it runs (a crash mid-attempt still counts); returns the attempts so far. */
  countTranscriptAttempt(callId: number): number;
  /** Gives up on the message's transcript: `failed`, with a fixed reason phrase (never the transcript). */
  markTranscriptFailed(callId: number, reason: string): void;
  /** How many messages are `pending`, and when the oldest one's call started (null when none). */
  transcriptBacklog(): { readonly pending: number; readonly oldestStartedAt: number | null };
}
