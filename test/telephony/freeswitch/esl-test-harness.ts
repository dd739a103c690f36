import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystemClock } from '../../../src/app/system-clock.ts';
import type { IncomingCall, LegEvent } from '../../../src/domain/ports/call-engine.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';
import { EslSim } from '../../../src/sim/esl/esl-sim.ts';
import { toneWav } from '../../../src/sim/sim-wav.ts';
import { EslCallEngine, type EslCallEngineOptions } from '../../../src/telephony/freeswitch/esl-call-engine.ts';
import { writeFileSync } from 'node:fs';
import { DEFAULT_WAIT_MS, withTimeout } from '../../support/wait-for.ts';

/** A logger that keeps records, so tests can assert nothing was logged at error level. */
export function memoryLogger(): Logger & { records: { level: string; msg: string; fields: Record<string, unknown> }[] } {
  const records: { level: string; msg: string; fields: Record<string, unknown> }[] = [];
  const make = (bindings: Record<string, unknown>): Logger => ({
    debug: (f, m) => records.push({ level: 'debug', msg: m, fields: { ...bindings, ...f } }),
    info: (f, m) => records.push({ level: 'info', msg: m, fields: { ...bindings, ...f } }),
    warn: (f, m) => records.push({ level: 'warn', msg: m, fields: { ...bindings, ...f } }),
    error: (f, m) => records.push({ level: 'error', msg: m, fields: { ...bindings, ...f } }),
    child: (b) => make({ ...bindings, ...b }),
  });
  return Object.assign(make({}), { records });
}

export interface EslHarness {
  readonly sim: EslSim;
  readonly engine: EslCallEngine;
  readonly dir: string;
  /** A real 8 kHz WAV prompt on disk (1.5 s). */
  readonly prompt: string;
  readonly logger: ReturnType<typeof memoryLogger>;
  /** Resolves with the next call the engine delivers. */
  nextCall(): Promise<IncomingCall>;
  close(): Promise<void>;
}

/**
 * The adapter and the ESL peer on port-0 sockets, with a "remote" recordings layout: FreeSWITCH is
 * told `<dir>/fs-view/recordings` and the peer writes under `<dir>/mount`, which the adapter reads
 * through `localRecordingsDir`, so the path mapping is exercised in every test.
 */
export async function startEslHarness(
  opts: { inbound?: boolean; timeScale?: number; commandTimeoutMs?: number; metrics?: EslCallEngineOptions['metrics'] } = {},
): Promise<EslHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'ck-esl-'));
  const fsView = '/fs-view/recordings';
  const mount = join(dir, 'mount');
  const prompt = join(dir, 'hello.wav');
  writeFileSync(prompt, toneWav(1500, 440));
  const sim = new EslSim({
    timeScale: opts.timeScale ?? 0,
    recordingPath: (p) => join(mount, p.slice(fsView.length)),
  });
  await sim.start();
  const logger = memoryLogger();
  const inb = sim.inboundAddress();
  const engine = new EslCallEngine({
    listenHost: '127.0.0.1',
    listenPort: 0,
    recordingsDir: fsView,
    localRecordingsDir: mount,
    inbound: opts.inbound ? { host: inb.host, port: inb.port, password: sim.password } : null,
    logger,
    clock: createSystemClock(),
    reconnectInitialMs: 20,
    reconnectMaxMs: 100,
    ...(opts.commandTimeoutMs !== undefined ? { commandTimeoutMs: opts.commandTimeoutMs } : {}),
    ...(opts.metrics ? { metrics: opts.metrics } : {}),
  });
  const queue: IncomingCall[] = [];
  const waiting: ((c: IncomingCall) => void)[] = [];
  await engine.start((call) => {
    const w = waiting.shift();
    if (w) w(call);
    else queue.push(call);
  });
  const addr = engine.listeningAddress();
  if (!addr) throw new Error('engine not listening');
  sim.setOutbound(addr);
  return {
    sim,
    engine,
    dir,
    prompt,
    logger,
    nextCall: () => {
      const c = queue.shift();
      return c ? Promise.resolve(c) : withTimeout(new Promise((resolve) => waiting.push(resolve)), DEFAULT_WAIT_MS, 'the next call to reach the engine');
    },
    close: async () => {
      await engine.stop();
      await sim.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Records every event of a leg from the moment the call is delivered (an event can arrive in the same
 * TCP read as the `+OK` of the command that caused it, i.e. before `play()` resolves), and hands them
 * out in order: `next(type)` resolves with the first not-yet-taken event of that type.
 */
export class EventTap {
  readonly all: LegEvent[] = [];
  private taken = new Set<number>();
  private waiters: { type: LegEvent['type']; resolve: (e: LegEvent) => void }[] = [];

  constructor(call: IncomingCall) {
    call.leg.onEvent((e) => {
      this.all.push(e);
      this.flush();
    });
  }

  next<T extends LegEvent['type']>(type: T): Promise<Extract<LegEvent, { type: T }>> {
    const got = new Promise<Extract<LegEvent, { type: T }>>((resolve) => {
      this.waiters.push({ type, resolve: resolve as (e: LegEvent) => void });
      this.flush();
    });
    return withTimeout(got, DEFAULT_WAIT_MS, `the leg event "${type}"`);
  }

  types(): string[] {
    return this.all.map((e) => e.type);
  }

  private flush(): void {
    for (const w of [...this.waiters]) {
      const i = this.all.findIndex((e, idx) => e.type === w.type && !this.taken.has(idx));
      if (i < 0) continue;
      this.taken.add(i);
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(this.all[i] as LegEvent);
    }
  }
}
