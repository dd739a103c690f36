/**
 * `npm run bench:e2e`: a capacity ramp through the real service process. It starts
 * `node bin/callkeeper.mjs serve` (start-up included, as a user runs it) from a fresh build of the
 * current sources (scripts/build.mjs into a folder under .cache/, as bench/export.bench.ts does) against the ARI simulator (src/sim/ari) and an SMSC (src/sim/smsc: the smpp package's server
 * side) that this process runs on 127.0.0.1 port 0, with Whisper on a base.en-shaped model of random
 * weights (scripts/make-random-whisper-model.mjs). Then it runs one step per BENCH_STEPS entry N, each
 * after the service is idle again, in one of two modes (BENCH_MODE):
 *
 *   arrivals (default)  N calls in progress at once, as on a trunk: calls arrive one by one at seeded
 *                       Poisson times (BENCH_SEED) at rate N / D, D the mean length of the two warm-up
 *                       calls as measured in this run, so by Little's law about N are in progress once
 *                       the first D has passed; arrivals go on for D + BENCH_HOLD_S, at real time
 *                       (BENCH_TIME_SCALE 1). Each call's transcript is awaited up to 5 minutes after
 *                       its hangup (the transcription goal), no longer.
 *   burst               N calls placed in the same millisecond with the same script, at BENCH_TIME_SCALE
 *                       0.1 (speech and prompts ten times faster than real time): a stress figure, every
 *                       answer of the step arrives at once.
 *
 * One JSON line per step (`mode`, `time_scale`):
 *
 *   calls, arrival_rate_per_s    calls placed in the step and their rate (arrivals: N / D)
 *   in_progress_max/_median      calls in progress at once as this process saw them (placed, not yet
 *                                ended): the most at any moment, and the median of samples every 250 ms
 *                                (arrivals: over the hold window, from D after the first arrival to the
 *                                last arrival; burst: while any call is on the line); measured, not assumed
 *   calls_failed                 the caller was not hung up by the service, the call row has no final
 *                                outcome of the expected kind, or an implied-mode call sent no text,
 *                                all within the step's bound (BENCH_STEP_CAP_S)
 *   answer_to_decision_p50/p95   end of the caller's answer → decision in the ledger, from serve's
 *                                `callkeeper_consent_decision_seconds` histogram (interpolated in its buckets)
 *   hangup_to_text_p95           caller hangup → first submit_sm at the SMSC (implied-mode calls)
 *   transcript_lag_p95/_max      caller hangup → the message transcript in the call row (polled read-only
 *                                every 250 ms)
 *   cpu_ms_per_call              serve's user + system CPU over the step (/proc/PID/stat), per call
 *   event_loop_delay_p99         serve's `callkeeper_nodejs_eventloop_lag_p99_seconds` at the step's end
 *   loadavg_1m_start/_end        the machine's 1-minute load average (it is shared)
 *   failure_causes               per failed call, the first warn/error line serve logged for its channel
 *                                (`err.code (op): message`), or `no warn/error line`; serve's whole log
 *                                (level info) stays in .cache/bench-e2e-serve.log after the run
 *
 * It stops at the first step with a failed call and prints the ceiling: the last step with none failed.
 * The whole run is bounded (BENCH_TIME_CAP_S): a step that could not finish inside it is not started.
 *
 * The model hears noise (random weights), so a verbal caller's answer comes out unclear: the service
 * asks again, and the call ends `consent-unclear` after two answers. That is the longest verbal call,
 * and it costs Whisper three transcriptions (the message and two answers); half the calls go to an
 * implied-mode business, which texts after the call. The caller's message is 8 s of speech in both modes.
 *
 * Env: BENCH_MODE (arrivals | burst), BENCH_STEPS (arrivals: 25,100; burst: 10,25,50,100),
 * BENCH_HOLD_S (arrivals: 30), BENCH_SEED (arrivals: 15), BENCH_STEP_CAP_S (arrivals: 600; burst: 300),
 * BENCH_TIME_CAP_S (1500), BENCH_TIME_SCALE (arrivals: 1; burst: 0.1), BENCH_THREADS (speech.threads;
 * unset: the service's default), BENCH_OUTBOX_WRITER (smpp.outboxWriter: thread | inline; unset: the
 * service's default), BENCH_ANSWER_MODEL (tiny.en: serve decodes consent answers with a tiny.en-shaped
 * random-weight model, speech.answerModel; unset: answers use the base.en-shaped one, as by default).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { addBusiness } from '../src/app/business/add-business.ts';
import { AriSimulator } from '../src/sim/ari/ari-simulator.ts';
import type { ScriptedCall } from '../src/sim/caller-script.ts';
import { SmscSimulator, type RecordedSubmit } from '../src/sim/smsc/smsc-simulator.ts';
import { SqliteBusinessDirectory } from '../src/store/sqlite-business-directory.ts';
import { migrate, openDatabase, type SqliteDb } from '../src/store/sqlite-database.ts';
import { buildCli } from './support/build-cli.ts';
import { sayPhrase } from '../test/e2e/tone-speech.ts';
import { seededRandom } from '../test/support/seeded-random.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MODE = process.env.BENCH_MODE ?? 'arrivals';
if (MODE !== 'arrivals' && MODE !== 'burst') throw new Error(`BENCH_MODE must be arrivals or burst, not ${MODE}`);
const ARRIVALS = MODE === 'arrivals';
const STEPS = (process.env.BENCH_STEPS ?? (ARRIVALS ? '25,100' : '10,25,50,100')).split(',').map(Number);
const STEP_CAP_MS = Number(process.env.BENCH_STEP_CAP_S ?? (ARRIVALS ? 600 : 300)) * 1000;
const TIME_CAP_MS = Number(process.env.BENCH_TIME_CAP_S ?? 1500) * 1000;
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? (ARRIVALS ? 1 : 0.1));
/** Arrivals: how long N calls stay in progress after the ramp (one mean call length) reached them. */
const HOLD_MS = Number(process.env.BENCH_HOLD_S ?? 30) * 1000;
const SEED = Number(process.env.BENCH_SEED ?? 15);
/** The capacity goal: every message transcribed within 5 minutes of its call (src/speech/README.md, "The message backlog"). */
const TRANSCRIPT_GOAL_MS = 300_000;
/** How often a call's row and the calls in progress are looked at (one reader for hundreds of calls). */
const POLL_MS = 250;
const THREADS = process.env.BENCH_THREADS === undefined ? undefined : Number(process.env.BENCH_THREADS);
if (process.env.BENCH_ANSWER_MODEL !== undefined && process.env.BENCH_ANSWER_MODEL !== 'tiny.en') {
  throw new Error(`BENCH_ANSWER_MODEL must be tiny.en or unset, not ${process.env.BENCH_ANSWER_MODEL}`);
}
const ANSWER_MODEL: 'tiny.en' | undefined = process.env.BENCH_ANSWER_MODEL === undefined ? undefined : 'tiny.en';
/** Start-up: synthesizing the prompts and loading a 150 MB model on a loaded 2-core box. */
const START_CAP_MS = 180_000;
/** Between steps: the service must have no call in progress, no transcription queued and no message pending. */
const IDLE_CAP_MS = 300_000;
const ADMIN_TOKEN = 'bench-e2e-token';
const VERBAL_DID = '+15125550100';
const IMPLIED_DID = '+15125550111';
/** The outcomes a verbal call may end with when the service did its job (the model hears noise). */
const VERBAL_DONE = new Set(['consent-granted', 'consent-declined', 'consent-unclear']);

