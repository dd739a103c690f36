import type { CallMoment } from '../caller-script.ts';
import type { Header } from './esl-sim-frames.ts';
import type { SimCallerAudio } from '../sim-caller-audio.ts';

/** What the applications of one simulated call may touch on their channel. Times are milliseconds. */
export interface EslSimAppContext {
  /** Channel variables (the ones `getvar` and event headers show). */
  readonly vars: Map<string, string>;
  readonly audio: SimCallerAudio;
  now(): number;
  isHungUp(): boolean;
  /** A timer that dies with the call; returns its cancel function. */
  after(ms: number, fn: () => void): () => void;
  emit(name: string, calling: readonly [string, string, number], extra?: readonly Header[], withVars?: boolean): void;
  moment(m: CallMoment): void;
  answer(): void;
  hangup(cause: string, by: 'app' | 'caller'): void;
  /** Length in ms of what `playback` was given, or null when FreeSWITCH would say FILE NOT FOUND. */
  mediaLength(path: string): number | null;
  storeRecording(enginePath: string, wav: Buffer): void;
}

export interface QueuedApp {
  readonly app: string;
  readonly arg: string;
  readonly eventUuid: string | undefined;
}

export interface RunningApp extends QueuedApp {
  readonly start: number;
  cancel: () => void;
  /** Ends it early (break, terminator, hangup). */
  interrupt?: (why: 'break' | 'dtmf' | 'hangup', digit?: string) => void;
}

/** Prompts and recordings started and finished (tone streams such as the beep are not prompts). */
export interface AppCounts {
  playbacks: number;
  playbacksDone: number;
  recordings: number;
  recordingsDone: number;
}
