/**
 * Speech benchmark, three parts, each with its baseline in the same run (JSON lines):
 *
 * 1. Consent decision (transcribe + classify) of a 1.6 s answer, tiny.en- and base.en-shaped random
 *    weights: the scheduling before (2 threads per job) against now (1 thread), each with the encoder
 *    context fitted to the clip (`audio_ctx`) and with the full 30 s window, runs interleaved so the
 *    machine's load falls on all alike; then the same answer submitted while a 20 s message is being
 *    transcribed: before (2 threads, one job at a time: the answer waits for the message) against now (1
 *    thread, a lane only answers may take), and 1 thread without the lane (what the lane alone buys).
 * 2. PocketSphinx: an answer's two decodes one after the other (before) and at once (now), against one
 *    bare decode of the same clip.
 * Parts to run: BENCH_SPEECH_PARTS (default `consent,pocketsphinx,cli`); runs per setting:
 * BENCH_RUNS_CONSENT (12), BENCH_RUNS_CONTENDED (6).
 *
 * 3. (BENCH_SPEECH_CLI=0 skips it) for tiny.en- and base.en-shaped random-weight models, on a 3 s and a 20 s
 * clip: real-time factor and p50/p95 latency of a consent decision through WhisperTranscriber, and the
 * same model, audio, threads and decoding through whisper.cpp's own command-line program as the
 * baseline. Prints JSON lines.
 *
 * Random weights cost what real ones do in the encoder; the decoder is bounded the way scripts/README.md
 * says (greedy, no fallback, 3 tokens per second of audio, one segment without timestamp tokens, since
 * random timestamp tokens make whisper.cpp seek and re-encode in tiny steps), for the binding and the
 * baseline alike.
 *
 * The baseline is built from the whisper.cpp source bundled in smart-whisper (so both run the same
 * whisper.cpp version) into .cache/whisper-cli on first run; its `main` has no max-tokens/single-segment
 * flags in this version, so two one-line flags are patched in (printed as `baseline_patch`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { RuleConsentClassifier } from '../src/domain/consent/rule-consent-classifier.ts';
import { resample } from '../src/domain/audio/audio-resampler.ts';
import { encodeWav, parseWav, type PcmAudio } from '../src/domain/audio/wav-codec.ts';
import { WhisperTranscriber, type WhisperOptions } from '../src/speech/whisper-transcriber.ts';
import { PocketSphinxTranscriber } from '../src/speech/pocketsphinx-transcriber.ts';
import { randomWhisperModel } from '../test/speech/fixtures/speech-fixtures.ts';

const ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
const CACHE = join(ROOT, '.cache');
const THREADS = Math.min(4, availableParallelism());
const RUNS: Record<string, number> = { '3s': Number(process.env.BENCH_RUNS_SHORT ?? 12), '20s': Number(process.env.BENCH_RUNS_LONG ?? 4) };

function emit(o: Record<string, unknown>): void {
  console.log(JSON.stringify(o));
}

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round(s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]! * 10) / 10;
}

const model = (kind: 'tiny.en' | 'base.en'): string => randomWhisperModel(kind, null);

/** Telephone speech: espeak-ng sentences at 8 kHz, repeated and cut to the length asked for. */
function clip(seconds: number): PcmAudio {
  const raw = join(tmpdir(), `callkeeper-bench-say-${process.pid}.wav`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-w', raw, "Yes, that's fine, go ahead and text me about the leaking water heater in the basement."]);
  const one = resample(parseWav(readFileSync(raw)), 8000).samples;
  const out = new Float32Array(Math.round(seconds * 8000));
  for (let i = 0; i < out.length; i++) out[i] = one[i % one.length]!;
  return { sampleRate: 8000, samples: out };
}

function buildBaseline(): { bin: string; version: string } | null {
  const src = join(ROOT, 'node_modules/smart-whisper/whisper.cpp');
  const dir = join(CACHE, 'whisper-cli');
  const bin = join(dir, 'main');
  const version = `smart-whisper ${JSON.parse(readFileSync(join(ROOT, 'node_modules/smart-whisper/package.json'), 'utf8')).version} bundled whisper.cpp`;
  if (existsSync(bin)) return { bin, version };
  const started = performance.now();
  cpSync(src, dir, { recursive: true });
  // The Makefile includes a flags helper that the npm package does not ship; its defaults are fine.
  mkdirSync(join(dir, 'scripts'), { recursive: true });
  writeFileSync(join(dir, 'scripts/get-flags.mk'), '');
  const main = join(dir, 'examples/main/main.cpp');
  let code = readFileSync(main, 'utf8');
  code = code
    .replace('    int32_t audio_ctx     = 0;', '    int32_t audio_ctx     = 0;\n    int32_t max_tokens    = 0;\n    bool    single_seg    = false;')
    .replace(
      '        else if (arg == "-ac"   || arg == "--audio-ctx")',
      '        else if (arg == "--max-tokens") { params.max_tokens = std::stoi(argv[++i]); }\n        else if (arg == "--single-segment") { params.single_seg = true; }\n        else if (arg == "-ac"   || arg == "--audio-ctx")',
    )
    .replace('            wparams.audio_ctx        = params.audio_ctx;', '            wparams.audio_ctx        = params.audio_ctx;\n            wparams.max_tokens       = params.max_tokens;\n            wparams.single_segment   = params.single_seg;');
  writeFileSync(main, code);
  const r = spawnSync('make', ['-j', String(availableParallelism()), 'main'], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 || !existsSync(bin)) {
    emit({ bench: 'speech', baseline: 'unavailable', reason: 'make failed', stderr: r.stderr.toString().slice(-500) });
    return null;
  }
  emit({ bench: 'speech', baseline_build_s: Math.round((performance.now() - started) / 100) / 10, baseline_patch: 'main.cpp: --max-tokens, --single-segment' });
  return { bin, version };
}

function runBaseline(bin: string, modelPath: string, wav16: string, p: Record<string, unknown>): { totalMs: number; transcribeMs: number } {
  const args = ['-m', modelPath, '-f', wav16, '-t', String(p.n_threads), '-bs', '1', '-bo', '1', '-nf', '-l', 'en', '--max-tokens', String(p.max_tokens)];
  if ((p.audio_ctx as number) > 0) args.push('-ac', String(p.audio_ctx));
  if (p.single_segment) args.push('--single-segment', '-nt');
  const started = performance.now();
  const r = spawnSync(bin, args, { encoding: 'utf8' });
  const totalMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`whisper.cpp main failed: ${r.stderr.slice(-300)}`);
  // whisper_print_timings: "load time = X ms" ... "total time = Y ms"; compare the binding with Y - X.
  const load = Number(/load time =\s+([\d.]+) ms/.exec(r.stderr)?.[1] ?? 0);
  const total = Number(/total time =\s+([\d.]+) ms/.exec(r.stderr)?.[1] ?? totalMs);
  return { totalMs, transcribeMs: total - load };
}

