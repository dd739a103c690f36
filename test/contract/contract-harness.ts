/**
 * What every store contract suite shares, so that a store whose calls return promises (PostgreSQL)
 * plugs into the same suites as the synchronous SQLite stores and in-memory fakes: the suites `await`
 * every call on the store under test (an `await` on a plain value is a no-op), factories may be async,
 * and teardown may be async. See test/contract/README.md.
 */
import assert from 'node:assert/strict';
import { isAppError, type ErrorCode } from '../../src/domain/errors.ts';

export type Awaitable<T> = T | Promise<T>;

/**
 * A port whose every method may answer now or later. Suites hold the store under test as this type, so
 * the type checker refuses a result used without `await` (e.g. `store.latest(1, A)?.at`); a synchronous
 * store and an asynchronous one are both assignable to it.
 */
export type AsyncPort<P> = {
  [K in keyof P]: P[K] extends (...args: infer A) => infer R ? (...args: A) => Awaitable<R> : P[K];
};

/** What a factory hands a suite: the store(s) under test plus the harness's own helpers. */
export interface Teardown {
  /** Releases what the factory made (database, temp directory); optional for a fake. */
  close?(): Awaitable<void>;
}

export type HarnessFactory<H extends Teardown, A extends unknown[] = []> = (...args: A) => Awaitable<H>;

interface TestContext {
  after(fn: () => Promise<void> | void): void;
}

/** Builds a harness for one test and tears it down when the test ends (passed or failed). */
export async function openHarness<H extends Teardown, A extends unknown[]>(t: TestContext, factory: HarnessFactory<H, A>, ...args: A): Promise<H> {
  const h = await factory(...args);
  t.after(async () => {
    await h.close?.();
  });
  return h;
}

/**
 * Asserts that `fn` fails with an AppError of `code`, whether it throws synchronously (SQLite, fakes) or
 * returns a rejected promise (an asynchronous store).
 */
export async function rejectsWithCode(fn: () => unknown, code: ErrorCode, message?: string): Promise<void> {
  await assert.rejects(
    async () => {
      await fn();
    },
    (e: unknown) => {
      assert.ok(isAppError(e), `expected an AppError ${code}, got ${String(e)}`);
      assert.equal(e.code, code, message);
      return true;
    },
    message,
  );
}
