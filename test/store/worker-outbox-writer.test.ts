import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerOutboxWriter } from '../../src/store/worker-outbox-writer.ts';
import { DEFAULT_WAIT_MS, withTimeout } from '../support/wait-for.ts';

/**
 * `WorkerOutboxWriter.close` (src/store/README.md, "The outbox writer thread") with a stand-in thread
 * that speaks the port's protocol (sqlite-outbox-writes.ts) without a database, so that the order in
 * which its answer and its `exit` arrive is fixed by the test, not by the machine's load.
 */

/** A thread that answers every call with 0 and, asked to close, ends without answering: its `exit` is all that arrives. */
const EXITS_ON_CLOSE = threadEntry(`
  port.on('message', (s) => {
    const r = JSON.parse(s);
    if (r.op === 'close') process.exit(0);
    port.postMessage(JSON.stringify([{ seq: r.seq, ok: true, value: 0 }]));
  });
`);

/** A thread that takes a while to start (as under tsx on a loaded box) and closes as the real one does: answers, closes its port. */
const SLOW_START = threadEntry(`
  await new Promise((r) => setTimeout(r, 300));
  port.on('message', (s) => {
    const r = JSON.parse(s);
    port.postMessage(JSON.stringify([{ seq: r.seq, ok: true, value: 0 }]));
    if (r.op === 'close') port.close();
  });
`);

function threadEntry(body: string): URL {
  const src = `import { workerData } from 'node:worker_threads';\nconst port = workerData.port;\n${body}`;
  return new URL(`data:text/javascript,${encodeURIComponent(src)}`);
}

/** Longer than every wait below: a close that only ends by terminating the thread fails the wait instead. */
const GRACE_MS = 2 * DEFAULT_WAIT_MS;

describe('WorkerOutboxWriter.close', () => {
  test("the thread's exit arrives before its answer to close: close ends with the exit, not after the grace, and logs no lost thread", { timeout: 120_000 }, async () => {
    const errors: unknown[] = [];
    const logger = { error: (o: unknown) => errors.push(o), warn: () => {}, info: () => {}, debug: () => {}, child: () => logger } as never;
    const writer = new WorkerOutboxWriter({ entry: EXITS_ON_CLOSE, workerData: {}, closeGraceMs: GRACE_MS, logger });
    assert.equal(await withTimeout(writer.recoverInFlight(0), DEFAULT_WAIT_MS, 'the stand-in thread to answer a call'), 0);
    const thread = writer.thread();
    assert.ok(thread, 'a thread runs after the first call');
    let exitCode: number | null = null;
    thread.once('exit', (c) => (exitCode = c));
    // Before the fix, close() listened for `exit` only after the close call had settled, which here is
    // after the exit: it waited out the whole grace and terminated a thread that had already ended.
    await withTimeout(writer.close(), DEFAULT_WAIT_MS, 'close() to resolve once the thread had exited (it waited for an exit already past)');
    assert.equal(exitCode, 0, 'the thread ended by itself, it was not terminated');
    assert.deepEqual(errors, [], 'a thread ending because it was asked to close is not reported as lost');
    await assert.rejects(writer.recoverInFlight(0), { code: 'STORE.WRITE_FAILED' }, 'a closed writer takes no more calls');
  });

  test('close while the thread is still starting: the close waits for it to start, answer and end by itself', { timeout: 120_000 }, async () => {
    const writer = new WorkerOutboxWriter({ entry: SLOW_START, workerData: {}, closeGraceMs: GRACE_MS });
    const first = writer.recoverInFlight(0);
    const thread = writer.thread();
    assert.ok(thread, 'the first call starts a thread');
    let exitCode: number | null = null;
    thread.once('exit', (c) => (exitCode = c));
    await withTimeout(writer.close(), DEFAULT_WAIT_MS, 'close() to resolve once the slow thread had started, answered and ended');
    assert.equal(await first, 0, 'the call made before close was answered');
    assert.equal(exitCode, 0, 'the thread ended by itself, it was not terminated');
  });
});
