import { AppError, type ErrorCode } from '../../src/domain/errors.ts';
import type { CallLeg, LegEvent, PromptRef, RecordOptions, RecordingEnd, ReleaseReason } from '../../src/domain/ports/call-engine.ts';
import { fakeSpeechWav } from './fake-speech.ts';

export type LegOp = 'answer' | 'play' | 'stopPlayback' | 'record' | 'stopRecording' | 'fetchRecording' | 'hangup' | 'release';

/** Where a scripted caller hangs up. `nth` counts that operation from 0 (the greeting is play 0). */
export type HangupPoint =
  | { readonly when: 'before-answer' }
  /** While the nth playback/recording runs: the engine ends it (`failed` / `hangup`) and the line drops. */
  | { readonly when: 'during'; readonly op: 'play' | 'record'; readonly nth: number }
  /** Right after the nth playback/recording ended normally (e.g. while the answer is being judged). */
  | { readonly when: 'after'; readonly op: 'play' | 'record'; readonly nth: number };

/**
 * The points of the verbal flow by name: play 0 greeting, record 0 message, play 1 consent script,
 * record 1 answer, play 2 reprompt or goodbye, record 2 second answer, play 3 goodbye after a reprompt.
 */
export const VERBAL = {
  greeting: { op: 'play', nth: 0 },
  message: { op: 'record', nth: 0 },
  consent: { op: 'play', nth: 1 },
  answer: { op: 'record', nth: 1 },
  reprompt: { op: 'play', nth: 2 },
  secondAnswer: { op: 'record', nth: 2 },
  goodbye: { op: 'play', nth: 2 },
  goodbyeAfterReprompt: { op: 'play', nth: 3 },
} as const;

export interface CallerScript {
  /** Caller ID as the engine delivers it (default `+15125550123`). */
  readonly callerId?: string;
  readonly callerName?: string | null;
  /** The number dialed (default `+15125550100`). */
  readonly dialed?: string;
  /** What the caller says into each recording, in order (message, first answer, second answer). Missing: ''. */
  readonly says?: readonly string[];
  /** How each recording ends, by index (default `silence`). `dtmf` sends `#` first, as Asterisk does. */
  readonly recordingEnds?: readonly ('silence' | 'dtmf' | 'max-duration' | 'failed')[];
  /** How each playback ends, by index (default `done`). */
  readonly playbackEnds?: readonly ('done' | 'failed')[];
  readonly hangup?: HangupPoint;
  /** Make the nth call (default every call) of an operation reject; `gone` = `TELEPHONY.CHANNEL_GONE`. */
  readonly failures?: readonly { readonly op: LegOp; readonly nth?: number; readonly error?: 'gone' | 'request-failed' }[];
  /** The engine never reports the end of these playbacks/recordings. */
  readonly silent?: readonly { readonly op: 'play' | 'record'; readonly nth: number }[];
  /** On hangup report only the hangup, not the end of the playback/recording in progress. */
  readonly bareHangup?: boolean;
}

/**
 * An in-memory `CallLeg` driven by a `CallerScript`. It behaves like the engines where it matters:
 * ends arrive as events only after the operation's response (the rule the engine contract checks,
 * test/contract/call-engine-contract.ts); a hangup
 * during a playback ends it `failed`, during a recording ends it `hangup` with the audio kept; after the
 * hangup every channel operation rejects with `TELEPHONY.CHANNEL_GONE` but recordings can still be
 * fetched. Everything it was asked is recorded in `ops`.
 */
export class FakeCallLeg implements CallLeg {
  readonly id: string;
  readonly script: CallerScript;
  readonly ops: Array<{ readonly op: LegOp; readonly arg?: unknown }> = [];
  readonly played: PromptRef[] = [];
  readonly recordOptions: RecordOptions[] = [];
  #up = true;
  #answered = false;
  #released: ReleaseReason | null = null;
  /** The hangup has been delivered: a listener added later hears it too (as the engines' legs do). */
  #hungUp = false;
  readonly #listeners = new Set<(e: LegEvent) => void>();
  readonly #counts = new Map<LegOp, number>();
  readonly #recordingIndex = new Map<string, number>();
  readonly #activePlaybacks = new Set<string>();
  readonly #activeRecordings = new Set<string>();

