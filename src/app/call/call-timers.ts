import type { TimerName } from '../../domain/call-flow/call-state.ts';
import type { Clock } from '../../domain/ports/clock.ts';

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
