import { test } from 'node:test';
import assert from 'node:assert/strict';
import { speechSchedule } from '../../src/speech/speech-schedule.ts';

test('one thread per transcription, as many as cores, one of them kept for answers', () => {
  assert.deepEqual(speechSchedule(2), { threads: 1, concurrency: 1, answerLanes: 1 });
  assert.deepEqual(speechSchedule(8), { threads: 1, concurrency: 7, answerLanes: 1 });
});

test('on one core the answer lane is an extra job, never the only one', () => {
  assert.deepEqual(speechSchedule(1), { threads: 1, concurrency: 1, answerLanes: 1 });
});

test('configured threads and jobs win; more threads mean fewer jobs', () => {
  assert.deepEqual(speechSchedule(8, { threads: 2 }), { threads: 2, concurrency: 3, answerLanes: 1 });
  assert.deepEqual(speechSchedule(2, { threads: 2 }), { threads: 2, concurrency: 1, answerLanes: 1 });
  assert.deepEqual(speechSchedule(2, { threads: 1, concurrency: 4 }), { threads: 1, concurrency: 4, answerLanes: 1 });
  assert.deepEqual(speechSchedule(4, { answerLanes: 0 }), { threads: 1, concurrency: 4, answerLanes: 0 });
});

test('never more jobs by default than the engine can run at once (libuv pool threads for Whisper)', () => {
  assert.deepEqual(speechSchedule(16, {}, 3), { threads: 1, concurrency: 2, answerLanes: 1 });
  assert.deepEqual(speechSchedule(16, { concurrency: 6 }, 3), { threads: 1, concurrency: 6, answerLanes: 1 }, 'configured jobs win');
});
