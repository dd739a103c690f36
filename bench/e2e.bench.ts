/**
 * End-to-end benchmark: simulated calls through the whole service (`startService`, what
 * `callkeeper serve` runs) with the engine simulator (ARI by default) and the SMSC simulator on port-0
 * sockets, real SQLite, real prompt synthesis, and Whisper with a base.en-shaped model. Prints JSON lines:
 *
 * 1. latency: N calls with mixed answers, one after another: caller hangup → first text accepted by the
 *    SMSC (p50/p95), for the calls that text (a verbal yes, an implied-mode business);
 * 2. capacity: 1, 2, 4, 8, … calls at once until one fails (wrong outcome, missing text) or the time cap:
 *    the largest number completed with none failed.
 *
 * The model has random weights (no real weights can be installed here: scripts/README.md), so
 * its words are noise. The transcriber therefore runs Whisper on every recording for its real cost
 * (greedy, no temperature fallback, 3 tokens per second of audio, one segment: the bounded decoding the
 * scripts/README.md and bench/speech.bench.ts use), then answers with the scripted phrase the caller's tone
 * encodes (test/e2e/tone-speech.ts). The decisions are scripted; the time is Whisper's.
 *
 * Simulated telephony time runs at BENCH_TIME_SCALE (default 0.1: prompts and pauses 10x faster than
 * real time). That is pessimistic for latency and capacity alike: on a real line the message is
 * transcribed while the consent question plays (about 25 s), here in a tenth of that.
 *
 * Env: BENCH_ENGINE asterisk|freeswitch, BENCH_CALLS (20), BENCH_TIME_SCALE (0.1), BENCH_TIME_CAP_S (420),
 * BENCH_MAX_CONCURRENT (64), BENCH_THREADS (min(4, cores)).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { CallResult } from '../src/app/call/call-types.ts';
import type { TranscribePurpose, Transcriber, Transcript } from '../src/domain/ports/transcriber.ts';
import type { RecordedSubmit } from '../src/sim/smsc/smsc-simulator.ts';
import { createTranscriber } from '../src/speech/speech-factory.ts';
import type { WhisperTranscriber } from '../src/speech/whisper-transcriber.ts';
import { memoryLogger, ServeHarness, type EngineKind } from '../test/e2e/serve-harness.ts';
import { hearPhrase, sayPhrase } from '../test/e2e/tone-speech.ts';
import { randomWhisperModel } from '../test/speech/fixtures/speech-fixtures.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const ENGINE = (process.env.BENCH_ENGINE ?? 'asterisk') as EngineKind;
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const TIME_SCALE = Number(process.env.BENCH_TIME_SCALE ?? 0.1);
const TIME_CAP_MS = Number(process.env.BENCH_TIME_CAP_S ?? 420) * 1000;
const MAX_CONCURRENT = Number(process.env.BENCH_MAX_CONCURRENT ?? 64);
const START_CONCURRENT = Number(process.env.BENCH_START_CONCURRENT ?? 1);
const THREADS = Number(process.env.BENCH_THREADS ?? Math.min(4, availableParallelism()));
/** One step of the ramp may take this long before its unfinished calls count as failed. */
const STEP_CAP_MS = 240_000;

const VERBAL_DID = '+15125550100';
const IMPLIED_DID = '+15125550111';

function emit(o: Record<string, unknown>): void {
  console.log(JSON.stringify({ bench: 'e2e', ...o }));
}

function pct(xs: readonly number[], p: number): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!);
}

const load1 = (): number => Math.round(loadavg()[0]! * 100) / 100;

/** base.en's full shape: the model size a small shop would run (scripts/README.md). */
const baseEnModel = (): string => randomWhisperModel('base.en', null);

/** Whisper for the cost, the caller's scripted phrase for the words (see the file comment). */
class ScriptedWhisperTranscriber implements Transcriber {
  readonly engine = 'whisper (cost) + scripted words';
  readonly whisperMs: number[] = [];
  constructor(readonly whisper: WhisperTranscriber) {}

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript> {
    const real = await this.whisper.transcribe(wav, opts);
    this.whisperMs.push(real.elapsedMs);
    const { text } = hearPhrase(wav);
    return {
      ...real,
      text,
      segments: text === '' ? [] : [{ startMs: 0, endMs: real.audioMs, text }],
      confidence: { score: text === '' ? 0 : 0.95, avgLogProb: null, noSpeechProb: null },
    };
  }

