/**
 * Orchestrator overhead: N concurrent calls through `createCallRunner` with in-memory fakes
 * and the real clock, so the figures are the flow's own cost: no speech, no engine, no disk. Prints one
 * JSON line: wall time, calls per second, and the decision latency (end of the caller's answer →
 * decision stored) over the calls that reached a verbal decision.
 *
 * CALLS=1000 node --import tsx bench/call-flow.bench.ts
 */
import { createSystemClock } from '../src/app/system-clock.ts';
import { createCallRunner } from '../src/app/call/call-runner.ts';
import { createCallHarness } from '../test/fakes/call-harness.ts';
import { FakeCallEngine } from '../test/fakes/fake-call-engine.ts';

const calls = Number(process.env['CALLS'] ?? 500);
const h = createCallHarness();
const runner = createCallRunner({ ...h.deps, clock: createSystemClock() });
const answers = ['yes', 'no', 'hmm'];
const t0 = process.hrtime.bigint();
const results = await Promise.all(
  Array.from({ length: calls }, (_, i) => {
    const leg = FakeCallEngine.leg(`bench-${i}`, { callerId: `+1512555${String(1000 + (i % 9000)).padStart(4, '0')}`, says: ['sink leaks', answers[i % 3] ?? 'yes', 'yes'] });
    return runner.run(FakeCallEngine.incoming(leg));
  }),
);
const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
const lat = results.flatMap((r) => (r.decisionLatencyMs === null ? [] : [r.decisionLatencyMs])).sort((a, b) => a - b);
const pct = (p: number) => lat[Math.min(lat.length - 1, Math.floor((p / 100) * lat.length))] ?? null;
process.stdout.write(
  `${JSON.stringify({
    bench: 'call-flow',
    calls,
    wallMs: Math.round(wallMs),
    callsPerS: Math.round((calls / wallMs) * 1000),
    decisions: lat.length,
    decisionLatencyMs: { p50: pct(50), p95: pct(95), max: lat.at(-1) ?? null },
    outcomes: results.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.outcome]: (acc[r.outcome] ?? 0) + 1 }), {}),
  })}\n`,
);