const load1m = (): number => Math.round(loadavg()[0]! * 100) / 100;
const CONSENT_RUNS = Number(process.env.BENCH_RUNS_CONSENT ?? 12);
const CONTENDED_RUNS = Number(process.env.BENCH_RUNS_CONTENDED ?? 6);
/** Random weights never stop on their own: greedy, no fallback, 3 tokens per second, one segment (scripts/README.md). */
const RANDOM_DECODE: Partial<WhisperOptions> = { temperatureFallback: false, maxTokensPerSecond: 3, singleSegment: true };

function summary(xs: number[]): { p50_ms: number; p95_ms: number } {
  return { p50_ms: pct(xs, 50), p95_ms: pct(xs, 95) };
}

async function decide(t: WhisperTranscriber | PocketSphinxTranscriber, wav: Buffer, classifier: RuleConsentClassifier): Promise<number> {
  const started = performance.now();
  const tr = await t.transcribe(wav, { purpose: 'consent-answer' });
  classifier.classify({ transcript: tr.text, confidence: tr.confidence.score });
  return performance.now() - started;
}

/** Part 1: the consent decision of a 1.6 s answer, quiet (nothing else queued) and behind a running message. */
async function consentDecision(kind: 'tiny.en' | 'base.en', classifier: RuleConsentClassifier): Promise<void> {
  const modelPath = model(kind);
  const answer = encodeWav(clip(1.6));
  const message = encodeWav(clip(20));
  const settings = {
    'threads 2, full audio_ctx': { threads: 2, shrinkAudioCtx: false },
    'threads 2, fitted audio_ctx (before)': { threads: 2, shrinkAudioCtx: true },
    'threads 1, full audio_ctx': { threads: 1, shrinkAudioCtx: false },
    'threads 1, fitted audio_ctx (now)': { threads: 1, shrinkAudioCtx: true },
  } as const;
  const ts = Object.fromEntries(
    Object.entries(settings).map(([name, o]) => [name, new WhisperTranscriber({ modelPath, ...RANDOM_DECODE, ...o, concurrency: 1, answerLanes: 0 })]),
  ) as Record<keyof typeof settings, WhisperTranscriber>;
  const times: Record<string, number[]> = {};
  const loads: number[] = [];
  for (const [name, t] of Object.entries(ts)) {
    await t.load();
    await decide(t, answer, classifier); // warm-up: first-run allocations
    times[name] = [];
  }
  for (let i = 0; i < CONSENT_RUNS; i++) {
    loads.push(load1m());
    for (const [name, t] of Object.entries(ts)) times[name]!.push(await decide(t, answer, classifier));
  }
  const base = times['threads 2, fitted audio_ctx (before)']!;
  for (const [name, xs] of Object.entries(times)) {
    emit({
      bench: 'speech', part: 'consent-decision', model: `${kind} (random weights)`, answer_s: 1.6, setting: name, runs: xs.length,
      audio_ctx: ts[name as keyof typeof settings].params(1600, 'consent-answer').audio_ctx, ...summary(xs),
      baseline: 'threads 2, fitted audio_ctx (before)', ratio_p50_vs_baseline: Math.round((pct(xs, 50) / pct(base, 50)) * 100) / 100,
      loadavg_1m_min: Math.min(...loads), loadavg_1m_max: Math.max(...loads),
    });
  }
  for (const t of Object.values(ts)) await t.close();

  // An answer submitted while a message is being transcribed (the message starts first, the answer just after).
  const contended = {
    'threads 2, one job at a time (before)': { threads: 2, concurrency: 1, answerLanes: 0 },
    'threads 1, one job at a time, no answer lane': { threads: 1, concurrency: 1, answerLanes: 0 },
    'threads 1, answer lane (now)': { threads: 1, concurrency: 1, answerLanes: 1 },
  } as const;
  const cs = Object.fromEntries(
    Object.entries(contended).map(([name, o]) => [name, new WhisperTranscriber({ modelPath, ...RANDOM_DECODE, ...o })]),
  ) as Record<string, WhisperTranscriber>;
  const waits: Record<string, number[]> = {};
  const messageMs: Record<string, number[]> = {};
  const cloads: number[] = [];
  for (const [name, t] of Object.entries(cs)) {
    await t.load();
    waits[name] = [];
    messageMs[name] = [];
  }
  for (let i = 0; i < CONTENDED_RUNS; i++) {
    cloads.push(load1m());
    for (const [name, t] of Object.entries(cs)) {
      const mStarted = performance.now();
      const running = t.transcribe(message, { purpose: 'message' }).then(() => messageMs[name]!.push(performance.now() - mStarted));
      // Let the message job reach the engine before the answer arrives.
      await new Promise((r) => setTimeout(r, 50));
      waits[name]!.push(await decide(t, answer, classifier));
      await running;
    }
  }
  const cbase = waits['threads 2, one job at a time (before)']!;
  for (const [name, xs] of Object.entries(waits)) {
    emit({
      bench: 'speech', part: 'answer-behind-message', model: `${kind} (random weights)`, answer_s: 1.6, message_s: 20, setting: name, runs: xs.length,
      ...summary(xs), message_p50_ms: pct(messageMs[name]!, 50),
      baseline: 'threads 2, one job at a time (before)', ratio_p50_vs_baseline: Math.round((pct(xs, 50) / pct(cbase, 50)) * 100) / 100,
      loadavg_1m_min: Math.min(...cloads), loadavg_1m_max: Math.max(...cloads),
    });
  }
  for (const t of Object.values(cs)) await t.close();
}

