/**
 * The one retry wait of the codebase: exponential from `initialMs`, capped at `maxMs`, optionally
 * jittered. Used by the ARI socket and the ESL monitor reconnects, the SMPP link keeper, the outbox
 * dispatcher and staff notifications; each keeps its own bounds through the parameters.
 */
export interface Backoff {
  /** The wait after the first failure. */
  readonly initialMs: number;
  /** No wait is longer than this. */
  readonly maxMs: number;
  /**
   * 0 (default): the exact delay. `j` in (0, 1]: a wait drawn evenly from [delay × (1 − j), delay], so
   * that many peers cut off together (an SMSC restart, a burst of throttled texts) do not come back in step.
   */
  readonly jitter?: number;
}

/** Beyond this the doubling is past any cap anyone sets; it also keeps 2 ** n finite. */
const MAX_DOUBLINGS = 30;

/**
 * The wait before the next try after `failures` failures in a row: 1 after the first failure (the wait
 * is `initialMs`), 2 after the second (2 × `initialMs`), and so on. Counters start at 0 and go back to 0
 * on success. `random` returns [0, 1) (Math.random; tests pass their own).
 */
export function backoffDelay(b: Backoff, failures: number, random: () => number = Math.random): number {
  const n = Math.min(Math.max(1, Math.floor(failures)), MAX_DOUBLINGS + 1);
  const delay = Math.min(b.maxMs, b.initialMs * 2 ** (n - 1));
  const jitter = Math.min(1, Math.max(0, b.jitter ?? 0));
  return jitter === 0 ? delay : Math.round(delay * (1 - jitter) + random() * delay * jitter);
}
