import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { ServiceLifecycle, type ServiceLifecycleDeps } from '../../../src/app/lifecycle/service-lifecycle.ts';
import { bindProcessSignals, type ServiceSignal } from '../../../src/app/lifecycle/process-signals.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';
import { ManualClock, settle } from './manual-clock.ts';

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {}, child: () => silent };

/** A scripted service: calls that end when the test says, components that record their stop order. */
function harness(over: Partial<ServiceLifecycleDeps> = {}) {
  const clock = new ManualClock();
  const events: string[] = [];
  let calls = 0;
  let idle: (() => void) | null = null;
  const deps: ServiceLifecycleDeps = {
    clock,
    logger: silent,
    stopAccepting: () => void events.push('stop-accepting'),
    activeCalls: () => calls,
    whenIdle: () => new Promise<void>((r) => (idle = r)),
    onDrainTimeout: (n) => void events.push(`interrupt:${n}`),
    components: ['engine', 'outbox', 'smpp', 'http', 'db'].map((name) => ({ name, stop: () => void events.push(`stop:${name}`) })),
    reload: () => void events.push('reload'),
    drainTimeoutMs: 180_000,
    ...over,
  };
  return {
    clock,
    events,
    lifecycle: new ServiceLifecycle(deps),
    setCalls: (n: number) => (calls = n),
    endAllCalls: () => {
      calls = 0;
      idle?.();
    },
  };
}

describe('ServiceLifecycle', () => {
  test('interrupted calls get interruptTimeoutMs, not the component bound, to write their records before the components stop', async () => {
    let finishInterrupted: (() => void) | null = null;
    const h = harness({
      interruptTimeoutMs: 45_000,
      onDrainTimeout: () => new Promise<void>((r) => (finishInterrupted = r)),
    });
    h.setCalls(1);
    const p = h.lifecycle.shutdown('SIGTERM');
    await settle();
    await h.clock.advance(180_000);
    // Past the 10 s component bound the calls are still writing: nothing may be stopped under them.
    await h.clock.advance(20_000);
    assert.deepEqual(h.events, ['stop-accepting']);
    finishInterrupted!();
    const report = await p;
    assert.deepEqual(h.events, ['stop-accepting', 'stop:engine', 'stop:outbox', 'stop:smpp', 'stop:http', 'stop:db']);
    assert.deepEqual(report.failures, []);
    assert.equal(report.interruptedCalls, 1);
  });

  test('with no calls in progress it stops accepting, then stops components in order', async () => {
    const h = harness();
    assert.equal(h.lifecycle.accepting(), true);
    const report = await h.lifecycle.shutdown('SIGTERM');
    assert.deepEqual(h.events, ['stop-accepting', 'stop:engine', 'stop:outbox', 'stop:smpp', 'stop:http', 'stop:db']);
    assert.deepEqual(report, { reason: 'SIGTERM', drained: true, interruptedCalls: 0, failures: [], elapsedMs: 0 });
    assert.equal(h.lifecycle.state, 'stopped');
  });

  test('waits for calls in progress to finish before stopping components', async () => {
    const h = harness();
    h.setCalls(2);
    const p = h.lifecycle.shutdown('SIGTERM');
    await settle();
    assert.equal(h.lifecycle.accepting(), false);
    assert.equal(h.lifecycle.state, 'draining');
    assert.deepEqual(h.events, ['stop-accepting']);
    await h.clock.advance(60_000);
    assert.deepEqual(h.events, ['stop-accepting']);
    h.endAllCalls();
    const report = await p;
    assert.equal(report.drained, true);
    assert.equal(report.elapsedMs, 60_000);
    assert.equal(h.events.at(-1), 'stop:db');
    assert.ok(!h.events.some((e) => e.startsWith('interrupt')));
  });

  test('after the drain timeout the remaining calls are interrupted, then components stop', async () => {
    const h = harness({ drainTimeoutMs: 1_000 });
    h.setCalls(3);
    const p = h.lifecycle.shutdown('SIGTERM');
    await settle();
    await h.clock.advance(999);
    assert.deepEqual(h.events, ['stop-accepting']);
    await h.clock.advance(1);
    const report = await p;
    assert.deepEqual(report.drained, false);
    assert.equal(report.interruptedCalls, 3);
    assert.deepEqual(h.events.slice(0, 3), ['stop-accepting', 'interrupt:3', 'stop:engine']);
  });

  test('a component that throws or hangs is reported, and the others still stop', async () => {
    const h = harness({
      componentStopTimeoutMs: 5_000,
      components: [
        { name: 'engine', stop: () => { throw new Error('socket gone'); } },
        { name: 'smpp', stop: () => new Promise<void>(() => {}) },
        { name: 'db', stop: () => {} },
      ],
    });
    const p = h.lifecycle.shutdown('SIGTERM');
    await settle();
    await h.clock.advance(5_000);
    const report = await p;
    assert.deepEqual(report.failures, [
      { name: 'engine', error: 'socket gone' },
      { name: 'smpp', error: 'did not stop within 5000 ms' },
    ]);
    assert.equal(h.lifecycle.state, 'stopped');
  });

  test('shutdown runs once; a second call gets the same report', async () => {
    const h = harness();
    const [a, b] = await Promise.all([h.lifecycle.shutdown('SIGTERM'), h.lifecycle.shutdown('SIGINT')]);
    assert.equal(a, b);
    assert.equal(h.events.filter((e) => e === 'stop:db').length, 1);
  });

  test('reload calls the hook, never overlaps, survives a failure, and is skipped once shutting down', async () => {
    let release!: () => void;
    let n = 0;
    const h = harness({
      reload: () => {
        n += 1;
        if (n === 2) throw new Error('bad template');
        if (n === 1) return new Promise<void>((r) => (release = r));
      },
    });
    const first = h.lifecycle.reload();
    const overlapping = h.lifecycle.reload();
    release();
    assert.equal(await first, 'reloaded');
    assert.equal(await overlapping, 'reloaded');
    assert.equal(n, 1);
    assert.equal(await h.lifecycle.reload(), 'failed');
    assert.equal(h.lifecycle.state, 'running');
    await h.lifecycle.shutdown('SIGTERM');
    assert.equal(await h.lifecycle.reload(), 'skipped');
    assert.equal(n, 2);
  });
});