/** Part 2: PocketSphinx's two answer decodes, one after the other and at once, against one bare decode. */
async function pocketSphinx(classifier: RuleConsentClassifier): Promise<void> {
  const wav = encodeWav(clip(1.6));
  const ways = {
    'one bare decode (baseline)': new PocketSphinxTranscriber(),
    'answer, two decodes one after the other (before)': new PocketSphinxTranscriber({ parallelAnswerDecodes: false }),
    'answer, two decodes at once (now)': new PocketSphinxTranscriber({ parallelAnswerDecodes: true }),
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(ways).map((k) => [k, []]));
  const loads: number[] = [];
  for (let i = 0; i < CONSENT_RUNS; i++) {
    loads.push(load1m());
    for (const [name, t] of Object.entries(ways)) {
      if (name.startsWith('one bare')) {
        const started = performance.now();
        await t.transcribe(wav, { purpose: 'message' });
        times[name]!.push(performance.now() - started);
      } else {
        times[name]!.push(await decide(t, wav, classifier));
      }
    }
  }
  const base = times['one bare decode (baseline)']!;
  for (const [name, xs] of Object.entries(times)) {
    emit({
      bench: 'speech', part: 'pocketsphinx', answer_s: 1.6, setting: name, runs: xs.length, ...summary(xs),
      baseline: 'one bare decode', ratio_p50_vs_baseline: Math.round((pct(xs, 50) / pct(base, 50)) * 100) / 100,
      loadavg_1m_min: Math.min(...loads), loadavg_1m_max: Math.max(...loads),
    });
  }
}

