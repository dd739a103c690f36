import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay } from '../../../src/domain/retry/backoff.ts';

describe('backoffDelay', () => {
  test('doubles from the first failure and stops at the cap', () => {
    const b = { initialMs: 100, maxMs: 1_000 };
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((f) => backoffDelay(b, f)), [100, 200, 400, 800, 1_000, 1_000]);
  });

  test('zero or negative failures count as the first; a huge count stays finite and capped', () => {
    const b = { initialMs: 250, maxMs: 10_000 };
    assert.equal(backoffDelay(b, 0), 250);
    assert.equal(backoffDelay(b, -3), 250);
    assert.equal(backoffDelay(b, 1e9), 10_000);
    assert.equal(backoffDelay({ initialMs: 1, maxMs: Number.MAX_SAFE_INTEGER }, 5_000), 2 ** 30);
  });

  test('jitter draws between delay × (1 − j) and the delay, never past the cap', () => {
    const b = { initialMs: 1_000, maxMs: 60_000, jitter: 0.5 };
    assert.equal(backoffDelay(b, 3, () => 0), 2_000);
    assert.equal(backoffDelay(b, 3, () => 0.5), 3_000);
    assert.equal(backoffDelay(b, 3, () => 0.999_999), 4_000);
    assert.equal(backoffDelay(b, 20, () => 0.999_999), 60_000);
    assert.equal(backoffDelay(b, 20, () => 0), 30_000);
  });

  test('without jitter the random source is not consulted', () => {
    let calls = 0;
    backoffDelay({ initialMs: 5, maxMs: 50 }, 2, () => {
      calls += 1;
      return 0.5;
    });
    assert.equal(calls, 0);
  });
});
