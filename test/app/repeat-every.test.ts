import { test } from 'node:test';
import assert from 'node:assert/strict';
import { repeatEvery } from '../../src/app/repeat-every.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

const settle = () => new Promise<void>((r) => setImmediate(r));

test('runs every interval, timed from the end of the previous run; stop() ends it', async () => {
  const clock = new ManualClock(0);
  let runs = 0;
  let release: () => void = () => undefined;
  const r = repeatEvery(clock, 60_000, () => {
    runs++;
    return new Promise<void>((res) => (release = res));
  });
  clock.advance(59_999);
  assert.equal(runs, 0);
  clock.advance(1);
  assert.equal(runs, 1);
  clock.advance(120_000); // the first run has not finished: no second run may start
  assert.equal(runs, 1);
  release();
  await settle();
  clock.advance(60_000);
  assert.equal(runs, 2);
  release();
  await settle();
  r.stop();
  clock.advance(600_000);
  assert.equal(runs, 2);
});

test('stop() during a run: the run finishes and nothing more is scheduled', async () => {
  const clock = new ManualClock(0);
  let runs = 0;
  let release: () => void = () => undefined;
  const r = repeatEvery(clock, 1_000, () => {
    runs++;
    return new Promise<void>((res) => (release = res));
  });
  clock.advance(1_000);
  r.stop();
  release();
  await settle();
  clock.advance(10_000);
  assert.equal(runs, 1);
});
