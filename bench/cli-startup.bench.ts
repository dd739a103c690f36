/**
 * `npm run bench:cli`: what a user waits for when typing a command, start-up included. Builds
 * the current sources (scripts/build.mjs --no-check) into bench/out/cli-startup/dist beside copies of
 * bin/callkeeper.mjs and package.json, as in a checkout after `npm run build`, then prints JSON lines:
 *
 * 1. `callkeeper --help`, N runs per path, interleaved so that a change in the machine's load hits every
 *    path alike: wall time (spawn to exit) and peak RSS (GNU time's %M) p50/p95, against `node -e 0` in
 *    the same run. Paths: `dist` (what the bin runs), `dist-eager` (dist with every command's action
 *    imported first: what lazy loading saves), `tsx-src` (CALLKEEPER_DEV=1: the sources through tsx),
 *    `tsx-src-eager` (tsx with every action imported: how `--help` ran before the CLI loaded actions lazily). The child's
 *    user + system CPU (GNU time's %U %S) too: it moves far less with the machine's load than wall time.
 * 2. `callkeeper serve` from dist until `/readyz` answers 200 (store, ARI and SMPP up): the ARI simulator
 *    and the SMSC simulator run in this process on port-0 sockets, as in test/e2e and `callkeeper
 *    demo`. Wall time from spawn to ready, and the child's peak RSS (VmHWM) and CPU used at that moment. With
 *    BENCH_WHISPER_MODEL=<ggml file> the service loads that model before it is ready (a model already on
 *    disk); without it the recognizer is PocketSphinx, which loads nothing at start-up.
 *
 * Goals (not assertions): --help ≤ 250 ms wall and ≤ 60 MB RSS; serve ready ≤ 1 s.
 * Env: BENCH_CLI_RUNS (20; the tsx paths run a quarter of that), BENCH_SERVE_RUNS (5), BENCH_WHISPER_MODEL,
 * BENCH_CASES (help,serve).
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stringify } from 'yaml';
import { AriSimulator } from '../src/sim/ari/ari-simulator.ts';
import { SmscSimulator } from '../src/sim/smsc/smsc-simulator.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out', 'cli-startup');
const BIN = join(OUT, 'bin', 'callkeeper.mjs');
const DIST = join(OUT, 'dist');
const RUNS = Number(process.env.BENCH_CLI_RUNS ?? 20);
const SLOW_RUNS = Math.max(3, Math.round(RUNS / 4));
const SERVE_RUNS = Number(process.env.BENCH_SERVE_RUNS ?? 5);
const WHISPER_MODEL = process.env.BENCH_WHISPER_MODEL;
const CASES = new Set((process.env.BENCH_CASES ?? 'help,serve').split(','));
const GNU_TIME = '/usr/bin/time';
/** A hung child, not a slow one: --help takes seconds at worst (tsx on a loaded box). */
const RUN_CAP_MS = 60_000;
/** serve is ready in about a second; a Whisper model load can take several on a loaded box. */
const READY_CAP_MS = 60_000;
const POLL_MS = 10;

const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;
const emit = (o: Record<string, unknown>): void => console.log(JSON.stringify({ bench: 'cli-startup', ...o }));

function pct(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}
const round = (n: number | null, digits = 0): number | null => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

function build(): void {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(join(OUT, 'bin'), { recursive: true });
  copyFileSync(join(ROOT, 'bin', 'callkeeper.mjs'), BIN);
  copyFileSync(join(ROOT, 'package.json'), join(OUT, 'package.json'));
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', DIST, '--no-check'], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`build failed: ${r.stderr}`);
}

/** An ES module script that imports every command action first (what `--help` loaded before the CLI loaded actions lazily), then runs --help. */
function eagerScript(cliDir: string, ext: '.js' | '.ts', registerTsx: boolean): string {
  const actions = readdirSync(cliDir).filter((f) => f.endsWith(`-actions${ext}`));
  const url = (f: string): string => JSON.stringify(pathToFileURL(join(cliDir, f)).href);
  return [
    registerTsx ? "const { register } = await import('tsx/esm/api'); register();" : '',
    ...actions.map((f) => `await import(${url(f)});`),
    `const { runCli } = await import(${url(`main${ext}`)});`,
    "process.exitCode = await runCli(['node', 'callkeeper', '--help']);",
  ].join('\n');
}

interface Path {
  readonly name: string;
  readonly args: string[];
  readonly env?: Record<string, string>;
  readonly runs: number;
  /** Whether stdout must be the help text (every path but the baseline). */
  readonly help: boolean;
}

interface Sample {
  wallMs: number;
  rssMb: number | null;
  /** User + system CPU of the child: less sensitive to the machine's load than wall time. */
  cpuMs: number | null;
}

