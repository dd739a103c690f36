/**
 * Bounded waits for tests: every wait ends, and a wait that ends without its event says what
 * did not happen instead of hanging the suite or failing on the runner's per-test timeout.
 *
 * These are waits for a state, never timing assertions: the bound is generous and only there so a
 * broken test fails with a readable message.
 */
import { once, type EventEmitter } from 'node:events';

/**
 * Default bound of a wait. A loaded 2-core machine (the suite shares it with other work) can stretch a
 * step that takes milliseconds when quiet to seconds; 30 s still fails well inside the runner's 120 s
 * per-test timeout (scripts/run-tests.mjs), so the message names the wait rather than the test.
 */
export const DEFAULT_WAIT_MS = 30_000;

/**
 * Polling interval: a small real delay, so a poll does not spin a core the way a setImmediate loop does
 * (such a loop ran 14 minutes at 100% CPU on a busy machine in ari-many-calls) and other work on the
 * event loop, such as a simulator's timers, still gets its turns.
 */
const POLL_MS = 5;

export interface WaitOptions {
  /** What the test waits for, as it reads in "timed out after N ms waiting for <what>". */
  readonly what: string;
  readonly timeoutMs?: number;
}

export class WaitTimeoutError extends Error {
  constructor(timeoutMs: number, what: string) {
    super(`timed out after ${timeoutMs}ms waiting for ${what}`);
    this.name = 'WaitTimeoutError';
  }
}

/** Resolves once `predicate()` is true; rejects with a WaitTimeoutError after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, opts: WaitOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = performance.now() + timeoutMs;
  while (!predicate()) {
    if (performance.now() >= deadline) throw new WaitTimeoutError(timeoutMs, opts.what);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** How often `waitForAsync` reads: its predicate is a round trip (a database query), not a field read. */
const ASYNC_POLL_MS = 50;

/**
 * As `waitFor`, for a predicate that must await (a read from another process's database): one read at a
 * time, `ASYNC_POLL_MS` apart; rejects with a WaitTimeoutError after `timeoutMs`, or with the read's error.
 */
export async function waitForAsync(predicate: () => Promise<boolean>, opts: WaitOptions): Promise<void> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
  const deadline = performance.now() + timeoutMs;
  while (!(await predicate())) {
    if (performance.now() >= deadline) throw new WaitTimeoutError(timeoutMs, opts.what);
    await new Promise((resolve) => setTimeout(resolve, ASYNC_POLL_MS));
  }
}

/**
 * `promise`, or a WaitTimeoutError after `timeoutMs` if it has not settled by then. The timer is cleared
 * when the promise settles, so a finished wait keeps nothing alive.
 */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new WaitTimeoutError(timeoutMs, what)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (err: unknown) => {
        clearTimeout(timer);
        reject(err);
      },
    );
  });
}

/**
 * The first `event` from `emitter` (its arguments), bounded: `once` from node:events (which also rejects
 * on an 'error' event) with a timeout whose message says what did not happen.
 */
export async function onceWithin(emitter: EventEmitter, event: string, timeoutMs: number, what: string): Promise<unknown[]> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    return await once(emitter, event, { signal: abort.signal });
  } catch (err) {
    if (abort.signal.aborted) throw new WaitTimeoutError(timeoutMs, what);
    throw err;
  } finally {
    clearTimeout(timer);
  }
}
