import type { Clock } from '../../domain/ports/clock.ts';

/**
 * A small circuit breaker, so that a dead or slow assist API costs nothing after a few failures: after
 * `failureThreshold` failures in a row the circuit opens and calls are refused at once (the local rules
 * decide alone); after `openMs` one trial call is let through (half-open), and its result closes or
 * reopens the circuit. A server's Retry-After keeps it open at least that long.
 *
 * Written here rather than taken from a library: neither `opossum` nor `cockatiel` is installed in this
 * repository, and the behaviour needed is this one state machine on the injected `Clock` (so tests step
 * time instead of sleeping); timeouts, retries and fallbacks are handled by the SDK and `GuardedAssist`.
 */
export type BreakerState = 'closed' | 'open' | 'half-open';

export interface BreakerSettings {
  readonly failureThreshold: number;
  readonly openMs: number;
}

export class CircuitBreaker {
  #state: BreakerState = 'closed';
  #failures = 0;
  #openUntil = 0;
  #trialInFlight = false;

  constructor(
    private readonly settings: BreakerSettings,
    private readonly clock: Clock,
  ) {}

  get state(): BreakerState {
    return this.#state;
  }

  /** True when a call may go out now; a half-open circuit lets exactly one trial through. */
  allow(): boolean {
    if (this.#state === 'closed') return true;
    if (this.#state === 'open') {
      if (this.clock.now() < this.#openUntil) return false;
      this.#state = 'half-open';
      this.#trialInFlight = false;
    }
    if (this.#trialInFlight) return false;
    this.#trialInFlight = true;
    return true;
  }

  success(): void {
    this.#state = 'closed';
    this.#failures = 0;
    this.#trialInFlight = false;
  }

  failure(opts: { retryAfterMs?: number | null } = {}): void {
    this.#failures++;
    this.#trialInFlight = false;
    const retryAfter = opts.retryAfterMs ?? 0;
    if (this.#state === 'half-open' || this.#failures >= this.settings.failureThreshold || retryAfter > 0) {
      this.#state = 'open';
      this.#openUntil = this.clock.now() + Math.max(this.settings.openMs, retryAfter);
    }
  }
}