/** Telephone-length speech: a message of 8 s, answers of 1.5 s (tones: the model hears noise anyway). */
const MESSAGE = sayPhrase('Hi, this is Dana. My kitchen faucet is leaking. Please call me back.', 8_000);
const ANSWER = sayPhrase('Yes, that is fine.', 1_500);

function emit(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: 'e2e', ...o })}\n`);
}
const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function pct(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

/** A model of that shape with random weights, made once into .cache/ (git-ignored). */
function randomModel(kind: 'base.en' | 'tiny.en'): string {
  const dir = join(ROOT, '.cache', 'models');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `ggml-${kind}-random.bin`);
  if (!existsSync(file)) {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'make-random-whisper-model.mjs'), file, kind], { stdio: 'inherit', timeout: 600_000 });
    if (r.status !== 0) throw new Error(`make-random-whisper-model failed (${r.status ?? r.error?.message})`);
  }
  return file;
}

/** serve's user + system CPU so far, ms (/proc/PID/stat fields 14 and 15, in clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** The service's Prometheus text, parsed into `name{labels}` → value. */
async function scrape(port: number): Promise<Map<string, number>> {
  const res = await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, signal: AbortSignal.timeout(30_000) });
  if (!res.ok) throw new Error(`/metrics answered ${res.status}`);
  const m = new Map<string, number>();
  for (const line of (await res.text()).split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

/**
 * p-th percentile of the observations a histogram gained between two scrapes, summed over its labels,
 * interpolated linearly inside the bucket (as PromQL's histogram_quantile does), in ms.
 */
function histogramPct(name: string, before: Map<string, number>, after: Map<string, number>, p: number, label = ''): number | string | null {
  const byLe = new Map<number, number>();
  for (const [key, v] of after) {
    const m = new RegExp(`^${name}_bucket\\{(.*)\\}$`).exec(key);
    if (!m || !m[1]!.includes(label)) continue;
    const le = /le="([^"]+)"/.exec(m[1]!)![1]!;
    const bound = le === '+Inf' ? Number.POSITIVE_INFINITY : Number(le);
    byLe.set(bound, (byLe.get(bound) ?? 0) + v - (before.get(key) ?? 0));
  }
  const buckets = [...byLe.entries()].sort((a, b) => a[0] - b[0]);
  const total = buckets.at(-1)?.[1] ?? 0;
  if (total === 0) return null;
  const rank = (p / 100) * total;
  let prevBound = 0;
  let prevCount = 0;
  for (const [bound, count] of buckets) {
    if (count >= rank) {
      // Past the last finite bucket: only a lower bound is known.
      if (!Number.isFinite(bound)) return `>${Math.round(prevBound * 1000)}`;
      const inBucket = count - prevCount;
      return Math.round((prevBound + (inBucket === 0 ? 0 : ((rank - prevCount) / inBucket) * (bound - prevBound))) * 1000);
    }
    prevBound = bound;
    prevCount = count;
  }
  return null;
}

/**
 * Why each failed call failed, from serve's own log (pino JSON lines, one child logger per call with its
 * `channelId`: src/app/call/call-runner.ts): the first warn/error line of that call, as `err.code` (or the
 * message when the error has no code), or `no warn/error line` when the call logged none.
 */
const LEVEL_NUMBERS: Record<string, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 };

function causesFromLog(logFile: string, failed: readonly CallRun[]): Record<string, number> {
  const firstByChannel = new Map<string, string>();
  for (const line of readFileSync(logFile, 'utf8').split('\n')) {
    if (!line.startsWith('{')) continue;
    let o: { level?: number | string; channelId?: string; msg?: string; op?: string; purpose?: string; err?: { code?: string; message?: string } };
    try {
      o = JSON.parse(line) as typeof o;
    } catch {
      continue;
    }
    // serve's pino writes level labels ("warn"); a numeric level (40 = warn) is read as well.
    const level = typeof o.level === 'number' ? o.level : (LEVEL_NUMBERS[o.level ?? ''] ?? 0);
    if (level < 40 || o.channelId === undefined || firstByChannel.has(o.channelId)) continue;
    const where = o.op ?? o.purpose;
    firstByChannel.set(o.channelId, `${o.err?.code ?? o.msg ?? 'unknown'}${where === undefined ? '' : ` (${where})`}: ${o.err?.message ?? o.msg ?? ''}`);
  }
  const causes = new Map<string, number>();
  for (const r of failed) {
    const c = r.channelId === null ? 'no channel' : (firstByChannel.get(r.channelId) ?? 'no warn/error line');
    causes.set(c, (causes.get(c) ?? 0) + 1);
  }
  return Object.fromEntries(causes);
}

interface CallRun {
  readonly implied: boolean;
  readonly channelId: string | null;
  readonly ok: boolean;
  readonly why: string | null;
  readonly hangupToTextMs: number | null;
  readonly transcriptLagMs: number | null;
  /** Placed → ended (the caller's view), null when it did not end within its bound. */
  readonly durationMs: number | null;
}

/** The step's calls whose message the backlog gave up on (`transcript_status = 'failed'`). */
function failedTranscripts(db: SqliteDb, runs: readonly CallRun[]): number {
  const row = db.prepare("SELECT 1 FROM calls WHERE channel_id = ? AND transcript_status = 'failed'");
  return runs.filter((r) => r.channelId !== null && row.get(r.channelId) !== undefined).length;
}

class Ramp {
  private readonly firstSubmit = new Map<string, number>();
  private seq = 0;
  constructor(
    private readonly ari: AriSimulator,
    smsc: SmscSimulator,
    private readonly db: SqliteDb,
  ) {
    smsc.on('submit', (rec: RecordedSubmit) => {
      if (rec.messageId !== null && !this.firstSubmit.has(rec.to)) this.firstSubmit.set(rec.to, performance.now());
    });
  }

  /** Calls placed and not yet ended, as the callers see them, and the most since `peak` was last reset. */
  inProgress = 0;
  peak = 0;

  /**
   * One call: it must end within `deadline`; then its row, transcript and text are awaited until
   * `afterHangupMs` past its hangup (or `deadline`, whichever comes first).
   */
  async call(implied: boolean, deadline: number, afterHangupMs = Number.POSITIVE_INFINITY): Promise<CallRun> {
    const caller = `+1512${String(5_000_000 + this.seq++).padStart(7, '0')}`;
    const call: ScriptedCall = { caller, dialed: (implied ? IMPLIED_DID : VERBAL_DID).slice(1), says: implied ? [MESSAGE] : [MESSAGE, ANSWER, ANSWER] };
    let transcriptLagMs: number | null = null;
    let hangupToTextMs: number | null = null;
    let durationMs: number | null = null;
    // A failed call keeps what was measured of it: its transcript lag still tells how far behind speech is.
    let channelId: string | null = null;
    const fail = (why: string): CallRun => ({ implied, channelId, ok: false, why, hangupToTextMs, transcriptLagMs, durationMs });
    const placedAt = performance.now();
    const handle = this.ari.placeCall(call);
    channelId = handle.channelId;
    if (handle.channelId === null) return fail('the simulator rejected the call (no app connected)');
    this.inProgress++;
    this.peak = Math.max(this.peak, this.inProgress);
    const ended = await Promise.race([handle.result, sleep(Math.max(0, deadline - performance.now())).then(() => null)]);
    this.inProgress--;
    if (ended === null) return fail('the call did not end within the step bound');
    const hungUpAt = performance.now();
    durationMs = hungUpAt - placedAt;
    if (ended.endedBy !== 'app') return fail(`ended by ${ended.endedBy}`);
    const row = this.db.prepare('SELECT outcome, transcript FROM calls WHERE channel_id = ?');
    let outcome: string | null = null;
    const to = caller.slice(1);
    const pollUntil = Math.min(deadline, hungUpAt + afterHangupMs);
    // Polled read-only from outside: the call row's outcome, its message transcript, the first text.
    while (performance.now() < pollUntil) {
      const r = row.get(handle.channelId) as { outcome: string | null; transcript: string | null } | undefined;
      outcome = r?.outcome ?? null;
      if (transcriptLagMs === null && r?.transcript != null) transcriptLagMs = Math.max(0, performance.now() - hungUpAt);
      if (hangupToTextMs === null && this.firstSubmit.has(to)) hangupToTextMs = Math.max(0, this.firstSubmit.get(to)! - hungUpAt);
      if (outcome !== null && transcriptLagMs !== null && (!implied || hangupToTextMs !== null)) break;
      await sleep(POLL_MS);
    }
    if (outcome === null) return fail('no outcome in the call row');
    if (implied ? outcome !== 'implied-texted' : !VERBAL_DONE.has(outcome)) return fail(`outcome ${outcome}`);
    if (implied && hangupToTextMs === null) return fail('no text at the SMSC');
    return { implied, channelId, ok: true, why: null, hangupToTextMs, transcriptLagMs, durationMs };
  }

  /** Burst: n calls in the same millisecond, half of them implied-mode. */
  async burst(n: number, deadline: number): Promise<StepCalls> {
    const samples: number[] = [];
    this.peak = 0;
    // While any call is on the line: after that the step only waits for transcripts.
    const sampler = setInterval(() => this.inProgress > 0 && samples.push(this.inProgress), POLL_MS);
    const runs = await Promise.all(Array.from({ length: n }, (_, i) => this.call(i % 2 === 1, deadline)));
    clearInterval(sampler);
    return { runs, inProgressMax: this.peak, inProgressMedian: pct(samples, 50), ratePerS: null };
  }

  /**
   * Arrivals: calls at seeded Poisson times at rate n / meanCallMs for meanCallMs + holdMs, alternately
   * verbal and implied-mode; each call's transcript awaited up to the 5-minute goal past its hangup.
   */
  async arrivals(n: number, meanCallMs: number, holdMs: number, random: () => number, deadline: number): Promise<StepCalls> {
    const ratePerMs = n / meanCallMs;
    const start = performance.now();
    const windowMs = meanCallMs + holdMs;
    const at: number[] = [];
    for (let t = -Math.log(1 - random()) / ratePerMs; t < windowMs; t += -Math.log(1 - random()) / ratePerMs) at.push(t);
    const samples: number[] = [];
    this.peak = 0;
    const sampler = setInterval(() => {
      const t = performance.now() - start;
      // The hold window: the ramp (one mean call length) is over and calls still arrive.
      if (t >= meanCallMs && t <= windowMs) samples.push(this.inProgress);
    }, POLL_MS);
    const calls: Promise<CallRun>[] = [];
    for (let i = 0; i < at.length; i++) {
      await sleep(Math.max(0, start + at[i]! - performance.now()));
      // A call may last well past the mean when answers queue: bounded by the step's cap.
      calls.push(this.call(i % 2 === 1, deadline, TRANSCRIPT_GOAL_MS));
    }
    const runs = await Promise.all(calls);
    clearInterval(sampler);
    return { runs, inProgressMax: this.peak, inProgressMedian: pct(samples, 50), ratePerS: Math.round(ratePerMs * 1000 * 100) / 100 };
  }
}

interface StepCalls {
  readonly runs: readonly CallRun[];
  readonly inProgressMax: number;
  readonly inProgressMedian: number | null;
  readonly ratePerS: number | null;
}

function writeConfig(dir: string, ariUrl: string, smscPort: number, adminPort: number, model: string, answerModel: string | undefined): string {
  const file = join(dir, 'callkeeper.yaml');
  // Decoding as the other speech benches run the random-weight model (src/speech/README.md): it never emits
  // end-of-text, so without a token cap and with fallback every decode would cost several real ones.
  const speech = [`  engine: whisper`, `  whisperModel: ${JSON.stringify(model)}`, ...(answerModel === undefined ? [] : [`  answerModel: ${JSON.stringify(answerModel)}`]), `  maxTokensPerSecond: 3`, `  temperatureFallback: false`, ...(THREADS === undefined ? [] : [`  threads: ${THREADS}`])];
  writeFileSync(
    file,
    [
      'engine: asterisk',
      `database:\n  path: ${JSON.stringify(join(dir, 'callkeeper.db'))}`,
      `recordings:\n  dir: ${JSON.stringify(join(dir, 'recordings'))}`,
      `prompts:\n  dir: ${JSON.stringify(join(dir, 'prompts'))}`,
      `asterisk:\n  url: ${JSON.stringify(ariUrl)}\n  username: callkeeper\n  password: bench`,
      `smpp:\n  host: 127.0.0.1\n  port: ${smscPort}\n  systemId: bench\n  password: bench${process.env.BENCH_OUTBOX_WRITER ? `\n  outboxWriter: ${process.env.BENCH_OUTBOX_WRITER}` : ''}`,
      `speech:\n${speech.join('\n')}`,
      `admin:\n  port: ${adminPort}\n  token: ${ADMIN_TOKEN}`,
      // info: each call's `call ended` line and the info-level saturation lines, for the failure causes.
      'log:\n  level: info',
      '',
    ].join('\n'),
    { mode: 0o600 },
  );
  return file;
}

async function waitUntil(what: string, capMs: number, ok: () => Promise<boolean>): Promise<void> {
  const end = performance.now() + capMs;
  for (;;) {
    try {
      if (await ok()) return;
    } catch {
      // Not listening yet: try again until the bound.
    }
    if (performance.now() > end) throw new Error(`timed out after ${capMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const model = randomModel('base.en');
  const answerModel = ANSWER_MODEL === undefined ? undefined : randomModel(ANSWER_MODEL);
  mkdirSync(join(ROOT, '.cache'), { recursive: true });
  const work = mkdtempSync(join(ROOT, '.cache', 'bench-e2e-'));
  const bin = buildCli(work);
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-e2e-'));
  const smsc = new SmscSimulator({ receipts: 'tlv' });
  const smscPort = await smsc.listen();
  const ari = await AriSimulator.start({ timeScale: TIME_SCALE, username: 'callkeeper', password: 'bench', app: 'callkeeper' });
  const adminPort = await freePort();
  const config = writeConfig(dir, ari.url, smscPort, adminPort, model, answerModel);
  // The businesses, as `callkeeper business add` would store them, before the service starts.
  const setup = openDatabase(join(dir, 'callkeeper.db'));
  migrate(setup);
  const directory = new SqliteBusinessDirectory(setup);
  addBusiness(directory, { name: 'Acme Plumbing', dids: [VERBAL_DID], timezone: 'America/Chicago', consentMode: 'verbal' });
  addBusiness(directory, { name: 'Bolt Electric', dids: [IMPLIED_DID], timezone: 'America/Chicago', consentMode: 'implied' });
  setup.close();

  const env = { ...process.env };
  delete env.CALLKEEPER_DEV; // the compiled service, as a user runs it
  const spawnedAt = performance.now();
  // serve's log (pino JSON on stdout) is kept after the run in .cache/ (git-ignored) for a failed step's causes.
  const logFile = join(ROOT, '.cache', 'bench-e2e-serve.log');
  const logFd = openSync(logFile, 'w');
  let serve: ChildProcess | null = spawn(process.execPath, [bin, '--config', config, 'serve'], { cwd: dir, env, stdio: ['ignore', logFd, 'pipe'] });
  closeSync(logFd);
  let stderr = '';
  serve.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-4000)));
  const pid = serve.pid!;
  const db = openDatabase(join(dir, 'callkeeper.db'), { readonly: true });
  try {
    await waitUntil('serve to be ready (/readyz) and connected to the simulator', START_CAP_MS, async () => {
      if (serve?.exitCode !== null) throw new Error(`serve exited (${serve?.exitCode}): ${stderr}`);
      const r = await fetch(`http://127.0.0.1:${adminPort}/readyz`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      return r.ok;
    }).catch((e: Error) => {
      throw new Error(`${e.message}; serve said: ${stderr.slice(-1000)}`);
    });
    await ari.whenAppConnected();
    // From the process's spawn to /readyz 200 and the ARI app connected: the start-up a user waits for.
    const startS = Math.round((performance.now() - spawnedAt) / 100) / 10;
    emit({ phase: 'start', mode: MODE, cores: availableParallelism(), model: 'base.en shape, random weights', answer_model: ANSWER_MODEL === undefined ? 'the same' : `${ANSWER_MODEL} shape, random weights`, time_scale: TIME_SCALE, speech_threads: THREADS ?? 'default', serve_ready_s: startS, loadavg_1m: load1() });

    const ramp = new Ramp(ari, smsc, db);
    // Warm-up: the prompts' first plays and the model's first-run allocations, outside the figures.
    // In arrival mode their lengths (placed → ended, two calls at once) set the arrival rate: D, measured here.
    const warm = await Promise.all([ramp.call(false, performance.now() + STEP_CAP_MS), ramp.call(true, performance.now() + STEP_CAP_MS)]);
    const meanCallMs = warm.reduce((a, r) => a + (r.durationMs ?? Number.NaN), 0) / warm.length;
    if (!Number.isFinite(meanCallMs)) throw new Error(`a warm-up call did not end: ${warm.map((r) => r.why).join('; ')}`);
    emit({ phase: 'warm-up', mode: MODE, verbal_call_s: Math.round(warm[0]!.durationMs! / 100) / 10, implied_call_s: Math.round(warm[1]!.durationMs! / 100) / 10, mean_call_s: Math.round(meanCallMs / 100) / 10 });
    const random = seededRandom(SEED);
    // Arrivals: the calls arrive for D + hold, may last up to 3 D (or 2 minutes) under load, then their
    // transcripts have the 5-minute goal; the service's backlog is awaited inside the step.
    const stepBoundMs = ARRIVALS ? Math.min(STEP_CAP_MS, meanCallMs + HOLD_MS + Math.max(3 * meanCallMs, 120_000) + TRANSCRIPT_GOAL_MS) : STEP_CAP_MS;

    let ceiling = 0;
    let stopped = 'every step passed';
    for (const n of STEPS) {
      if (performance.now() - started + stepBoundMs + (ARRIVALS ? 0 : IDLE_CAP_MS) > TIME_CAP_MS) {
        stopped = `time cap (BENCH_TIME_CAP_S) before ${n} calls`;
        break;
      }
      await waitUntil('the service to be idle', IDLE_CAP_MS, async () => {
        const m = await scrape(adminPort);
        return (
          (m.get('callkeeper_calls_in_progress') ?? 0) === 0 &&
          (m.get('callkeeper_transcription_queue_depth') ?? 0) === 0 &&
          (m.get('callkeeper_message_backlog_pending') ?? 0) === 0
        );
      });
      const before = await scrape(adminPort);
      const cpu0 = cpuMs(pid);
      const loadStart = load1();
      const stepStarted = performance.now();
      const deadline = stepStarted + stepBoundMs;
      const step = ARRIVALS ? await ramp.arrivals(n, meanCallMs, HOLD_MS, random, deadline) : await ramp.burst(n, deadline);
      const runs = step.runs;
      const wallMs = Math.round(performance.now() - stepStarted);
      const cpu = cpuMs(pid) - cpu0;
      const after = await scrape(adminPort);
      const failed = runs.filter((r) => !r.ok);
      const lags = runs.flatMap((r) => (r.transcriptLagMs === null ? [] : [r.transcriptLagMs]));
      const texts = runs.flatMap((r) => (r.hangupToTextMs === null ? [] : [r.hangupToTextMs]));
      const why = new Map<string, number>();
      for (const r of failed) why.set(r.why!, (why.get(r.why!) ?? 0) + 1);
      emit({
        phase: 'step',
        mode: MODE,
        time_scale: TIME_SCALE,
        concurrent_calls: n,
        calls: runs.length,
        arrival_rate_per_s: step.ratePerS,
        in_progress_max: step.inProgressMax,
        in_progress_median: step.inProgressMedian,
        calls_failed: failed.length,
        answer_to_decision_p50_ms: histogramPct('callkeeper_consent_decision_seconds', before, after, 50),
        answer_to_decision_p95_ms: histogramPct('callkeeper_consent_decision_seconds', before, after, 95),
        // Decode time alone (serve's `callkeeper_transcription_seconds`, measured inside the job, no wait).
        answer_decode_p50_ms: histogramPct('callkeeper_transcription_seconds', before, after, 50, 'purpose="consent-answer"'),
        answer_decode_p95_ms: histogramPct('callkeeper_transcription_seconds', before, after, 95, 'purpose="consent-answer"'),
        message_decode_p50_ms: histogramPct('callkeeper_transcription_seconds', before, after, 50, 'purpose="message"'),
        hangup_to_text_p95_ms: pct(texts, 95),
        transcript_lag_p95_ms: pct(lags, 95),
        transcript_lag_max_ms: pct(lags, 100),
        transcripts_missing: runs.length - lags.length,
        // Given up by the message backlog (src/speech/README.md, "The message backlog"), and still pending at the step's end.
        transcripts_failed: failedTranscripts(db, runs),
        backlog_pending_after: after.get('callkeeper_message_backlog_pending') ?? null,
        cpu_ms_per_call: Math.round(cpu / runs.length),
        event_loop_delay_p99_ms: Math.round((after.get('callkeeper_nodejs_eventloop_lag_p99_seconds') ?? Number.NaN) * 1000),
        step_wall_ms: wallMs,
        failures: Object.fromEntries(why),
        failure_causes: failed.length === 0 ? {} : causesFromLog(logFile, failed),
        loadavg_1m_start: loadStart,
        loadavg_1m_end: load1(),
      });
      if (failed.length > 0) {
        stopped = `a call failed at ${n} concurrent calls`;
        break;
      }
      ceiling = n;
    }
    emit({ phase: 'result', serve_log: logFile, ceiling_concurrent_calls_none_failed: ceiling, stopped_because: stopped, total_s: Math.round((performance.now() - started) / 1000), loadavg_1m: load1() });
  } finally {
    db.close();
    if (serve && serve.exitCode === null) {
      const exited = new Promise<void>((r) => serve?.once('exit', () => r()));
      serve.kill('SIGTERM');
      // serve drains calls in progress first (call.drainTimeoutMs); none are left unless a step timed out.
      await Promise.race([exited, sleep(30_000)]);
      if (serve.exitCode === null) serve.kill('SIGKILL');
    }
    serve = null;
    await ari.close();
    await smsc.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
