import { AppError } from '../domain/errors.ts';

/**
 * Runs at most `concurrency` jobs at once and queues the rest in arrival order (issue 4: never more
 * transcriptions at once than cores, since each already uses several threads). `maxQueued` bounds the
 * waiting line, so a burst of calls fails fast instead of piling up minutes of latency.
 */
export class BoundedJobQueue {
  private running = 0;
  private peak = 0;
  private peakWaiting = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    private readonly maxQueued = 64,
  ) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** Jobs waiting for a slot (not counting the ones running). */
  get depth(): number {
    return this.waiting.length;
  }

  get inFlight(): number {
    return this.running;
  }

  /** The most jobs ever seen running at once. */
  get peakInFlight(): number {
    return this.peak;
  }

  /** Resolves once nothing is running or waiting (so a model is never freed under a running job). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) {
      await new Promise<void>((resolve) => this.idlers.push(resolve));
    }
  }

  private readonly idlers: Array<() => void> = [];

  /** The longest the waiting line has been. */
  get peakDepth(): number {
    return this.peakWaiting;
  }

  async run<T>(job: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.maxQueued) {
        throw new AppError('SPEECH.ENGINE_FAILED', 'transcription queue is full', { retryable: true, details: { queued: this.waiting.length } });
      }
      await new Promise<void>((resolve) => {
        this.waiting.push(resolve);
        this.peakWaiting = Math.max(this.peakWaiting, this.waiting.length);
      });
    }
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await job();
    } finally {
      this.running--;
      const next = this.waiting.shift();
      if (next) next();
      else if (this.running === 0) for (const wake of this.idlers.splice(0)) wake();
    }
  }
}
