/**
 * Simulated time for the telephony simulators.
 *
 * `timeScale` is real milliseconds per simulated millisecond. 1 runs in real time (the demo); 0 is
 * "instant": simulated time jumps to the next timer as soon as the event loop has a free turn, so a
 * 120 s recording ends at once while keeping the order of everything scheduled inside the simulator.
 * Because of that jump, caller scripts should hang actions on moments ("when playback #2 starts"),
 * not on absolute times.
 */
export class SimScheduler {
  private readonly timers: { due: number; seq: number; fn: () => void }[] = [];
  private seq = 0;
  private simNow = 0;
  private realBase = performance.now();
  private wake: { cancel(): void } | null = null;
  private closed = false;

  constructor(private readonly timeScale: number) {}

  now(): number {
    if (this.timeScale > 0) {
      return Math.max(this.simNow, (performance.now() - this.realBase) / this.timeScale);
    }
    return this.simNow;
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

  private arm(): void {
    this.wake?.cancel();
    this.wake = null;
    const next = this.timers[0];
    if (!next || this.closed) return;
    if (this.timeScale === 0) {
      const h = setImmediate(() => this.fire());
      this.wake = { cancel: () => clearImmediate(h) };
    } else {
      const h = setTimeout(() => this.fire(), Math.max(0, (next.due - this.now()) * this.timeScale));
      this.wake = { cancel: () => clearTimeout(h) };
    }
  }

  private fire(): void {
    this.wake = null;
    const next = this.timers[0];
    if (!next) return;
    if (this.timeScale > 0 && next.due > this.now() + 0.5) {
      this.arm();
      return;
    }
    this.timers.shift();
    this.simNow = Math.max(this.simNow, next.due);
    try {
      next.fn();
    } finally {
      this.arm();
    }
  }
}
