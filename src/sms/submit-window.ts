/**
 * Flow control for submits: at most `window` outstanding requests (SMPP 3.4 §2.7 "windowing") and at
 * most `tps` new ones per second, the rate the operator's contract allows (exceeding it earns
 * ESME_RTHROTTLED). Urgent waiters (keyword replies, staff alerts: README.md, "Keyword replies first") are served before the
 * others, each kind in order; `failAll` releases them when the link drops.
 */
interface Waiter {
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

export class SubmitWindow {
  private inflight = 0;
  private readonly urgent: Waiter[] = [];
  private readonly waiters: Waiter[] = [];
  private nextAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly spacingMs: number;

  constructor(
    private readonly size: number,
    tps: number,
  ) {
    this.spacingMs = 1000 / tps;
  }

  outstanding(): number {
    return this.inflight;
  }

  free(): number {
    return Math.max(0, this.size - this.inflight);
  }

  /** Resolves when a slot (and a TPS token) is ours; call `release` exactly once afterwards. */
  acquire(urgent = false): Promise<void> {
    return new Promise((resolve, reject) => {
      (urgent ? this.urgent : this.waiters).push({ resolve, reject });
      this.pump();
    });
  }

  release(): void {
    if (this.inflight > 0) this.inflight--;
    this.pump();
  }

  failAll(err: unknown): void {
    for (const w of [...this.urgent.splice(0), ...this.waiters.splice(0)]) w.reject(err);
  }

  /** After a reconnect the SMSC knows nothing of the old requests. */
  reset(): void {
    this.inflight = 0;
    this.pump();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private pump(): void {
    while (this.urgent.length + this.waiters.length > 0 && this.inflight < this.size) {
      const now = performance.now();
      if (now < this.nextAt) {
        if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, Math.ceil(this.nextAt - now));
        }
        return;
      }
      this.nextAt = Math.max(now, this.nextAt) + this.spacingMs;
      this.inflight++;
      (this.urgent.shift() ?? this.waiters.shift()!).resolve();
    }
  }
}
