import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { EslCallEngine } from '../../../src/telephony/freeswitch/esl-call-engine.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { memoryLogger } from './esl-test-harness.ts';

/**
 * The inbound monitor's reconnects wait on the engine's Clock with the shared backoff
 * (src/domain/retry/backoff.ts): nothing is retried until the clock says so, and the waits double.
 * FreeSWITCH is a closed port here, so every connection attempt is refused at once.
 */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

async function until(what: string, done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`did not happen within 10 s: ${what}`);
    await new Promise((r) => setImmediate(r));
  }
}

describe('ESL monitor reconnect', () => {
  test('waits 250, then 500 ms of the engine clock, and stop() cancels the pending retry', async () => {
    const clock = new ManualClock();
    const logger = memoryLogger();
    const port = await closedPort();
    const engine = new EslCallEngine({
      listenHost: '127.0.0.1',
      listenPort: 0,
      recordingsDir: '/fs',
      inbound: { host: '127.0.0.1', port, password: 'x' },
      logger,
      clock,
    });
    const refusals = (): number[] => logger.records.filter((r) => r.msg === 'FreeSWITCH event socket unavailable').map((r) => r.fields.retryInMs as number);
    await engine.start(() => assert.fail('no call expected'));
    assert.deepEqual(refusals(), [250]);
    assert.deepEqual(clock.pendingIn(), [250]);

    clock.advance(249);
    assert.equal(refusals().length, 1, 'retried before the backoff elapsed on the clock');
    clock.advance(1);
    await until('the second connection attempt to be refused', () => refusals().length === 2);
    assert.deepEqual(refusals(), [250, 500]);
    await until('the next retry to be scheduled', () => clock.pending() === 1);
    assert.deepEqual(clock.pendingIn(), [500]);

    await engine.stop();
    assert.equal(clock.pending(), 0, 'stop() left a reconnect scheduled');
  });
});
