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

/** `saveMessage`, `saveTranscript` and `close` throw AppError INPUT.NOT_FOUND for an id `open` did not return. */
export interface CallLog {
  open(call: NewCall): number;
  saveMessage(callId: number, m: { recordingPath: string; sha256: string; durationMs: number | null }): void;
  saveTranscript(callId: number, t: { transcript: string; summary: string | null }): void;
  close(callId: number, c: { outcome: CallOutcome; endedAt: number }): void;
}
