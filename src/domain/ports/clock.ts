/** Time, injected so that tests never sleep. Durations are milliseconds. */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; returns a cancel function (safe to call twice). */
  setTimer(ms: number, fn: () => void): () => void;
}
