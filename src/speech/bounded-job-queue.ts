import { AppError } from '../domain/errors.ts';

/**
 * Runs at most `concurrency` jobs at once and queues the rest (never more transcriptions at
 * once than cores, since each already uses several threads). `maxQueued` bounds the waiting line, so a
 * burst of calls fails fast instead of piling up minutes of latency. `urgent` jobs (a consent answer:
 * the caller is waiting on the line) go ahead of every normal job (a message, transcribed while the call
 * goes on); within each class, arrival order. Measured by the e2e benchmark: in arrival order, answers
 * queued behind other calls' messages ran past their 30 s bound and calls ended unclear.
 */
export class BoundedJobQueue {
  private running = 0;
  private peak = 0;
  private peakWaiting = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly waitingUrgent: Array<() => void> = [];

  constructor(
    readonly concurrency: number,
    private readonly maxQueued = 64,
  ) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
  }

  /** Jobs waiting for a slot (not counting the ones running). */
  get depth(): number {
    return this.waiting.length + this.waitingUrgent.length;
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
    while (this.running > 0 || this.depth > 0) {
      await new Promise<void>((resolve) => this.idlers.push(resolve));
    }
  }

  private readonly idlers: Array<() => void> = [];

  /** The longest the waiting line has been. */
  get peakDepth(): number {
    return this.peakWaiting;
  }

  async run<T>(job: () => Promise<T>, opts: { urgent?: boolean } = {}): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.depth >= this.maxQueued) {
        throw new AppError('SPEECH.ENGINE_FAILED', 'transcription queue is full', { retryable: true, details: { queued: this.depth } });
      }
      await new Promise<void>((resolve) => {
        (opts.urgent === true ? this.waitingUrgent : this.waiting).push(resolve);
        this.peakWaiting = Math.max(this.peakWaiting, this.depth);
      });
    }
    this.running++;
    this.peak = Math.max(this.peak, this.running);
    try {
      return await job();
    } finally {
      this.running--;
      const next = this.waitingUrgent.shift() ?? this.waiting.shift();
      if (next) next();
      else if (this.running === 0) for (const wake of this.idlers.splice(0)) wake();
    }
  }
}
