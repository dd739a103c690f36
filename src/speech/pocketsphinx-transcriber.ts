import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { TranscribePurpose, Transcriber, Transcript } from '../domain/ports/transcriber.ts';
import { resample } from '../domain/audio/audio-resampler.ts';
import { BoundedJobQueue } from './bounded-job-queue.ts';
import { speechSchedule } from './speech-schedule.ts';
import { agreement, answerTranscript, type AnswerDecodes, type LmWord } from './pocketsphinx-answer-check.ts';
import { durationMs, encodeWav, parseWav } from '../domain/audio/wav-codec.ts';

export interface PocketSphinxOptions {
  /** Default `pocketsphinx_batch` (Debian `pocketsphinx`). */
  readonly binary?: string;
  /** Default Debian `pocketsphinx-en-us`: /usr/share/pocketsphinx/model/en-us. */
  readonly modelDir?: string;
  /** A run that takes longer is killed: a 2-minute message decodes in well under this on one core. */
  readonly timeoutMs?: number;
  /** Transcriptions of any kind at once; default cores - 1 (at least 1), leaving the answer lane (speech-schedule.ts). */
  readonly concurrency?: number;
  /** More transcriptions only consent answers may use. Default 1. */
  readonly answerLanes?: number;
  readonly maxQueued?: number;
  /**
   * Run an answer's two decodes at once (default) rather than one after the other. pocketsphinx_batch
   * loads the model on every run and cannot stay loaded, so at once halves what the caller waits for
   * when a core is free (src/speech/README.md, "PocketSphinx fallback"); false is the benchmark's baseline.
   */
  readonly parallelAnswerDecodes?: boolean;
  /** Time source for queue waits (the service's `Clock.now`). */
  readonly now?: () => number;
}

const PS_RATE = 16_000;
const NBEST = 10;

interface Decode {
  readonly text: string;
  readonly words: readonly LmWord[];
  readonly nbest: readonly string[];
}

/** Debian's `pocketsphinx` and `pocketsphinx-en-us` packages (also what `doctor` looks for). */
export const POCKETSPHINX_DEFAULTS = { binary: 'pocketsphinx_batch', modelDir: '/usr/share/pocketsphinx/model/en-us' } as const;

/**
 * The fallback recognizer: Debian's PocketSphinx 0.8 with its US English model, used when no Whisper
 * model is configured; `pocketsphinx_batch` without a shell, on a 16 kHz copy in a private temp dir.
 * Consent answers are decoded twice (language model and answer grammar) and judged by `judgeAnswer`
 * (pocketsphinx-answer-check.ts); why, and what was measured: src/speech/README.md, "PocketSphinx
 * fallback". The CLI gives no posterior: for messages the score is reported as 0.5, the rest null.
 */
export class PocketSphinxTranscriber implements Transcriber {
  readonly engine = 'pocketsphinx';
  readonly queue: BoundedJobQueue;
  private readonly binary: string;
  private readonly modelDir: string;