  close(): Promise<void> {
    return this.whisper.close();
  }
}

/** Telephone-length speech: a message of 8 s, answers of 1.5 s (tones that name the phrase). */
const MESSAGE = sayPhrase('Hi, this is Dana. My kitchen faucet is leaking. Please call me back.', 8_000);
const YES = sayPhrase('Yes, that is fine.', 1_500);
const NO = sayPhrase('No thanks.', 1_500);
const MUMBLE = sayPhrase('Hmm, what was that?', 1_500);

type Kind = 'yes' | 'no' | 'unclear' | 'implied';
const MIX: readonly Kind[] = ['yes', 'no', 'yes', 'implied', 'unclear'];
const EXPECT: Record<Kind, { outcome: CallResult['outcome']; texts: boolean }> = {
  yes: { outcome: 'consent-granted', texts: true },
  no: { outcome: 'consent-declined', texts: false },
  unclear: { outcome: 'consent-unclear', texts: false },
  implied: { outcome: 'implied-texted', texts: true },
};

interface CallRun {
  readonly kind: Kind;
  readonly ok: boolean;
  readonly why: string | null;
  /** Caller hangup → first text accepted by the SMSC, for the calls that text. */
  readonly hangupToTextMs: number | null;
  readonly decisionLatencyMs: number | null;
}

let callerSeq = 0;

class Bench {
  private readonly firstSubmit = new Map<string, number>();
  constructor(readonly h: ServeHarness) {
    h.smsc.on('submit', (rec: RecordedSubmit) => {
      if (rec.messageId !== null && !this.firstSubmit.has(rec.to)) this.firstSubmit.set(rec.to, performance.now());
    });
  }

  async call(kind: Kind, deadline: number): Promise<CallRun> {
    const caller = `+1512${String(5_000_000 + callerSeq++).padStart(7, '0')}`;
    const says = kind === 'yes' ? [MESSAGE, YES] : kind === 'no' ? [MESSAGE, NO] : kind === 'unclear' ? [MESSAGE, MUMBLE, MUMBLE] : [MESSAGE];
    const placed = this.h.placeCall({ caller, dialed: (kind === 'implied' ? IMPLIED_DID : VERBAL_DID).slice(1), says });
    let hungUpAt = 0;
    const fail = (why: string): CallRun => ({ kind, ok: false, why, hangupToTextMs: null, decisionLatencyMs: null });
    try {
      await withDeadline(placed.caller, deadline, 'the call to end');
      hungUpAt = performance.now();
      const result = await withDeadline(placed.result, deadline, 'the call row to close');
      const expect = EXPECT[kind];
      if (result.outcome !== expect.outcome) return fail(`outcome ${result.outcome}, expected ${expect.outcome}`);
      let hangupToTextMs: number | null = null;
      if (expect.texts) {
        const to = caller.slice(1);
        while (!this.firstSubmit.has(to)) {
          if (performance.now() > deadline) return fail('no text at the SMSC');
          await new Promise((r) => setTimeout(r, 5));
        }
        hangupToTextMs = this.firstSubmit.get(to)! - hungUpAt;
      }
      return { kind, ok: true, why: null, hangupToTextMs, decisionLatencyMs: result.decisionLatencyMs };
    } catch (e) {
      return fail((e as Error).message);
    }
  }
}

function withDeadline<T>(p: Promise<T>, deadline: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), Math.max(0, deadline - performance.now()));
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e as Error);
      },
    );
  });
}

function summary(runs: readonly CallRun[]): Record<string, unknown> {
  const lat = runs.flatMap((r) => (r.hangupToTextMs === null ? [] : [r.hangupToTextMs]));
  const dec = runs.flatMap((r) => (r.decisionLatencyMs === null ? [] : [r.decisionLatencyMs]));
  return {
    calls: runs.length,
    failed: runs.filter((r) => !r.ok).length,
    texted: lat.length,
    hangup_to_text_p50_ms: pct(lat, 50),
    hangup_to_text_p95_ms: pct(lat, 95),
    hangup_to_text_max_ms: pct(lat, 100),
    answer_to_decision_p50_ms: pct(dec, 50),
    answer_to_decision_p95_ms: pct(dec, 95),
  };
}

