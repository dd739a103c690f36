import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { TranscribePurpose, Transcriber, Transcript } from '../domain/ports/transcriber.ts';
import { resample } from './audio-resampler.ts';
import { BoundedJobQueue } from './bounded-job-queue.ts';
import { durationMs, encodeWav, parseWav } from './wav-codec.ts';

export interface PocketSphinxOptions {
  /** Default `pocketsphinx_batch` (Debian `pocketsphinx`). */
  readonly binary?: string;
  /** Default Debian `pocketsphinx-en-us`: /usr/share/pocketsphinx/model/en-us. */
  readonly modelDir?: string;
  /** A run that takes longer is killed: a 2-minute message decodes in well under this on one core. */
  readonly timeoutMs?: number;
  readonly concurrency?: number;
}

const PS_RATE = 16_000;

/** Debian's `pocketsphinx` and `pocketsphinx-en-us` packages (also what `doctor` looks for). */
export const POCKETSPHINX_DEFAULTS = { binary: 'pocketsphinx_batch', modelDir: '/usr/share/pocketsphinx/model/en-us' } as const;

/**
 * The fallback recognizer (issue 4): Debian's PocketSphinx 0.8 with its US English model, used when no
 * Whisper model is configured. `pocketsphinx_batch` decodes the whole file as one utterance, which reads
 * short answers better than `pocketsphinx_continuous` (whose voice-activity splitter clips them). It is
 * run without a shell, on a 16 kHz copy of the audio in a private temp directory.
 *
 * Consent answers are decoded twice: with the full language model and with a small grammar of answer
 * words. Either alone fails dangerously (measured: the language model heard espeak-ng's "no thanks" as
 * "okay"; a grammar forces any sound, noise included, onto one of its words). The grammar's words are
 * returned, and the confidence score is how far the two decodes agree (shared content words over all
 * content words), so a disagreement falls under the classifier's confidence threshold and never grants.
 * PocketSphinx's CLI gives no posterior: for messages the score is reported as 0.5, the rest null.
 */
export class PocketSphinxTranscriber implements Transcriber {
  readonly engine = 'pocketsphinx';
  readonly queue: BoundedJobQueue;
  private readonly binary: string;
  private readonly modelDir: string;

  constructor(private readonly opts: PocketSphinxOptions = {}) {
    this.binary = opts.binary ?? POCKETSPHINX_DEFAULTS.binary;
    this.modelDir = opts.modelDir ?? POCKETSPHINX_DEFAULTS.modelDir;
    this.queue = new BoundedJobQueue(Math.min(availableParallelism(), opts.concurrency ?? availableParallelism()));
  }

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript> {
    const audio = parseWav(wav);
    const audioMs = durationMs(audio);
    const pcm16k = encodeWav(resample(audio, PS_RATE));
    return this.queue.run(async () => {
      const started = performance.now();
      const dir = await mkdtemp(join(tmpdir(), 'callkeeper-ps-'));
      try {
        await writeFile(join(dir, 'utt.wav'), pcm16k);
        await writeFile(join(dir, 'ctl.txt'), 'utt\n');
        await writeFile(join(dir, 'answer.gram'), ANSWER_GRAMMAR);
        const free = await this.decode(dir, 'lm');
        let text = free;
        let score = 0.5;
        if (opts.purpose === 'consent-answer') {
          text = await this.decode(dir, 'grammar');
          score = agreement(free, text);
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
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    });
  }

  private async decode(dir: string, search: 'lm' | 'grammar'): Promise<string> {
    const m = this.modelDir;
    const hyp = join(dir, `hyp-${search}.txt`);
    const args = [
      '-hmm', join(m, 'en-us'), '-dict', join(m, 'cmudict-en-us.dict'),
      ...(search === 'lm' ? ['-lm', join(m, 'en-us.lm.bin')] : ['-jsgf', join(dir, 'answer.gram')]),
      // Read WAV files directly: skip the 44-byte RIFF header of the file we wrote.
      '-adcin', 'yes', '-adchdr', '44', '-cepdir', dir, '-cepext', '.wav',
      '-ctl', join(dir, 'ctl.txt'), '-hyp', hyp, '-logfn', join(dir, `ps-${search}.log`),
    ];
    await this.run(args);
    return parseHyp(await readFile(hyp, 'utf8'));
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

/**
 * The answer words (all in cmudict-en-us). Refusals and hedges are here as much as assents, so that a
 * "no" has somewhere to go; "uh"/"um" absorb noise and hesitation.
 */
const ANSWER_GRAMMAR = `#JSGF V1.0;
grammar consent;
public <answer> = <word>+;
<word> = yes | yeah | yep | sure | okay | fine | please | go ahead | absolutely | of course | that's fine | sounds good
  | no problem | thank you | thanks | no | nope | no thanks | no thank you | don't | do not | not | stop | never | call me
  | instead | maybe | what | why | i guess | whatever | i don't know | um | uh;
`;

const FILLERS = new Set(['uh', 'um']);

/** Shared content words of two decodes over all their content words (0 when either heard nothing). */
export function agreement(a: string, b: string): number {
  const set = (t: string): Set<string> => new Set(t.split(' ').filter((w) => w && !FILLERS.has(w)));
  const x = set(a);
  const y = set(b);
  if (x.size === 0 || y.size === 0) return 0;
  const shared = [...x].filter((w) => y.has(w)).length;
  return shared / new Set([...x, ...y]).size;
}

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