/** Runs `node ARGS` once: wall time around the spawn, peak RSS from GNU time when it is installed. */
function runOnce(p: Path, rssFile: string): Sample {
  const haveTime = existsSync(GNU_TIME);
  const [cmd, args] = haveTime ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, process.execPath, ...p.args]] : [process.execPath, p.args];
  const env = { ...process.env, ...p.env };
  if (!p.env?.CALLKEEPER_DEV) delete env.CALLKEEPER_DEV;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd: OUT, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', timeout: RUN_CAP_MS });
  const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error || r.status !== 0) throw new Error(`${p.name} failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr}`);
  if (p.help && !r.stdout.includes('Usage: callkeeper')) throw new Error(`${p.name}: no help text on stdout`);
  const [kb, user, sys] = haveTime ? (readFileSync(rssFile, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number) : [];
  return { wallMs, rssMb: kb !== undefined && Number.isFinite(kb) ? kb / 1024 : null, cpuMs: user !== undefined && sys !== undefined && Number.isFinite(user + sys) ? (user + sys) * 1000 : null };
}

function benchHelp(): void {
  const paths: Path[] = [
    { name: 'baseline: node -e 0', args: ['-e', '0'], runs: RUNS, help: false },
    { name: 'dist', args: [BIN, '--help'], runs: RUNS, help: true },
    { name: 'dist-eager', args: ['--input-type=module', '-e', eagerScript(join(DIST, 'cli'), '.js', false)], runs: RUNS, help: true },
    { name: 'tsx-src', args: [join(ROOT, 'bin', 'callkeeper.mjs'), '--help'], env: { CALLKEEPER_DEV: '1' }, runs: SLOW_RUNS, help: true },
    { name: 'tsx-src-eager', args: ['--input-type=module', '-e', eagerScript(join(ROOT, 'src', 'cli'), '.ts', true)], runs: SLOW_RUNS, help: true },
  ];
  const rssFile = join(OUT, 'rss.txt');
  for (const p of paths) runOnce(p, rssFile); // warm the page cache and compile caches alike for every path
  const samples = new Map<string, Sample[]>(paths.map((p) => [p.name, []]));
  const loadBefore = load1();
  for (let round = 0; round < RUNS; round++) {
    for (const p of paths) if (round < p.runs) samples.get(p.name)!.push(runOnce(p, rssFile));
  }
  const stats = (name: string) => {
    const s = samples.get(name)!;
    const wall = s.map((x) => x.wallMs);
    const rss = s.flatMap((x) => (x.rssMb === null ? [] : [x.rssMb]));
    const cpu = s.flatMap((x) => (x.cpuMs === null ? [] : [x.cpuMs]));
    return {
      runs: s.length,
      wallMs: { p50: round(pct(wall, 50)), p95: round(pct(wall, 95)) },
      rssMb: { p50: round(pct(rss, 50), 1), p95: round(pct(rss, 95), 1) },
      cpuMs: { p50: round(pct(cpu, 50)) },
    };
  };
  const base = stats(paths[0]!.name);
  for (const p of paths.slice(1)) {
    const s = stats(p.name);
    emit({
      case: 'help',
      path: p.name,
      ...s,
      baseline: base,
      ratio: base.wallMs.p50 ? round(s.wallMs.p50! / base.wallMs.p50, 2) : null,
      ...(p.name === 'dist' ? { goal: { wallMs: 250, rssMb: 60 }, met: s.wallMs.p50! <= 250 && (s.rssMb.p50 ?? Infinity) <= 60 } : {}),
      load1: { before: loadBefore, after: load1() },
    });
  }
}

/** User + system CPU a running process has used so far (Linux /proc/PID/stat, in clock ticks of 10 ms). */
function cpuMsOf(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ');
    return fields ? (Number(fields[11]) + Number(fields[12])) * 10 : null;
  } catch {
    return null;
  }
}

/** Peak resident set of a running process so far (Linux), in MB. */
function vmHwmMb(pid: number): number | null {
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Number(kb) / 1024 : null;
  } catch {
    return null;
  }
}

