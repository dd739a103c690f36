import type { CallEvent } from '../../domain/call-flow/call-events.ts';
import type { RecordingPurpose, TimerName } from '../../domain/call-flow/call-state.ts';
import type { PromptKey } from '../../domain/call-flow/prompts.ts';
import type { LegEvent } from '../../domain/ports/call-engine.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';

/** Where a call's events come from besides the runner: the leg (`LegEventRouter`) and the flow's timers (`CallTimers`). */

/**
 * Translates a leg's events (engine ids) into the flow's events (prompt keys, recording purposes).
 * A leg never reports the end of a playback or recording before play()/record() returned its id (the
 * adapters hold such events back; test/contract/call-engine-contract.ts checks both engines), so an
 * event for an id not known here is stale and dropped.
 */
export class LegEventRouter {
  readonly #emit: (event: CallEvent, source: LegEvent) => void;
  readonly #log: Logger;
  readonly #playbacks = new Map<string, PromptKey>();
  readonly #recordings = new Map<string, RecordingPurpose>();
  #currentPlayback: string | null = null;
  #currentRecording: string | null = null;

  constructor(emit: (event: CallEvent, source: LegEvent) => void, log: Logger) {
    this.#emit = emit;
    this.#log = log;
  }

  playbackStarted(id: string, prompt: PromptKey): void {
    this.#playbacks.set(id, prompt);
    this.#currentPlayback = id;
  }

  recordingStarted(id: string, purpose: RecordingPurpose): void {
    this.#recordings.set(id, purpose);
    this.#currentRecording = id;
  }

  /** The playback in progress, forgotten (it is being stopped). */
  takeCurrentPlayback(): string | null {
    const id = this.#currentPlayback;
    this.#currentPlayback = null;
    return id;
  }

  /** The recording in progress, forgotten (it is being stopped). */
  takeCurrentRecording(): string | null {
    const id = this.#currentRecording;
    this.#currentRecording = null;
    return id;
  }

  handle(e: LegEvent): void {
    switch (e.type) {
      case 'hangup':
        return this.#emit({ type: 'hangup' }, e);
      case 'dtmf':
        return this.#emit({ type: 'dtmf', digit: e.digit }, e);
      case 'playback-finished': {
        const prompt = this.#playbacks.get(e.playbackId);
        if (prompt === undefined) return this.#unknown(e);
        this.#playbacks.delete(e.playbackId);
        if (this.#currentPlayback === e.playbackId) this.#currentPlayback = null;
        return this.#emit({ type: 'playback-finished', prompt, outcome: e.outcome }, e);
      }
      case 'recording-finished': {
        const purpose = this.#recordings.get(e.recordingId);
        if (purpose === undefined) return this.#unknown(e);
        this.#recordings.delete(e.recordingId);
        if (this.#currentRecording === e.recordingId) this.#currentRecording = null;
        return this.#emit({ type: 'recording-finished', purpose, end: e.end }, e);
      }
    }
  }

  #unknown(e: LegEvent): void {
    this.#log.debug({ event: e.type }, 'leg event for an unknown playback or recording');
  }
}

/**
 * The flow's named timers on the `Clock` port. Starting a name again replaces the running one. Each
 * start gets a generation number, so a timeout that fired just before its timer was restarted can be
 * recognised as stale when it is finally processed (`isCurrent`).
 */
export class CallTimers {
  readonly #clock: Clock;
  readonly #onFire: (timer: TimerName, generation: number) => void;
  readonly #running = new Map<TimerName, { cancel: () => void; generation: number }>();
  #generation = 0;

  constructor(clock: Clock, onFire: (timer: TimerName, generation: number) => void) {
    this.#clock = clock;
    this.#onFire = onFire;
  }

  start(timer: TimerName, ms: number): void {
    this.cancel(timer);
    const generation = ++this.#generation;
    const cancel = this.#clock.setTimer(ms, () => {
      if (this.#running.get(timer)?.generation === generation) this.#running.delete(timer);
      this.#onFire(timer, generation);
    });
    this.#running.set(timer, { cancel, generation });
  }

  cancel(timer: TimerName): void {
    const t = this.#running.get(timer);
    if (t === undefined) return;
    t.cancel();
    this.#running.delete(timer);
  }

  cancelAll(): void {
    for (const timer of [...this.#running.keys()]) this.cancel(timer);
  }

  /** True while no newer timer of this name was started since `generation` was. */
  isCurrent(timer: TimerName, generation: number): boolean {
    const t = this.#running.get(timer);
    return t === undefined || t.generation === generation;
  }

  get size(): number {
    return this.#running.size;
  }
}