  constructor(id: string, script: CallerScript = {}) {
    this.id = id;
    this.script = script;
    if (script.hangup?.when === 'before-answer') setImmediate(() => this.#drop());
  }

  get up(): boolean {
    return this.#up;
  }

  get answered(): boolean {
    return this.#answered;
  }

  /** Why the call was handed back to the dialplan, or null. */
  get released(): ReleaseReason | null {
    return this.#released;
  }

  listenerCount(): number {
    return this.#listeners.size;
  }

  onEvent(listener: (e: LegEvent) => void): () => void {
    // As test/contract/call-engine-contract.ts asks: a listener added after the hangup still hears it.
    if (this.#hungUp && this.#released === null) {
      setImmediate(() => listener({ type: 'hangup', cause: null }));
      return () => {};
    }
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** The caller hangs up now (for tests that drive the hangup themselves). */
  callerHangsUp(): void {
    this.#drop();
  }

  async answer(): Promise<void> {
    this.#begin('answer');
    this.#answered = true;
  }

  async play(prompt: PromptRef): Promise<string> {
    const nth = this.#begin('play', prompt);
    this.played.push(prompt);
    const id = `${this.id}-pb${nth}`;
    this.#activePlaybacks.add(id);
    const hang = this.#hangupAt('play', nth);
    const end = this.script.playbackEnds?.[nth] ?? 'done';
    const finish = (): void => {
      if (hang === 'during') return this.#drop();
      if (this.#isSilent('play', nth) || !this.#activePlaybacks.delete(id)) return;
      this.#emit({ type: 'playback-finished', playbackId: id, outcome: end });
      if (hang === 'after') this.#drop();
    };
    this.#schedule(finish);
    return id;
  }

  async stopPlayback(playbackId: string): Promise<void> {
    this.#begin('stopPlayback', playbackId);
    // Asterisk reports a stopped playback as `done` (trace 05).
    if (this.#activePlaybacks.delete(playbackId)) setImmediate(() => this.#emit({ type: 'playback-finished', playbackId, outcome: 'done' }));
  }

  async record(opts: RecordOptions): Promise<string> {
    const nth = this.#begin('record', opts);
    this.recordOptions.push(opts);
    const id = `${this.id}-rec${nth}`;
    this.#recordingIndex.set(id, nth);
    this.#activeRecordings.add(id);
    const hang = this.#hangupAt('record', nth);
    const ending = this.script.recordingEnds?.[nth] ?? 'silence';
    const finish = (): void => {
      if (hang === 'during') return this.#drop();
      if (this.#isSilent('record', nth) || !this.#activeRecordings.delete(id)) return;
      if (ending === 'dtmf') this.#emit({ type: 'dtmf', digit: '#' });
      this.#emit({ type: 'recording-finished', recordingId: id, end: ending, durationMs: 1000 });
      if (hang === 'after') this.#drop();
    };
    this.#schedule(finish);
    return id;
  }

  async stopRecording(recordingId: string): Promise<void> {
    this.#begin('stopRecording', recordingId);
    if (this.#activeRecordings.delete(recordingId)) {
      setImmediate(() => this.#emit({ type: 'recording-finished', recordingId, end: 'stopped', durationMs: 1000 }));
    }
  }

  async fetchRecording(recordingId: string): Promise<Buffer> {
    this.#count('fetchRecording', recordingId, false);
    const nth = this.#recordingIndex.get(recordingId);
    if (nth === undefined) throw new AppError('TELEPHONY.REQUEST_FAILED', 'no such recording', { details: { recordingId } });
    return fakeSpeechWav(this.script.says?.[nth] ?? '');
  }

  async hangup(): Promise<void> {
    this.#begin('hangup');
    this.#up = false;
    setImmediate(() => this.#endAll());
  }

  /** Back to the dialplan, as the engines do it: the leg ends without any event (no hangup). */
  async release(reason: ReleaseReason): Promise<void> {
    this.#begin('release', reason);
    this.#up = false;
    this.#released = reason;
    this.#listeners.clear();
  }

  // ---- internals -------------------------------------------------------------------------------

  /** Counts and records the operation; throws when the channel is gone or a failure is scripted. */
  #begin(op: LegOp, arg?: unknown): number {
    return this.#count(op, arg, true);
  }

  #count(op: LegOp, arg: unknown, needsChannel: boolean): number {
    const nth = this.#counts.get(op) ?? 0;
    this.#counts.set(op, nth + 1);
    this.ops.push(arg === undefined ? { op } : { op, arg });
    const scripted = this.script.failures?.find((f) => f.op === op && (f.nth === undefined || f.nth === nth));
    if (scripted !== undefined) {
      const gone = (scripted.error ?? 'request-failed') === 'gone';
      if (gone) this.#drop();
      throw fail(gone ? 'TELEPHONY.CHANNEL_GONE' : 'TELEPHONY.REQUEST_FAILED', op);
    }
    if (needsChannel && !this.#up) throw fail('TELEPHONY.CHANNEL_GONE', op);
    return nth;
  }

  #hangupAt(op: 'play' | 'record', nth: number): 'during' | 'after' | null {
    const h = this.script.hangup;
    if (h === undefined || h.when === 'before-answer' || h.op !== op || h.nth !== nth) return null;
    return h.when;
  }

  #isSilent(op: 'play' | 'record', nth: number): boolean {
    return this.script.silent?.some((s) => s.op === op && s.nth === nth) === true;
  }

  /** Runs an operation's ending on a later tick, after its promise resolved. */
  #schedule(fn: () => void): void {
    setImmediate(fn);
  }

  /** The caller hangs up: playbacks end `failed`, recordings end `hangup` (audio kept), then the hangup. */
  #drop(): void {
    if (!this.#up) return;
    this.#up = false;
    this.#endAll();
  }

  #endAll(): void {
    if (this.script.bareHangup === true) {
      this.#activePlaybacks.clear();
      this.#activeRecordings.clear();
      return this.#emit({ type: 'hangup', cause: null });
    }
    for (const id of this.#activePlaybacks) this.#emit({ type: 'playback-finished', playbackId: id, outcome: 'failed' });
    this.#activePlaybacks.clear();
    for (const id of this.#activeRecordings) this.#emit({ type: 'recording-finished', recordingId: id, end: 'hangup' satisfies RecordingEnd, durationMs: 1000 });
    this.#activeRecordings.clear();
    this.#emit({ type: 'hangup', cause: null });
  }

  #emit(e: LegEvent): void {
    if (e.type === 'hangup') this.#hungUp = true;
    for (const l of [...this.#listeners]) l(e);
  }
}

function fail(code: ErrorCode, op: string): AppError {
  return new AppError(code, code === 'TELEPHONY.CHANNEL_GONE' ? 'channel not found' : 'scripted engine failure', { details: { op } });
}
