import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleDailyPurge, PURGE_INTERVAL_MS, FIRST_PURGE_DELAY_MS } from '../../../src/app/retention/daily-purge-scheduler.ts';
import { ManualClock } from '../lifecycle/manual-clock.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

describe('scheduleDailyPurge', () => {
  test('runs after the first delay, then once a day, and keeps going after a failure', async () => {
    const clock = new ManualClock();
    let runs = 0;
    const errors: unknown[] = [];
    const logger: Logger = { ...silent, error: (f) => errors.push(f.err), child: () => logger };
    const sched = scheduleDailyPurge({
      clock,
      logger,
      run: async () => {
        runs += 1;
        if (runs === 2) throw new Error('disk full');
      },
    });
    assert.deepEqual(clock.pending(), [FIRST_PURGE_DELAY_MS]);
    await clock.advance(FIRST_PURGE_DELAY_MS - 1);
    assert.equal(runs, 0);
    await clock.advance(1);
    assert.equal(runs, 1);
    assert.deepEqual(clock.pending(), [PURGE_INTERVAL_MS]);
    await clock.advance(PURGE_INTERVAL_MS);
    assert.equal(runs, 2);
    assert.equal(errors.length, 1);
    assert.deepEqual(clock.pending(), [PURGE_INTERVAL_MS]);
    sched.stop();
    assert.deepEqual(clock.pending(), []);
  });

  test('stop during a run prevents the next one from being scheduled', async () => {
    const clock = new ManualClock();
    let release!: () => void;
    const sched = scheduleDailyPurge({ clock, logger: silent, firstDelayMs: 10, run: () => new Promise<void>((r) => (release = r)) });
    await clock.advance(10);
    assert.equal(sched.running(), true);
    sched.stop();
    release();
    await clock.advance(0);
    assert.equal(sched.running(), false);
    assert.deepEqual(clock.pending(), []);
  });
});
