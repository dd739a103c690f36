import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AriSimulator } from '../../src/sim/ari/ari-simulator.ts';
import type { ScriptedCall, ScriptedCallResult } from '../../src/sim/caller-script.ts';
import { EslSim } from '../../src/sim/esl/esl-sim.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppHoldProxy } from '../support/smpp-hold-proxy.ts';
import { withTimeout } from '../support/wait-for.ts';

/**
 * Two `serve` nodes as child processes (serve-node-child.ts) against real peers on port-0 sockets, for
 * the several-nodes proofs (two-nodes-postgres.test.ts): node A on the ARI simulator, node B on the ESL
 * peer, one SMSC simulator that both bind to, each through its own SmppHoldProxy (so a test can hold one
 * node's submit responses: its claimed texts stay claimed). The simulators and the SMSC run in the test
 * process; the nodes are processes of their own, so `kill -9` of one is a real crash of that node alone.
 * What database the nodes share is the caller's (`database(node, dir)`: the config's `database` section).
 */
export type NodeName = 'node-a' | 'node-b';

const CHILD = fileURLToPath(new URL('./serve-node-child.ts', import.meta.url));
/** The repository root: the children run there so `--import tsx` resolves; every path they use is absolute. */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const ESL_PASSWORD = 'ClueCon';
const ADMIN_TOKEN = 'two-node-admin-token';
/**
 * A node's start to ready: prompt synthesis (espeak-ng) and the binds, on the shared 2-core box with the
 * other node starting too. A guard against a hung child, not a timing assertion.
 */
const START_GUARD_MS = 150_000;
/** SIGTERM to exit: the drain (no call in progress by then) and the components stopping. */
const STOP_GUARD_MS = 60_000;
const POLL_MS = 20;

export interface NodeOptions {
  /** More `smpp` settings for this node (e.g. a window). */
  readonly smpp?: Record<string, unknown>;
}

export interface WorldOptions {
  /** The `database` section of a node's config; `dir` is that node's own temp dir. */
  readonly database: (node: NodeName, dir: string) => Record<string, unknown>;
  /** Simulated ms per real ms of the telephony simulators (0: instant, as the serve e2e suite runs). */
  readonly timeScale?: number;
  readonly nodes?: Partial<Record<NodeName, NodeOptions>>;
  /** Shared by every node's config (e.g. `messaging`). */
  readonly extraConfig?: Record<string, unknown>;
}

/** One running `serve` child. */
export class ServeNode {
  /** Calls whose row the node closed, as it reported them. */
  readonly finished: Array<{ callId: number | null; outcome: string }> = [];
  private out = '';
  private err = '';
  private readyLine: { esl: { host: string; port: number } | null; admin: { host: string; port: number } | null } | null = null;
  readonly exited: Promise<{ code: number | null; signal: string | null }>;

