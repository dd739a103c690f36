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

test('a full waiting line refuses with a retryable error, urgent or not', async () => {
  const q = new BoundedJobQueue(1, 1);
  const g = gate();
  const running = q.run(() => g.promise);
  const waiting = q.run(async () => undefined);
  await assert.rejects(q.run(async () => undefined, { urgent: true }), (e) => isAppError(e, 'SPEECH.ENGINE_FAILED') && e.retryable);
  g.open();
  await Promise.all([running, waiting]);
});