async function main(): Promise<void> {
  const started = performance.now();
  const modelPath = baseEnModel();
  const whisper = createTranscriber(
    { engine: 'whisper', whisperModel: modelPath, threads: THREADS },
    { whisper: { temperatureFallback: false, maxTokensPerSecond: 3, singleSegment: true } },
  ) as WhisperTranscriber;
  await whisper.load();
  const transcriber = new ScriptedWhisperTranscriber(whisper);
  emit({
    engine: ENGINE,
    cores: availableParallelism(),
    whisper_threads: THREADS,
    whisper_concurrency: whisper.queue.concurrency,
    model: 'base.en shape, random weights',
    decoding: 'greedy, no fallback, 3 tokens/s, single segment',
    transcriber: 'Whisper runs on every recording for its cost; the decision uses the scripted phrase (random weights hear noise)',
    time_scale: TIME_SCALE,
    mix: MIX,
    loadavg_1m: load1(),
  });

  const promptsDir = mkdtempSync(join(tmpdir(), 'ck-bench-e2e-prompts-'));
  const logger = memoryLogger();
  const h = await ServeHarness.start({ engine: ENGINE, transcriber, promptsDir, timeScale: TIME_SCALE, waitGuardMs: STEP_CAP_MS, logger });
  try {
    h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
    h.addBusiness('Bolt Electric', IMPLIED_DID, 'implied');
    await h.ready();
    const bench = new Bench(h);
    // Warm-up: prompts synthesized and cached, the model's first-run allocations done.
    await bench.call('yes', performance.now() + STEP_CAP_MS);
    await bench.call('implied', performance.now() + STEP_CAP_MS);
    transcriber.whisperMs.length = 0;

    const latencyRuns: CallRun[] = [];
    for (let i = 0; i < CALLS; i++) latencyRuns.push(await bench.call(MIX[i % MIX.length]!, performance.now() + STEP_CAP_MS));
    emit({
      phase: 'latency',
      placement: 'one call at a time',
      ...summary(latencyRuns),
      whisper_p50_ms: pct(transcriber.whisperMs, 50),
      whisper_p95_ms: pct(transcriber.whisperMs, 95),
      failures: latencyRuns.filter((r) => !r.ok).map((r) => `${r.kind}: ${r.why}`),
      loadavg_1m: load1(),
    });

    let best = START_CONCURRENT > 1 ? Number.NaN : 0;
    let stopReason = 'max concurrency reached';
    for (let n = START_CONCURRENT; n <= MAX_CONCURRENT; n *= 2) {
      if (performance.now() - started > TIME_CAP_MS) {
        stopReason = 'time cap';
        break;
      }
      const stepStarted = performance.now();
      const logStart = logger.records.length;
      const deadline = stepStarted + STEP_CAP_MS;
      const runs = await Promise.all(Array.from({ length: n }, (_, i) => bench.call(MIX[i % MIX.length]!, deadline)));
      const wallMs = Math.round(performance.now() - stepStarted);
      const failed = runs.filter((r) => !r.ok);
      emit({
        phase: 'capacity',
        concurrent: n,
        wall_ms: wallMs,
        ...summary(runs),
        transcription_queue_peak_waiting: whisper.queue.peakDepth,
        failures: failed.slice(0, 5).map((r) => `${r.kind}: ${r.why}`),
        loadavg_1m: load1(),
      });
      if (failed.length > 0) {
        // What the service said about it (messages only: fields may hold numbers and transcripts).
        const said = new Map<string, number>();
        for (const r of logger.records.slice(logStart)) {
          if (r.level === 'info') continue;
          const err = r.fields['err'] as { code?: string; message?: string } | undefined;
          const key = `${r.level}: ${r.msg}${err ? ` (${err.code ?? ''} ${err.message ?? ''})` : ''}`;
          said.set(key, (said.get(key) ?? 0) + 1);
        }
        emit({ phase: 'capacity', concurrent: n, service_warnings: Object.fromEntries(said) });
        stopReason = `a call failed at ${n} concurrent`;
        break;
      }
      best = n;
    }
    emit({
      phase: 'result',
      max_concurrent_calls_none_failed: best,
      stopped_because: stopReason,
      // Each scripted caller answers once: an answer whose transcription waits in the queue past the
      // flow's transcribe-answer bound (30 s) is treated as unclear, the caller is asked again, hears
      // nothing back from the script, and the call ends unclear. That is the failure that caps this.
      failure_means: 'wrong outcome or missing text; under overload: an answer transcription queued past the 30 s transcribe-answer bound',
      total_s: Math.round((performance.now() - started) / 1000),
    });
  } finally {
    await h.close();
    rmSync(promptsDir, { recursive: true, force: true });
  }
}

await main();
