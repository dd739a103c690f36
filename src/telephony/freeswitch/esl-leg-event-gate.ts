import type { LegEvent } from '../../domain/ports/call-engine.ts';
import type { Logger } from '../../domain/ports/logger.ts';

/**
 * Delivers a leg's events to its listeners, in order, held back while a play()/record() has not
 * returned yet: the end of a playback can arrive in the same TCP read as the `+OK` that started it,
 * i.e. before play() has returned its id. Events wait until every pending call has returned (the
 * caller's continuation runs first; the release comes on the next macrotask).
 */
export class EslLegEventGate {
  private readonly listeners = new Set<(e: LegEvent) => void>();
  private readonly outbox: LegEvent[] = [];
  /** play()/record() calls that have not returned yet. */
  private starting = 0;
  private deliveredHangup: Extract<LegEvent, { type: 'hangup' }> | null = null;

  constructor(private readonly logger: Logger) {}

  /** A listener added after the call ended still hears the hangup (a caller can hang up during set-up). */
  onEvent(listener: (e: LegEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.deliveredHangup) {
      const cause = this.deliveredHangup.cause;
      queueMicrotask(() => {
        if (this.listeners.has(listener)) this.safeCall(listener, { type: 'hangup', cause });
      });
    }
    return () => this.listeners.delete(listener);
  }

  emit(e: LegEvent): void {
    this.outbox.push(e);
    this.drain();
  }

  /** Holds events until `p` has settled and its caller's continuation has run. */
  async gated<T>(p: Promise<T>): Promise<T> {
    this.starting++;
    try {
      return await p;
    } finally {
      setImmediate(() => {
        this.starting--;
        this.drain();
      });
    }
  }

  private drain(): void {
    while (this.starting === 0 && this.outbox.length > 0) {
      const e = this.outbox.shift() as LegEvent;
      if (e.type === 'hangup') this.deliveredHangup = e;
      for (const fn of [...this.listeners]) this.safeCall(fn, e);
    }
  }

  private safeCall(fn: (e: LegEvent) => void, e: LegEvent): void {
    try {
      fn(e);
    } catch (err) {
      this.logger.error({ err: err instanceof Error ? err.message : String(err), event: e.type }, 'call leg listener threw');
    }
  }
}