  constructor(
    readonly name: NodeName,
    readonly proc: ChildProcess,
    readonly proxy: SmppHoldProxy,
    /** The node's config file, for the CLI run as an operator would on that node (`--config`). */
    readonly configFile: string,
  ) {
    proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
      this.out += d;
      let nl: number;
      while ((nl = this.out.indexOf('\n')) >= 0) {
        const line = this.out.slice(0, nl);
        this.out = this.out.slice(nl + 1);
        if (line.trim()) this.onLine(line);
      }
    });
    proc.stderr!.setEncoding('utf8').on('data', (d: string) => {
      // The last lines are what a failure message needs; the whole log of a 200-call run is not.
      this.err = (this.err + d).slice(-20_000);
    });
    this.exited = once(proc, 'exit').then(([code, signal]) => ({ code: code as number | null, signal: signal as string | null }));
  }

  private onLine(line: string): void {
    let ev: { event?: string; esl?: { host: string; port: number } | null; admin?: { host: string; port: number }; callId?: number | null; outcome?: string };
    try {
      ev = JSON.parse(line) as typeof ev;
    } catch {
      return;
    }
    if (ev.event === 'ready') this.readyLine = { esl: ev.esl ?? null, admin: ev.admin ?? null };
    if (ev.event === 'call') this.finished.push({ callId: ev.callId ?? null, outcome: String(ev.outcome) });
  }

  /** The node's log tail (stderr), for failure messages. */
  log(): string {
    return this.err.slice(-4_000);
  }

  get alive(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  /** Resolves when `cond()` holds; fails naming `what` if the node exits first or the guard passes. */
  async until(cond: () => boolean, what: string, guardMs: number): Promise<void> {
    const deadline = Date.now() + guardMs;
    while (!cond()) {
      if (!this.alive) throw new Error(`${this.name} exited while waiting for ${what}: ${this.log()}`);
      if (Date.now() >= deadline) throw new Error(`timed out after ${guardMs}ms waiting for ${what} on ${this.name}: ${this.log()}`);
      // A real delay, so the poll does not spin a core (test/support/wait-for.ts says why).
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** `http://host:port` of the node's admin server (the console), as it reported it when ready. */
  adminBase(): string {
    const a = this.readyLine?.admin;
    if (!a) throw new Error(`${this.name} has not reported its admin address (not ready yet)`);
    return `http://${a.host}:${a.port}`;
  }

  async ready(): Promise<{ esl: { host: string; port: number } | null; admin: { host: string; port: number } | null }> {
    await this.until(() => this.readyLine !== null, 'the node to be ready', START_GUARD_MS);
    return this.readyLine!;
  }

  /** SIGTERM, then the exit (bounded; SIGKILL and a failure past the guard). */
  async stop(): Promise<{ code: number | null; signal: string | null }> {
    if (!this.alive) return this.exited;
    this.proc.kill('SIGTERM');
    try {
      return await withTimeout(this.exited, STOP_GUARD_MS, `${this.name} to exit after SIGTERM`);
    } catch (e) {
      this.proc.kill('SIGKILL');
      throw e;
    }
  }

  /** kill -9: the node dies with whatever it held. */
  async crash(): Promise<void> {
    this.proc.kill('SIGKILL');
    await withTimeout(this.exited, STOP_GUARD_MS, `${this.name} to die after SIGKILL`);
  }
}

export interface PlacedCall {
  readonly node: NodeName;
  readonly channelId: string;
  /** What the simulated caller lived through. */
  readonly caller: Promise<ScriptedCallResult>;
}

export class TwoNodeWorld {
  private constructor(
    readonly dir: string,
    readonly smsc: SmscSimulator,
    readonly ari: AriSimulator,
    readonly esl: EslSim,
    readonly nodes: Record<NodeName, ServeNode>,
  ) {}

  /** Starts the SMSC, the simulators and both nodes; resolves once both are ready and linked. */
  static async start(opts: WorldOptions): Promise<TwoNodeWorld> {
    const dir = mkdtempSync(join(tmpdir(), 'ck-two-node-'));
    const timeScale = opts.timeScale ?? 0;
    const smsc = new SmscSimulator({ receipts: 'tlv' });
    const smscPort = await smsc.listen();
    const ari = await AriSimulator.start({ timeScale, username: 'callkeeper', password: 'e2e', app: 'callkeeper' });
    const esl = new EslSim({ timeScale, inboundPort: 0, password: ESL_PASSWORD });
    await esl.start();
    const started: ServeNode[] = [];
    try {
      const spawnNode = async (name: NodeName, engine: 'asterisk' | 'freeswitch'): Promise<ServeNode> => {
        const nodeDir = join(dir, name);
        mkdirSync(nodeDir);
        const proxy = await SmppHoldProxy.start({ host: '127.0.0.1', port: smscPort });
        const settings = {
          engine,
          database: opts.database(name, nodeDir),
          recordings: { dir: join(nodeDir, 'recordings') },
          prompts: { dir: join(nodeDir, 'prompts') },
          asterisk: { url: ari.url, username: 'callkeeper', password: 'e2e' },
          freeswitch: { listenPort: 0, eslPort: esl.inboundAddress().port, password: ESL_PASSWORD, recordingsDir: join(nodeDir, 'fs-recordings') },
          // system_id names the node at the SMSC: which bind a deliver_sm goes to, which node a submit came from.
          smpp: { host: '127.0.0.1', port: proxy.port, systemId: name, password: 'e2e', ...(opts.nodes?.[name]?.smpp ?? {}) },
          admin: { port: 0, token: ADMIN_TOKEN },
          log: { level: 'warn' },
          ...(opts.extraConfig ?? {}),
        };
        const configFile = join(nodeDir, 'callkeeper.json');
        writeFileSync(configFile, JSON.stringify(settings), { mode: 0o600 });
        const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, configFile], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '' } });
        const node = new ServeNode(name, proc, proxy, configFile);
        started.push(node);
        return node;
      };
      const a = await spawnNode('node-a', 'asterisk');
      const b = await spawnNode('node-b', 'freeswitch');
      await a.ready();
      const { esl: listening } = await b.ready();
      if (!listening) throw new Error('node-b (freeswitch) reported no ESL listening address');
      esl.setOutbound(listening);
      await withTimeout(ari.whenAppConnected(), START_GUARD_MS, 'node-a to connect to the ARI simulator');
      return new TwoNodeWorld(dir, smsc, ari, esl, { 'node-a': a, 'node-b': b });
    } catch (e) {
      for (const n of started) n.proc.kill('SIGKILL');
      await Promise.allSettled(started.map((n) => n.exited));
      await Promise.allSettled(started.map((n) => n.proxy.close()));
      await closeAll(smsc, ari, esl);
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  get a(): ServeNode {
    return this.nodes['node-a'];
  }

  get b(): ServeNode {
    return this.nodes['node-b'];
  }

  /** Places a scripted call on the engine of `node`: the ARI simulator for A, the ESL peer for B. */
  placeCall(node: NodeName, call: ScriptedCall): PlacedCall {
    if (node === 'node-a') {
      const h = this.ari.placeCall(call);
      if (h.channelId === null) throw new Error('the ARI simulator rejected the call (node-a is not connected)');
      return { node, channelId: h.channelId, caller: h.result };
    }
    const h = this.esl.placeCall(call);
    return { node, channelId: h.channelId, caller: h.result };
  }

  /** Texts the SMSC accepted for this number (E.164 with or without the +), reassembled. */
  textsTo(number: string): Array<{ to: string; from: string; text: string }> {
    const digits = number.replace(/^\+/, '');
    return this.smsc.messages().filter((m) => m.to.replace(/^\+/, '') === digits);
  }

  /** Stops what is still running (SIGTERM to live nodes, SIGKILL past the guard) and removes the temp dir. */
  async close(): Promise<void> {
    const nodes = Object.values(this.nodes);
    for (const n of nodes) n.proxy.release();
    const stops = await Promise.allSettled(nodes.map((n) => n.stop()));
    await Promise.allSettled(nodes.map((n) => n.proxy.close()));
    await closeAll(this.smsc, this.ari, this.esl);
    rmSync(this.dir, { recursive: true, force: true });
    const failed = stops.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  }
}

async function closeAll(smsc: SmscSimulator, ari: AriSimulator, esl: EslSim): Promise<void> {
  await Promise.allSettled([smsc.close(), ari.close(), esl.stop()]);
}

/**
 * Runs `count` jobs with at most `limit` at once (bounded concurrency: a 2-core box running two nodes,
 * two simulators and an SMSC), in order of their index; resolves with every result, rejects with the first failure.
 */
export async function inBatches<T>(count: number, limit: number, job: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array<T>(count);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const i = next++;
      out[i] = await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, worker));
  return out;
}
