/**
 * The `CallEngine` port: the call flow's vocabulary and nothing engine-specific.
 * Asterisk (ARI) and FreeSWITCH (ESL) are adapters of this port and pass the same contract suite.
 * Real differences are declared as capabilities, never tested by engine name in the flow.
 */

/**
 * Only what someone reads: ending on silence and the beep before recording are no capabilities, every
 * engine must do them (test/contract/call-engine-contract.ts).
 */
export interface EngineCapabilities {
  /**
   * Recording audio is fetched over the engine's API (works when the engine is on another host). When
   * false, the engine writes recordings to a folder this host reads, which the retention purge and
   * evidence export must also cover (src/compose/recording-purge.ts `recordingRoots`).
   */
  readonly fetchesRecordingsRemotely: boolean;
  /**
   * The engine can wait for the caller to start speaking before it counts silence
   * (`RecordOptions.speechStartTimeoutMs`): Asterisk through TALK_DETECT, FreeSWITCH through
   * `record_session`'s initial and final timeouts. Without it silence counts from the start.
   */
  readonly waitsForSpeech: boolean;
}

/** A prompt is a WAV file (8 kHz, 16-bit mono) on this host; the adapter maps it to what its engine plays. */
export interface PromptRef {
  readonly file: string;
}

export interface RecordOptions {
  /** A name unique to this recording (the adapter may prefix it). */
  readonly name: string;
  readonly maxDurationMs: number;
  /**
   * End after this much silence; 0 disables. With `speechStartTimeoutMs`, only silence after the caller
   * started speaking counts.
   */
  readonly maxSilenceMs: number;
  /**
   * Wait up to this long for the caller to start speaking; silence before that ends nothing. When
   * nobody speaks by then, the recording ends with `silence`. 0 or absent: silence counts from the
   * start. Only for engines that declare `waitsForSpeech`.
   */
  readonly speechStartTimeoutMs?: number;
  readonly beep: boolean;
  /** Caller may end the recording with `#`. */
  readonly terminateOnHash: boolean;
}

export type RecordingEnd = 'silence' | 'dtmf' | 'max-duration' | 'hangup' | 'stopped' | 'failed';

export type LegEvent =
  | { readonly type: 'playback-finished'; readonly playbackId: string; readonly outcome: 'done' | 'stopped' | 'failed' }
  | { readonly type: 'recording-finished'; readonly recordingId: string; readonly end: RecordingEnd; readonly durationMs: number | null }
  | { readonly type: 'dtmf'; readonly digit: string }
  | { readonly type: 'hangup'; readonly cause: string | null };

/**
 * Why a call is handed back to the dialplan; the engine adapter stores it in the channel variable
 * `CALLKEEPER_RESULT`, which the dialplan samples (dialplan/) read after the hand-over line.
 * `draining`: the service is shutting down and takes no new calls.
 */
export type ReleaseReason = 'draining';

export interface CallLeg {
  /** The engine's channel id (ARI channel id, FreeSWITCH UUID). */
  readonly id: string;
  answer(): Promise<void>;
  /** Starts a playback; its end comes as a `playback-finished` event with the returned id. */
  play(prompt: PromptRef): Promise<string>;
  stopPlayback(playbackId: string): Promise<void>;
  /** Starts a recording; its end comes as a `recording-finished` event with the returned id. */
  record(opts: RecordOptions): Promise<string>;
  stopRecording(recordingId: string): Promise<void>;
  /** The finished recording as WAV bytes; the engine's copy is deleted afterwards where it can be. */
  fetchRecording(recordingId: string): Promise<Buffer>;
  hangup(): Promise<void>;
  /**
   * Hands the call back to the engine's dialplan, neither answered nor hung up by us: the dialplan
   * goes on after the line that handed the call over (`Stasis()`, `socket`) with `CALLKEEPER_RESULT`
   * set to `reason`, so the installer's fallback (voicemail, the staff again) takes the caller.
   * For a call callkeeper does not take: no playback or recording may be running. After it resolves
   * the leg is ended and delivers no event (no `hangup`: nobody hung up); operations reject with
   * `TELEPHONY.CHANNEL_GONE`, as does `release` itself when the caller already hung up.
   */
  release(reason: ReleaseReason): Promise<void>;
  /**
   * Subscribes to this leg's events; returns the unsubscribe function. A listener added after the caller
   * hung up still hears the hangup (test/contract/call-engine-contract.ts): the call runner subscribes
   * only once the call's row is open.
   */
  onEvent(listener: (e: LegEvent) => void): () => void;
}

export interface IncomingCall {
  readonly leg: CallLeg;
  /** Caller ID exactly as the engine delivered it. */
  readonly callerIdRaw: string;
  readonly callerName: string | null;
  /** The number that was dialed (the business DID), as delivered. */
  readonly dialed: string;
}

export type EngineStatus = 'connecting' | 'up' | 'down';

export interface CallEngine {
  /** `asterisk` or `freeswitch`; for records and logs only, never for branching in the flow. */
  readonly name: string;
  readonly capabilities: EngineCapabilities;
  /** Connects (retrying with backoff) and delivers each new call to `onCall`. */
  start(onCall: (call: IncomingCall) => void): Promise<void>;
  stop(): Promise<void>;
  status(): EngineStatus;
  onStatus(listener: (s: EngineStatus) => void): () => void;
}