async function serveOnce(dir: string, ari: AriSimulator, smscPort: number, i: number): Promise<{ adminMs: number; readyMs: number; rssMb: number | null; cpuMs: number | null }> {
  const config = {
    engine: 'asterisk',
    database: { path: join(dir, `serve-${i}.db`) },
    recordings: { dir: join(dir, 'recordings') },
    prompts: { dir: join(dir, 'prompts') },
    asterisk: { url: ari.url, username: 'callkeeper', password: 'bench', app: 'callkeeper' },
    smpp: { host: '127.0.0.1', port: smscPort, systemId: 'bench', password: 'bench' },
    admin: { host: '127.0.0.1', port: 0 },
    speech: WHISPER_MODEL ? { engine: 'whisper', whisperModel: WHISPER_MODEL } : { engine: 'auto' },
    log: { level: 'info' },
  };
  const file = join(dir, 'callkeeper.yaml');
  writeFileSync(file, stringify(config), { mode: 0o600 });
  const env = { ...process.env };
  delete env.CALLKEEPER_DEV;
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [BIN, '--config', file, 'serve'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const elapsed = (): number => Number(process.hrtime.bigint() - t0) / 1e6;
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let exitCode: number | null | undefined;
  void exited.then((c) => (exitCode = c));
  // The admin port (0 in the config) is in the service's log line.
  const port = await new Promise<number>((resolve, reject) => {
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += String(d);
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        try {
          const o = JSON.parse(line) as { msg?: string; port?: number };
          if (o.msg === 'admin HTTP listening' && o.port) resolve(o.port);
        } catch {
          // not a log line
        }
      }
    });
    void exited.then((c) => reject(new Error(`serve exited (${c}) before the admin server listened: ${stderr}`)));
    setTimeout(() => reject(new Error(`serve did not log its admin port within ${READY_CAP_MS} ms`)), READY_CAP_MS).unref();
  });
  const adminMs = elapsed();
  let readyMs: number | null = null;
  while (readyMs === null) {
    if (exitCode !== undefined) throw new Error(`serve exited (${exitCode}) before it was ready: ${stderr}`);
    if (elapsed() > READY_CAP_MS) throw new Error(`serve was not ready within ${READY_CAP_MS} ms`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`);
      if (res.status === 200) readyMs = elapsed();
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (readyMs === null) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const rssMb = vmHwmMb(child.pid!);
  const cpuMs = cpuMsOf(child.pid!);
  child.kill('SIGTERM');
  const code = await Promise.race([exited, new Promise<'stuck'>((r) => setTimeout(() => r('stuck'), RUN_CAP_MS).unref())]);
  if (code === 'stuck') {
    child.kill('SIGKILL');
    throw new Error('serve did not exit within a minute of SIGTERM');
  }
  return { adminMs, readyMs, rssMb, cpuMs };
}

async function benchServe(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'callkeeper-bench-serve-'));
  const ari = await AriSimulator.start({ username: 'callkeeper', password: 'bench', app: 'callkeeper' });
  const smsc = new SmscSimulator({ receipts: 'tlv' });
  const smscPort = await smsc.listen();
  try {
    const loadBefore = load1();
    const runs: { adminMs: number; readyMs: number; rssMb: number | null; cpuMs: number | null }[] = [];
    const baseline: number[] = [];
    // Interleaved, so that a change in the machine's load hits both alike.
    for (let i = 0; i < SERVE_RUNS; i++) {
      runs.push(await serveOnce(dir, ari, smscPort, i));
      baseline.push(runOnceBaseline());
    }
    const ready = runs.map((r) => r.readyMs);
    const rss = runs.flatMap((r) => (r.rssMb === null ? [] : [r.rssMb]));
    emit({
      case: 'serve-ready',
      path: 'dist',
      recognizer: WHISPER_MODEL ? `whisper (${WHISPER_MODEL.split('/').at(-1)})` : 'auto (no Whisper model: nothing to load)',
      runs: runs.length,
      // Spawn to the admin server listening: loading the modules, the config, the database, the recognizer.
      adminListeningMs: { p50: round(pct(runs.map((r) => r.adminMs), 50)) },
      readyMs: { p50: round(pct(ready, 50)), p95: round(pct(ready, 95)) },
      rssAtReadyMb: { p50: round(pct(rss, 50), 1), max: round(pct(rss, 100), 1) },
      cpuAtReadyMs: { p50: round(pct(runs.flatMap((r) => (r.cpuMs === null ? [] : [r.cpuMs])), 50)) },
      baseline: { name: 'node -e 0', wallMs: { p50: round(pct(baseline, 50)) } },
      ratio: round(pct(ready, 50)! / pct(baseline, 50)!, 2),
      goal: { readyMs: 1000 },
      met: pct(ready, 50)! <= 1000,
      load1: { before: loadBefore, after: load1() },
    });
  } finally {
    await ari.close();
    await smsc.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

function runOnceBaseline(): number {
  const t0 = process.hrtime.bigint();
  spawnSync(process.execPath, ['-e', '0'], { stdio: 'ignore', timeout: RUN_CAP_MS });
  return Number(process.hrtime.bigint() - t0) / 1e6;
}

build();
if (CASES.has('help')) benchHelp();
if (CASES.has('serve')) await benchServe();
rmSync(OUT, { recursive: true, force: true });
