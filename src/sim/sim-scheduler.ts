/**
 * Simulated time for the telephony simulators. `timeScale` is real milliseconds per simulated
 * millisecond: 1 is real time, the demo runs at 0.05 (20x), 0 is "instant" (time jumps to the next timer
 * whenever the event loop is idle, so caller scripts hang actions on moments, not absolute times).
 * Simulated time never moves inside one turn of the simulator's work: src/sim/README.md, "Time".
 */
export class SimScheduler {
  private readonly timers: { due: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  private simNow = 0;
  private readonly realBase = performance.now();
  /** The time of the turn in progress (a firing timer's due time, or the clock as a turn first read it). */
  private turnNow: number | null = null;
  private wake: { cancel(): void } | null = null;
  private closed = false;

  constructor(private readonly timeScale: number) {}

  now(): number {
    if (this.turnNow !== null) return this.turnNow;
    if (this.timeScale === 0) return this.simNow;
    const now = Math.max(this.simNow, this.clockNow());
    this.turnNow = now;
    // Held until the current synchronous work ends; the next turn reads the clock afresh.
    queueMicrotask(() => {
      if (this.turnNow === now) this.turnNow = null;
    });
    return now;
  }

  /** Runs `fn` after `delayMs` of simulated time; returns a cancel function. */
  after(delayMs: number, fn: () => void): () => void {
    const timer = { due: this.now() + Math.max(0, delayMs), seq: this.seq++, fn };
    // Keep the queue sorted by (due, seq): same-time timers run in the order they were set.
    let i = this.timers.length;
    while (i > 0 && (this.timers[i - 1]!.due > timer.due)) i--;
    this.timers.splice(i, 0, timer);
    this.arm();
    return () => {
      const at = this.timers.indexOf(timer);
      if (at >= 0) this.timers.splice(at, 1);
    };
  }

  /** Drops every pending timer (simulator shutdown or engine restart). */
  clear(): void {
    this.timers.length = 0;
    this.wake?.cancel();
    this.wake = null;
  }

  close(): void {
    this.closed = true;
    this.clear();
  }

  /**
   * Simulated time as the wall clock has it (timescaled simulators only), in whole milliseconds: fractional times made
   * a 2 s recording that started at 950.9948 and whose speech ended at 2950.9947999999995 last 1.9999999999999998 s,
   * floored to 1 (the ARI simulator's "stalls as it starts" test failed about one run in eight).
   */
  private clockNow(): number {
    return Math.floor((performance.now() - this.realBase) / this.timeScale);
  }

  private arm(): void {
    this.wake?.cancel();
    this.wake = null;
    const next = this.timers[0];
    if (!next || this.closed) return;
    if (this.timeScale === 0) {
      const h = setImmediate(() => this.fire());
      this.wake = { cancel: () => clearImmediate(h) };
    } else {
      const h = setTimeout(() => this.fire(), Math.max(0, (next.due - this.clockNow()) * this.timeScale));
      this.wake = { cancel: () => clearTimeout(h) };
    }
  }

  private fire(): void {
    this.wake = null;
    const next = this.timers[0];
    if (!next) return;
    if (this.timeScale > 0 && next.due > this.clockNow() + 0.5) {
      this.arm();
      return;
    }
    this.timers.shift();
    this.simNow = Math.max(this.simNow, next.due);
    const outer = this.turnNow;
    this.turnNow = next.due;
    try {
      next.fn();
    } finally {
      this.turnNow = outer;
      this.arm();
    }
  }
}
