import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BoundedJobQueue } from '../../src/speech/bounded-job-queue.ts';
import { isAppError } from '../../src/domain/errors.ts';

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

test('never runs more than `concurrency` jobs; urgent jobs (consent answers) go ahead of queued messages', async () => {
  const q = new BoundedJobQueue(1);
  const order: string[] = [];
  const first = gate();
  const running = q.run(async () => {
    order.push('message-1');
    await first.promise;
  });
  const later = [
    q.run(async () => void order.push('message-2')),
    q.run(async () => void order.push('message-3')),
    q.run(async () => void order.push('answer-1'), { urgent: true }),
    q.run(async () => void order.push('answer-2'), { urgent: true }),
  ];
  assert.equal(q.depth, 4);
  assert.equal(q.inFlight, 1);
  first.open();
  await Promise.all([running, ...later]);
  assert.deepEqual(order, ['message-1', 'answer-1', 'answer-2', 'message-2', 'message-3']);
  assert.equal(q.peakInFlight, 1);
  assert.equal(q.depth, 0);
});

test('a line full of messages refuses the next message (SPEECH.SATURATED, retryable) but never an answer; answers are bounded among answers', async () => {
  const q = new BoundedJobQueue(1, 2);
  const g = gate();
  const running = q.run(() => g.promise);
  const messages = [q.run(async () => 'm1'), q.run(async () => 'm2')];
  await assert.rejects(q.run(async () => 'm3'), (e) => isAppError(e, 'SPEECH.SATURATED') && e.retryable);
  const answers = [q.run(async () => 'a1', { urgent: true }), q.run(async () => 'a2', { urgent: true })];
  await assert.rejects(q.run(async () => 'a3', { urgent: true }), (e) => isAppError(e, 'SPEECH.SATURATED'));
  const s = q.snapshot();
  assert.deepEqual([s.urgent.depth, s.urgent.refused, s.normal.depth, s.normal.refused], [2, 1, 2, 1]);
  g.open();
  assert.deepEqual(await Promise.all([...answers, ...messages]), ['a1', 'a2', 'm1', 'm2']);
  await running;
});

test('a waiting job whose signal aborts leaves the line at once with SPEECH.SATURATED; a running one is not touched', async () => {
  let now = 1_000;
  const q = new BoundedJobQueue(1, 8, () => now);
  const g = gate();
  const first = new AbortController();
  const running = q.run(() => g.promise, { urgent: true, signal: first.signal });
  const waiting = new AbortController();
  let ran = false;
  const abandoned = q.run(async () => void (ran = true), { urgent: true, signal: waiting.signal });
  const next = q.run(async () => 'next', { urgent: true });
  now += 30_000;
  assert.equal(q.snapshot().urgent.oldestWaitMs, 30_000);
  waiting.abort();
  first.abort();
  await assert.rejects(abandoned, (e) => isAppError(e, 'SPEECH.SATURATED') && e.details['waitedMs'] === 30_000);
  assert.deepEqual([q.depth, q.snapshot().urgent.abandoned], [1, 1]);
  g.open();
  await running;
  assert.equal(await next, 'next');
  assert.equal(ran, false, 'the abandoned job never ran');
  const aborted = new AbortController();
  aborted.abort();
  const blocker = gate();
  const busy = q.run(() => blocker.promise);
  await assert.rejects(q.run(async () => undefined, { signal: aborted.signal }), (e) => isAppError(e, 'SPEECH.SATURATED'));
  blocker.open();
  await busy;
});

test('onChange is told of every change, so a watcher sees depth and waits as they move', async () => {
  const q = new BoundedJobQueue(1);
  const depths: number[] = [];
  const off = q.onChange(() => depths.push(q.depth));
  const g = gate();
  const a = q.run(() => g.promise);
  const b = q.run(async () => undefined);
  g.open();
  await Promise.all([a, b]);
  off();
  await q.run(async () => undefined);
  assert.deepEqual(depths, [0, 1, 0, 0]);
});

test('with an answer lane, an answer starts at once while messages fill every shared slot and the line', async () => {
  const q = new BoundedJobQueue(1, 8, Date.now, 1);
  const order: string[] = [];
  const message = gate();
  const running = q.run(async () => {
    order.push('message-1');
    await message.promise;
  });
  const queued = [q.run(async () => void order.push('message-2')), q.run(async () => void order.push('message-3'))];
  assert.deepEqual([q.inFlight, q.snapshot().normal.depth], [1, 2], 'a second message must not take the answer lane');
  const answer = gate();
  const answered = q.run(async () => {
    order.push('answer-1');
    await answer.promise;
  }, { urgent: true });
  assert.deepEqual(order, ['message-1', 'answer-1'], 'the answer started before the queued messages, beside the running one');
  assert.deepEqual([q.inFlight, q.snapshot().urgent.depth], [2, 0]);
  // Both slots busy: a second answer waits, and goes ahead of the messages once a slot frees.
  const second = q.run(async () => void order.push('answer-2'), { urgent: true });
  assert.equal(q.snapshot().urgent.depth, 1);
  message.open();
  await running;
  answer.open();
  await Promise.all([answered, second, ...queued]);
  assert.deepEqual(order, ['message-1', 'answer-1', 'answer-2', 'message-2', 'message-3']);
  assert.equal(q.peakInFlight, 2);
});

test('answers may use the shared slots too when no message needs them', async () => {
  const q = new BoundedJobQueue(1, 8, Date.now, 1);
  const g = gate();
  const a = q.run(() => g.promise, { urgent: true });
  const b = q.run(() => g.promise, { urgent: true });
  assert.deepEqual([q.inFlight, q.depth], [2, 0]);
  const m = q.run(async () => 'm');
  assert.equal(q.snapshot().normal.depth, 1, 'the message waits for a shared slot');
  g.open();
  await Promise.all([a, b]);
  assert.equal(await m, 'm');
  await q.idle();
  assert.equal(q.inFlight, 0);
});

test('a message never takes the last free slot beside a running answer: the next answer starts at once, the message after the answers', async () => {
  // Two cores: one shared slot and the answer lane (speech-schedule.ts).
  const q = new BoundedJobQueue(1, 8, Date.now, 1);
  const order: string[] = [];
  const first = gate();
  const answered = q.run(async () => {
    order.push('answer-1');
    await first.promise;
  }, { urgent: true });
  const message = q.run(async () => void order.push('message-1'));
  assert.deepEqual([q.inFlight, q.snapshot().normal.depth], [1, 1], 'the message must wait while an answer runs in the only other slot');
  assert.equal(q.hasIdleSlot(), false);
  const second = gate();
  const next = q.run(async () => {
    order.push('answer-2');
    await second.promise;
  }, { urgent: true });
  assert.deepEqual(order, ['answer-1', 'answer-2'], 'the next answer started at once');
  first.open();
  await answered;
  assert.deepEqual(order, ['answer-1', 'answer-2'], 'one answer still runs: the message still waits');
  second.open();
  await Promise.all([next, message]);
  assert.deepEqual(order, ['answer-1', 'answer-2', 'message-1']);
  assert.equal(q.peakInFlight, 2);
});