describe('bindProcessSignals', () => {
  function fakeProcess() {
    const handlers = new Map<ServiceSignal, () => void>();
    const exits: number[] = [];
    return {
      handlers,
      exits,
      io: {
        on: (s: ServiceSignal, h: () => void) => void handlers.set(s, h),
        off: (s: ServiceSignal) => void handlers.delete(s),
        exit: (c: number) => void exits.push(c),
        logger: silent,
      },
    };
  }

  test('SIGTERM drains and exits 0; SIGHUP reloads; unbinding removes the handlers', async () => {
    const h = harness();
    const proc = fakeProcess();
    const unbind = bindProcessSignals(h.lifecycle, proc.io);
    proc.handlers.get('SIGHUP')!();
    await settle();
    assert.deepEqual(h.events, ['reload']);
    proc.handlers.get('SIGTERM')!();
    await h.lifecycle.shutdown('again'); // the same run the signal started
    await settle();
    assert.deepEqual(proc.exits, [0]);
    assert.equal(h.events.at(-1), 'stop:db');
    unbind();
    assert.equal(proc.handlers.size, 0);
  });

  test('a second stop signal during the drain exits 1 at once; a failed component makes the exit 1', async () => {
    const h = harness();
    h.setCalls(1);
    const proc = fakeProcess();
    bindProcessSignals(h.lifecycle, proc.io);
    proc.handlers.get('SIGINT')!();
    await settle();
    assert.deepEqual(proc.exits, []);
    proc.handlers.get('SIGINT')!();
    assert.deepEqual(proc.exits, [1]);

    const bad = harness({ components: [{ name: 'db', stop: () => Promise.reject(new Error('busy')) }] });
    const proc2 = fakeProcess();
    bindProcessSignals(bad.lifecycle, proc2.io);
    proc2.handlers.get('SIGTERM')!();
    await bad.lifecycle.shutdown('again');
    await settle();
    assert.deepEqual(proc2.exits, [1]);
  });
});
