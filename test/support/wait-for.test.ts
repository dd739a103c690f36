import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { onceWithin, waitFor, waitForAsync, WaitTimeoutError, withTimeout } from './wait-for.ts';

/** The shared bounded waits: they end, and a wait that ends without its event says what. */

test('waitFor resolves once the predicate holds', async () => {
  let polls = 0;
  await waitFor(() => ++polls >= 3, { what: 'three polls' });
  assert.equal(polls, 3);
});

test('waitFor rejects with "timed out after N ms waiting for <what>" when the state never comes', async () => {
  await assert.rejects(waitFor(() => false, { timeoutMs: 30, what: 'a state that never comes' }), (e: unknown) => {
    assert.ok(e instanceof WaitTimeoutError);
    assert.equal(e.message, 'timed out after 30ms waiting for a state that never comes');
    return true;
  });
});

test('waitForAsync awaits each read, resolves once it holds, and says what never came', async () => {
  let reads = 0;
  let open = 0;
  await waitForAsync(async () => {
    assert.equal(open++, 0, 'one read at a time');
    await new Promise((r) => setTimeout(r, 1));
    open--;
    return ++reads >= 3;
  }, { what: 'three reads' });
  assert.equal(reads, 3);
  await assert.rejects(waitForAsync(async () => false, { timeoutMs: 30, what: 'a row that never comes' }), /^WaitTimeoutError: timed out after 30ms waiting for a row that never comes$/);
  await assert.rejects(waitForAsync(() => Promise.reject(new Error('connection refused')), { what: 'a read' }), /connection refused/);
});

test('withTimeout passes a settled value or error through and rejects a promise that never settles', async () => {
  assert.equal(await withTimeout(Promise.resolve(7), 1_000, 'a value'), 7);
  await assert.rejects(withTimeout(Promise.reject(new Error('boom')), 1_000, 'a value'), /boom/);
  await assert.rejects(withTimeout(new Promise(() => {}), 20, 'the leg event "hangup"'), /^WaitTimeoutError: timed out after 20ms waiting for the leg event "hangup"$/);
});

test('onceWithin returns the event arguments, and on timeout removes its listener and says what', async () => {
  const emitter = new EventEmitter();
  const got = onceWithin(emitter, 'close', 1_000, 'the socket to close');
  emitter.emit('close', 1006, 'gone');
  assert.deepEqual(await got, [1006, 'gone']);
  await assert.rejects(onceWithin(emitter, 'open', 20, 'the socket to open'), /timed out after 20ms waiting for the socket to open/);
  assert.equal(emitter.listenerCount('open'), 0);
});
