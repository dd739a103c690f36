import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedJobQueue } from '../../src/speech/bounded-job-queue.ts';
import { RecognizerLoadWatch, type RecognizerLoad } from '../../src/speech/recognizer-load-watch.ts';
import { CapturingLogger } from '../fakes/capturing-logger.ts';
import { FakeMetrics } from '../fakes/fake-metrics.ts';
import { ManualClock } from '../fakes/manual-clock.ts';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((r) => setImmediate(r));
}

function setup(maxQueued = 64) {
  const clock = new ManualClock();
  const logger = new CapturingLogger();
  const metrics = new FakeMetrics();
  const statuses: RecognizerLoad[] = [];
  const queue = new BoundedJobQueue(1, maxQueued, () => clock.now());
  const watch = new RecognizerLoadWatch(queue, { clock, logger, metrics, engine: 'fake', onStatus: (s) => statuses.push(s) });
  const warnings = () => logger.entries.filter((e) => e.level === 'warn');
  const infos = (msg: string) => logger.entries.filter((e) => e.level === 'info' && e.msg === msg);
  return { clock, logger, metrics, statuses, queue, watch, warnings, infos };
}

test('answers waiting past 10 s: saturated, one warning per 10 s with depth and oldest wait, then recovered with an info', async () => {
  const { clock, metrics, statuses, queue, watch, warnings, infos } = setup();
  const busy = gate();
  const running = queue.run(() => busy.promise, { urgent: true });
  const cancels = [new AbortController(), new AbortController(), new AbortController()];
  const answers = cancels.map((c) => queue.run(async () => 'heard', { urgent: true, signal: c.signal }));
  const message = queue.run(async () => 'message');

  clock.advance(9_000);
  assert.equal(watch.status, 'ok', 'a wait under 10 s is not saturation');
  assert.equal(warnings().length, 0);

  clock.advance(1_000);
  assert.equal(watch.status, 'saturated');
  assert.deepEqual(statuses, ['saturated']);
  assert.equal(warnings().length, 1);
  const w = warnings()[0]!.fields;
  assert.equal(w['kind'], 'answer');
  assert.equal(w['answersWaiting'], 3);
  assert.equal(w['messagesWaiting'], 1);
  assert.equal(w['queueDepth'], 4);
  assert.equal(w['oldestAnswerWaitMs'], 10_000);
  assert.equal(w['engine'], 'fake');
  assert.deepEqual(metrics.recognizerLoads.at(-1), { answersWaiting: 3, messagesWaiting: 1, saturated: true });

  clock.advance(5_000);
  assert.equal(warnings().length, 1, 'rate-limited: no second warning within 10 s');
  // The caller of one answer stops waiting: it leaves the line (and counts in the next warning).
  cancels[0]!.abort();
  await assert.rejects(answers[0]!, /gave up waiting/);
  clock.advance(5_000);
  assert.equal(warnings().length, 2, 'a second warning 10 s after the first while it lasts');
  assert.equal(warnings()[1]!.fields['answersAbandoned'], 1);
  assert.equal(warnings()[1]!.fields['answersWaiting'], 2);

  busy.open();
  await running;
  assert.deepEqual(await Promise.all([answers[1], answers[2], message]), ['heard', 'heard', 'message']);
  await settle();
  assert.deepEqual(metrics.recognizerLoads.at(-1), { answersWaiting: 0, messagesWaiting: 0, saturated: true });
  assert.equal(watch.status, 'saturated', 'a job was given up less than 10 s ago');
  clock.advance(10_000);
  assert.equal(watch.status, 'ok');
  assert.deepEqual(statuses, ['saturated', 'ok']);
  assert.equal(infos('speech recognizer recovered').length, 1);
  assert.deepEqual(metrics.recognizerLoads.at(-1), { answersWaiting: 0, messagesWaiting: 0, saturated: false });
  assert.equal(clock.pending(), 0, 'nothing left to look at: no timer');
  watch.close();
});

test('a refused job is saturation at once; when only messages suffer the warning says so', async () => {
  const { clock, statuses, queue, watch, warnings } = setup(1);
  const busy = gate();
  const running = queue.run(() => busy.promise);
  const waiting = queue.run(async () => undefined);
  assert.equal(watch.status, 'saturated', 'the line is full');
  await assert.rejects(queue.run(async () => undefined), /waiting line is full/);
  assert.equal(warnings().length, 1);
  assert.equal(warnings()[0]!.fields['kind'], 'message');
  busy.open();
  await Promise.all([running, waiting]);
  await settle();
  clock.advance(10_000);
  assert.deepEqual(statuses, ['saturated', 'ok']);
  assert.equal(clock.pending(), 0);
  watch.close();
});

test('a busy but keeping-up recognizer is not saturated (short waits, nothing refused)', async () => {
  const { clock, queue, watch, warnings, metrics } = setup();
  for (let i = 0; i < 5; i++) {
    const g = gate();
    const a = queue.run(() => g.promise, { urgent: true });
    const b = queue.run(async () => undefined, { urgent: true });
    clock.advance(2_000);
    g.open();
    await Promise.all([a, b]);
  }
  assert.equal(watch.status, 'ok');
  assert.equal(warnings().length, 0);
  assert.ok(metrics.recognizerLoads.some((l) => l.answersWaiting === 1), 'the depth per kind was reported');
  assert.ok(metrics.recognizerLoads.every((l) => !l.saturated));
  watch.close();
  assert.equal(clock.pending(), 0);
});
