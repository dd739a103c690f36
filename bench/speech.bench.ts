/**
 * Speech benchmark: for tiny.en- and base.en-shaped random-weight models, on a 3 s and a 20 s
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
import { WhisperTranscriber } from '../src/speech/whisper-transcriber.ts';
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
  const out = new Float32Array(seconds * 8000);
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

async function main(): Promise<void> {
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
