import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CircuitBreaker } from '../../../src/app/assist/circuit-breaker.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';

describe('CircuitBreaker', () => {
  test('opens after the threshold of failures in a row, refuses until openMs, then lets one trial through', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ failureThreshold: 3, openMs: 10_000 }, clock);
    b.failure();
    b.failure();
    assert.equal(b.state, 'closed');
    assert.ok(b.allow());
    b.failure();
    assert.equal(b.state, 'open');
    assert.equal(b.allow(), false);
    clock.advance(9_999);
    assert.equal(b.allow(), false);
    clock.advance(1);
    assert.equal(b.allow(), true, 'one trial');
    assert.equal(b.state, 'half-open');
    assert.equal(b.allow(), false, 'only one trial at a time');
    b.failure();
    assert.equal(b.state, 'open', 'a failed trial reopens');
    clock.advance(10_000);
    assert.ok(b.allow());
    b.success();
    assert.equal(b.state, 'closed');
    assert.ok(b.allow() && b.allow());
  });

  test('a success resets the count; a Retry-After longer than openMs keeps it open that long', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ failureThreshold: 2, openMs: 1_000 }, clock);
    b.failure();
    b.success();
    b.failure();
    assert.equal(b.state, 'closed');
    b.failure({ retryAfterMs: 30_000 });
    assert.equal(b.state, 'open');
    clock.advance(29_999);
    assert.equal(b.allow(), false);
    clock.advance(1);
    assert.equal(b.allow(), true);
  });
});