async function main(): Promise<void> {
  emit({ bench: 'speech', cores: availableParallelism(), loadavg_at_start: loadavg().map((x) => Math.round(x * 100) / 100) });
  const consentClassifier = new RuleConsentClassifier();
  const parts = (process.env.BENCH_SPEECH_PARTS ?? 'consent,pocketsphinx,cli').split(',');
  if (parts.includes('consent')) for (const kind of ['tiny.en', 'base.en'] as const) await consentDecision(kind, consentClassifier);
  if (parts.includes('pocketsphinx')) await pocketSphinx(consentClassifier);
  if (!parts.includes('cli') || process.env.BENCH_SPEECH_CLI === '0') return;
  await cliComparison();
}

async function cliComparison(): Promise<void> {
  emit({ bench: 'speech', threads: THREADS, cores: availableParallelism(), binding: 'smart-whisper (in-process, model loaded once)', decoding: 'greedy, no fallback, 3 tokens/s, single segment' });
  emit({ bench: 'speech', loadavg_at_start: loadavg().map((x) => Math.round(x * 100) / 100) });
  const baseline = buildBaseline();
  const classifier = new RuleConsentClassifier();
  const clips = { '3s': clip(3), '20s': clip(20) };
  for (const kind of ['tiny.en', 'base.en'] as const) {
    const modelPath = model(kind);
    const t = new WhisperTranscriber({ modelPath, threads: THREADS, concurrency: 1, temperatureFallback: false, maxTokensPerSecond: 3, singleSegment: true });
    const loadStarted = performance.now();
    await t.load();
    const loadMs = Math.round(performance.now() - loadStarted);
    for (const [name, audio] of Object.entries(clips)) {
      const wav8 = encodeWav(audio);
      const purpose = name === '3s' ? 'consent-answer' : 'message';
      await t.transcribe(wav8, { purpose }); // warm-up: first-run allocations
      const decision: number[] = [];
      const engine: number[] = [];
      for (let i = 0; i < RUNS[name]!; i++) {
        const started = performance.now();
        const tr = await t.transcribe(wav8, { purpose });
        classifier.classify({ transcript: tr.text, confidence: tr.confidence.score });
        decision.push(performance.now() - started);
        engine.push(tr.elapsedMs);
      }
      const audioMs = (audio.samples.length / audio.sampleRate) * 1000;
      const row: Record<string, unknown> = {
        bench: 'speech', model: `${kind} (random weights)`, clip: name, purpose, runs: decision.length, model_load_ms: loadMs,
        decision_p50_ms: pct(decision, 50), decision_p95_ms: pct(decision, 95), rtf_p50: Math.round((pct(engine, 50) / audioMs) * 1000) / 1000,
      };
      if (baseline) {
        const wav16 = join(tmpdir(), `callkeeper-bench-${name}-${process.pid}.wav`);
        writeFileSync(wav16, encodeWav(resample(audio, 16000)));
        const params = t.params(audioMs, purpose);
        const runs = Array.from({ length: Math.max(3, Math.ceil(RUNS[name]! / 2)) }, () => runBaseline(baseline.bin, modelPath, wav16, params));
        const cliTranscribe = runs.map((r) => r.transcribeMs);
        const cliProcess = runs.map((r) => r.totalMs);
        Object.assign(row, {
          baseline: `whisper.cpp main (${baseline.version}, same version as the binding)`,
          baseline_transcribe_p50_ms: pct(cliTranscribe, 50),
          baseline_process_p50_ms: pct(cliProcess, 50),
          ratio_binding_vs_cli_transcribe: Math.round((pct(engine, 50) / pct(cliTranscribe, 50)) * 100) / 100,
          ratio_decision_vs_cli_process: Math.round((pct(decision, 50) / pct(cliProcess, 50)) * 100) / 100,
        });
      }
      emit({ ...row, loadavg_1m: Math.round(loadavg()[0]! * 100) / 100 });
    }
    await t.close();
  }
}

await main();
