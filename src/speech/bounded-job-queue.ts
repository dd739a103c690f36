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
  /** Extra slots only urgent jobs may use (the answer lane). */
  readonly answerLanes: number;
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
 * Runs at most `concurrency` jobs of any class at once, plus up to `answerLanes` more that only `urgent`
 * jobs may take (a consent answer: the caller is waiting on the line), so an answer never waits behind
 * running messages: a `normal` job (a message) starts only while no answer waits and fewer than
 * `concurrency` jobs of any class run, so the answer lanes are free whenever a message starts.
 * The rest queue up to `maxQueued`, so a burst fails fast. Urgent jobs go ahead of normal ones (each class
 * in arrival order) and count only against each other; an aborted job leaves the line at once. Both
 * failures are `SPEECH.SATURATED`; `snapshot()` and `onChange` feed recognizer-load-watch.ts. Why:
 * src/speech/README.md, "When the recognizer is saturated" and "Scheduling".
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
    /** Slots beyond `concurrency` kept for urgent jobs (the answer lane). */
    readonly answerLanes = 0,
  ) {
    if (!(concurrency >= 1)) throw new RangeError('concurrency must be at least 1');
    if (!(answerLanes >= 0)) throw new RangeError('answerLanes must be at least 0');
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
    return { concurrency: this.concurrency, answerLanes: this.answerLanes, maxQueued: this.maxQueued, inFlight: this.running, urgent: line('urgent'), normal: line('normal') };
  }

  /**
   * Whether nobody waits and fewer jobs of any class run than `concurrency`: a message started now runs
   * at once and leaves every answer lane free for the next answer. The message backlog submits only then
   * (src/speech/README.md, "The message backlog"), so it never queues ahead of anyone.
   */
  hasIdleSlot(): boolean {
    return this.depth === 0 && this.running < this.concurrency;
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
    // Nobody of the class waits ahead (arrival order) and a slot is free: start now. Otherwise a finishing
    // job hands its slot to the head of the line synchronously (`pump`), so nothing can take it in between.
    if (this.lines[cls].length === 0 && this.canStart(cls)) this.take();
    else await this.wait(cls, opts.signal);
    this.peak = Math.max(this.peak, this.running);
    this.changed();
    try {
      return await job();
    } finally {
      this.running--;
      // A job started here reports the change itself when it resumes.
      if (!this.pump()) {
        if (this.running === 0 && this.depth === 0) for (const wake of this.idlers.splice(0)) wake();
        this.changed();
      }
    }
  }

  /**
   * An answer takes any free slot. A message starts only when no answer waits and, once it runs, every
   * answer lane is still free: fewer jobs of any class run than `concurrency`. Counting only running
   * messages let a message take the last shared slot beside a running answer, so the next answer waited
   * for one of them (the e2e benchmark's arrival mode, src/speech/README.md "Scheduling"). Messages wait
   * instead; the call's bound and the message backlog make them later.
   */
  private canStart(cls: JobClass): boolean {
    if (cls === 'urgent') return this.running < this.concurrency + this.answerLanes;
    return this.lines.urgent.length === 0 && this.running < this.concurrency;
  }

  private take(): void {
    this.running++;
  }

  /** Starts waiting jobs while slots are free, answers first; says whether it started any. */
  private pump(): boolean {
    let started = false;
    for (const cls of ['urgent', 'normal'] as const) {
      while (this.lines[cls].length > 0 && this.canStart(cls)) {
        this.take();
        this.lines[cls].shift()!.start();
        started = true;
      }
    }
    return started;
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
