import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scheduleDailyPurge, PURGE_INTERVAL_MS, FIRST_PURGE_DELAY_MS } from '../../../src/app/retention/daily-purge-scheduler.ts';
import type { Clock } from '../../../src/domain/ports/clock.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';

/** A manual clock: timers fire only when the test advances time. */
class ManualClock implements Clock {
  private t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private seq = 0;
  now(): number {
    return this.t;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const id = ++this.seq;
    this.timers.push({ at: this.t + ms, fn, id });
    return () => {
      this.timers = this.timers.filter((x) => x.id !== id);
    };
  }
  pending(): number[] {
    return this.timers.map((x) => x.at - this.t);
  }
  async advance(ms: number): Promise<void> {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const d of due) d.fn();
    // Let the async run settle and reschedule.
    for (let i = 0; i < 5; i++) await Promise.resolve();
  }
}

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