  constructor(private readonly opts: PocketSphinxOptions = {}) {
    this.binary = opts.binary ?? POCKETSPHINX_DEFAULTS.binary;
    this.modelDir = opts.modelDir ?? POCKETSPHINX_DEFAULTS.modelDir;
    // pocketsphinx_batch is single-threaded: one process per core, one core kept for answers.
    const s = speechSchedule(availableParallelism(), { threads: 1, concurrency: opts.concurrency, answerLanes: opts.answerLanes });
    this.queue = new BoundedJobQueue(s.concurrency, opts.maxQueued, opts.now, s.answerLanes);
  }

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose; signal?: AbortSignal }): Promise<Transcript> {
    const audio = parseWav(wav);
    const audioMs = durationMs(audio);
    const pcm16k = encodeWav(resample(audio, PS_RATE));
    return this.queue.run(async () => {
      const started = performance.now();
      let text: string;
      let score = 0.5;
      if (opts.purpose === 'consent-answer') {
        ({ text, score } = answerTranscript(await this.decodeAnswerNow(pcm16k)));
      } else {
        text = await this.withDir(pcm16k, async (dir) => (await this.decode(dir, 'lm', false)).text);
      }
      return {
        text,
        segments: text ? [{ startMs: 0, endMs: audioMs, text }] : [],
        engine: this.engine,
        model: 'en-us',
        audioMs,
        elapsedMs: Math.round(performance.now() - started),
        confidence: { score, avgLogProb: null, noSpeechProb: null },
      };
    }, { urgent: opts.purpose === 'consent-answer', ...(opts.signal ? { signal: opts.signal } : {}) });
  }

  /**
   * Both decodes of a consent answer (grammar words; free decode with posteriors and N-best), through
   * the queue. For measuring `judgeAnswer`'s rules on recorded decodes (pocketsphinx-consent-matrix.ts).
   */
  decodeAnswer(wav: Buffer): Promise<AnswerDecodes> {
    const pcm16k = encodeWav(resample(parseWav(wav), PS_RATE));
    return this.queue.run(() => this.decodeAnswerNow(pcm16k), { urgent: true });
  }

  private decodeAnswerNow(pcm16k: Buffer): Promise<AnswerDecodes> {
    return this.withDir(pcm16k, async (dir) => {
      const parallel = this.opts.parallelAnswerDecodes ?? true;
      const [free, grammar] = parallel
        ? await both(this.decode(dir, 'lm', true), this.decode(dir, 'grammar', false))
        : [await this.decode(dir, 'lm', true), await this.decode(dir, 'grammar', false)];
      return { grammar: grammar.text, lm: free.words, nbest: free.nbest };
    });
  }

  private async withDir<T>(pcm16k: Buffer, fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = await mkdtemp(join(tmpdir(), 'callkeeper-ps-'));
    try {
      await writeFile(join(dir, 'utt.wav'), pcm16k);
      await writeFile(join(dir, 'ctl.txt'), 'utt\n');
      await writeFile(join(dir, 'answer.gram'), ANSWER_GRAMMAR);
      return await fn(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  private async decode(dir: string, search: 'lm' | 'grammar', details: boolean): Promise<Decode> {
    const m = this.modelDir;
    const hyp = join(dir, `hyp-${search}.txt`);
    const ctm = join(dir, `ctm-${search}.txt`);
    const nbestDir = join(dir, `nbest-${search}`);
    const args = [
      '-hmm', join(m, 'en-us'), '-dict', join(m, 'cmudict-en-us.dict'),
      ...(search === 'lm' ? ['-lm', join(m, 'en-us.lm.bin')] : ['-jsgf', join(dir, 'answer.gram')]),
      // Read WAV files directly: skip the 44-byte RIFF header of the file we wrote.
      '-adcin', 'yes', '-adchdr', '44', '-cepdir', dir, '-cepext', '.wav',
      '-ctl', join(dir, 'ctl.txt'), '-hyp', hyp, '-logfn', join(dir, `ps-${search}.log`),
      // Word posteriors (CTM) and the N-best alternatives feed judgeAnswer; 10 is enough for its veto.
      ...(details ? ['-ctm', ctm, '-nbest', String(NBEST), '-nbestdir', nbestDir] : []),
    ];
    if (details) await mkdir(nbestDir);
    await this.run(args);
    const text = parseHyp(await readFile(hyp, 'utf8'));
    if (!details) return { text, words: [], nbest: [] };
    const nbest = await readFile(join(nbestDir, 'utt.hyp'), 'utf8').catch(() => '');
    return { text, words: parseCtm(await readFile(ctm, 'utf8')), nbest: parseNbest(nbest) };
  }

  private run(args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      let stderr = '';
      const child = spawn(this.binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-2000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), this.opts.timeoutMs ?? 60_000);
      child.on('error', (e: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        reject(new AppError('SPEECH.ENGINE_FAILED', e.code === 'ENOENT' ? `${this.binary} not found (install Debian pocketsphinx)` : `cannot run ${this.binary}: ${e.message}`, { cause: e }));
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (code === 0) resolve();
        else reject(new AppError('SPEECH.ENGINE_FAILED', `${this.binary} failed (${signal ?? `exit ${code}`})`, { retryable: true, details: { stderr } }));
      });
    });
  }

  async close(): Promise<void> {
    await this.queue.idle();
  }
}

/** Both results, after both settled: the temp dir is removed only once neither process uses it. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * The answer words (all in cmudict-en-us). Refusals and hedges are here as much as assents, so that a
 * "no" has somewhere to go; "uh"/"um" absorb noise and hesitation. No "no problem": the classifier
 * grants it, and this recognizer cannot tell it from "no thanks".
 */
const ANSWER_GRAMMAR = `#JSGF V1.0;
grammar consent;
public <answer> = <word>+;
<word> = yes | yeah | yep | sure | okay | fine | please | go ahead | absolutely | of course | that's fine | sounds good
  | thank you | thanks | no | nope | no thanks | no thank you | don't | do not | not | stop | never | call me
  | instead | maybe | what | why | i guess | whatever | i don't know | um | uh;
`;

export { agreement };

/** A hyp line is `words words (uttid score)`; fillers like <sil> or [NOISE] are dropped. */
export function parseHyp(hyp: string): string {
  const line = hyp.split('\n')[0] ?? '';
  return line
    .replace(/\s*\([^()]*\)\s*$/, '')
    .split(/\s+/)
    .filter((w) => w && !/^[<[]/.test(w))
    .map((w) => w.replace(/\(\d+\)$/, ''))
    .join(' ');
}

/** CTM lines are `uttid channel start duration word posterior`; fillers and sentence markers are dropped. */
export function parseCtm(ctm: string): LmWord[] {
  const out: LmWord[] = [];
  for (const line of ctm.split('\n')) {
    const [, , , , raw, p] = line.trim().split(/\s+/);
    if (!raw || /^[<[]/.test(raw)) continue;
    const posterior = Number(p);
    out.push({ word: raw.replace(/\(\d+\)$/, ''), posterior: Number.isFinite(posterior) ? posterior : 0 });
  }
  return out;
}

/** N-best lines are `words words score`; the words are cleaned as in a hyp line. */
export function parseNbest(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/\s+-?\d+$/, ''))
    .filter((line) => line !== '')
    .map((line) => parseHyp(line));
}
