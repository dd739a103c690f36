/**
 * Retries per channel (within 60 s of the call's end, p95 under 10 s). With the defaults a
 * channel gets 5 attempts over about 15 s of waiting (1 + 2 + 4 + 8 s) plus at most 5 attempt
 * timeouts, so a channel that recovers within half a minute still lands inside the minute.
 */
export interface RetryPolicy {
  readonly maxAttempts: number;
  /** The wait after the first failed attempt, doubled per failure up to maxDelayMs (domain/retry/backoff.ts); no jitter: one process, a handful of targets. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** One attempt's time limit; the use case abandons (and aborts) a slower attempt and retries. */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 1_000, maxDelayMs: 8_000, attemptTimeoutMs: 10_000 };
