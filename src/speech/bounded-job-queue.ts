import { AppError } from '../domain/errors.ts';

/** The two classes of job: `urgent` (a consent answer, the caller is waiting) and `normal` (a message). */
export type JobClass = 'urgent' | 'normal';

/** One class's waiting line, as seen now. */
export interface LineSnapshot {
  readonly depth: number;
  /** How long the job at the head of the line has waited (0 when nobody waits). */
  readonly oldestWaitMs: number;
  /** Refused since the queue was made: the waiting line was full. */
  readonly refused: number;
  /** Given up while waiting since the queue was made: the caller of `run` stopped waiting (its signal). */
  readonly abandoned: number;
}

export interface QueueSnapshot {
  readonly concurrency: number;
  readonly maxQueued: number;
  readonly inFlight: number;
  readonly urgent: LineSnapshot;
  readonly normal: LineSnapshot;
}

interface Waiter {
  readonly at: number;
  readonly start: () => void;
  readonly giveUp: (e: AppError) => void;
}

/**
 * Runs at most `concurrency` jobs at once (never more transcriptions than cores, since each already uses
 * several threads) and queues the rest up to `maxQueued`, so a burst fails fast. `urgent` jobs (a consent
 * answer: the caller is waiting on the line) go ahead of normal ones (each class in arrival order) and
 * count only against each other; an aborted job leaves the line at once. Both failures are
 * `SPEECH.SATURATED`; `snapshot()` and `onChange` feed recognizer-load-watch.ts. Why: src/speech/README.md,
 * "When the recognizer is saturated".
 */
export class BoundedJobQueue {
  private running = 0;
  private peak = 0;
  private peakWaiting = 0;
  private readonly lines: Record<JobClass, Waiter[]> = { urgent: [], normal: [] };
  private readonly refused: Record<JobClass, number> = { urgent: 0, normal: 0 };
  private readonly abandoned: Record<JobClass, number> = { urgent: 0, normal: 0 };
  private readonly listeners = new Set<() => void>();
  private readonly idlers: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    readonly maxQueued = 64,
    /** The time source for waits (the service's `Clock.now`; tests pass a manual one). */
    private readonly now: () => number = Date.now,
  ) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** Jobs waiting for a slot (not counting the ones running). */
  get depth(): number {
    return this.lines.urgent.length + this.lines.normal.length;
  }

  get inFlight(): number {
    return this.running;
  }

  /** The most jobs ever seen running at once. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** The longest the waiting line has been. */
  get peakDepth(): number {
    return this.peakWaiting;
  }

  snapshot(): QueueSnapshot {
    const now = this.now();
    const line = (c: JobClass): LineSnapshot => {
      const head = this.lines[c][0];
      return { depth: this.lines[c].length, oldestWaitMs: head === undefined ? 0 : Math.max(0, now - head.at), refused: this.refused[c], abandoned: this.abandoned[c] };
    };
    return { concurrency: this.concurrency, maxQueued: this.maxQueued, inFlight: this.running, urgent: line('urgent'), normal: line('normal') };
  }

  /** Called after every change (a job queued, started, finished, refused or abandoned); returns an unsubscribe. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once nothing is running or waiting (so a model is never freed under a running job). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.depth > 0) {
      await new Promise<void>((resolve) => this.idlers.push(resolve));
    }
  }

  async run<T>(job: () => Promise<T>, opts: { urgent?: boolean; signal?: AbortSignal } = {}): Promise<T> {
    const cls: JobClass = opts.urgent === true ? 'urgent' : 'normal';
    if (this.running >= this.concurrency) {
      // A finishing job hands its slot straight to this one (`running` is not decremented in between),
      // so a job arriving meanwhile cannot take the slot too.
      await this.wait(cls, opts.signal);
    } else {
      this.running++;
    }
    this.peak = Math.max(this.peak, this.running);
    this.changed();
    try {
      return await job();
    } finally {
      const next = this.lines.urgent.shift() ?? this.lines.normal.shift();
      if (next) next.start();
      else {
        this.running--;
        if (this.running === 0) for (const wake of this.idlers.splice(0)) wake();
        this.changed();
      }
    }
  }

  private wait(cls: JobClass, signal: AbortSignal | undefined): Promise<void> {
    const full = cls === 'urgent' ? this.lines.urgent.length >= this.maxQueued : this.depth >= this.maxQueued;
    if (full) {
      this.refused[cls]++;
      this.changed();
      return Promise.reject(new AppError('SPEECH.SATURATED', 'the recognizer is saturated: its waiting line is full', { retryable: true, details: { queued: this.depth, kind: cls } }));
    }
    if (signal?.aborted === true) return Promise.reject(this.gaveUp(cls, 0));
    return new Promise<void>((resolve, reject) => {
      const onAbort = (): void => {
        const line = this.lines[cls];
        const i = line.indexOf(waiter);
        if (i < 0) return;
        line.splice(i, 1);
        waiter.giveUp(this.gaveUp(cls, this.now() - waiter.at));
        if (this.running === 0 && this.depth === 0) for (const wake of this.idlers.splice(0)) wake();
        this.changed();
      };
      const waiter: Waiter = {
        at: this.now(),
        start: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
        giveUp: reject,
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.lines[cls].push(waiter);
      this.peakWaiting = Math.max(this.peakWaiting, this.depth);
      this.changed();
    });
  }

  private gaveUp(cls: JobClass, waitedMs: number): AppError {
    this.abandoned[cls]++;
    return new AppError('SPEECH.SATURATED', 'gave up waiting for the recognizer', { retryable: true, details: { waitedMs, kind: cls } });
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
