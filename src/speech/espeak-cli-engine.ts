import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { SpeechEngine } from './speech-engine.ts';
import { parseWav, type PcmAudio } from '../domain/audio/wav-codec.ts';

/**
 * The system `espeak-ng` (Debian package). Run without a shell; the text goes in on stdin, so a prompt
 * that starts with "-" is never read as an option.
 */
export class EspeakCliEngine implements SpeechEngine {
  readonly name = 'espeak-ng';

  constructor(private readonly binary = 'espeak-ng') {}

  async render(text: string, opts: { voice: string; wordsPerMinute: number }): Promise<PcmAudio> {
    const dir = await mkdtemp(join(tmpdir(), 'callkeeper-espeak-'));
    const out = join(dir, 'out.wav');
    try {
      await new Promise<void>((resolve, reject) => {
        const child = spawn(this.binary, ['-v', opts.voice, '-s', String(opts.wordsPerMinute), '-w', out, '--stdin'], { stdio: ['pipe', 'ignore', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-1000)));
        child.on('error', (e: NodeJS.ErrnoException) =>
          reject(new AppError('SPEECH.SYNTH_FAILED', e.code === 'ENOENT' ? `${this.binary} not found` : `cannot run ${this.binary}: ${e.message}`, { cause: e })),
        );
        child.on('close', (code) => (code === 0 ? resolve() : reject(new AppError('SPEECH.SYNTH_FAILED', `${this.binary} failed (exit ${code})`, { details: { stderr } }))));
        child.stdin.end(text);
      });
      return parseWav(await readFile(out));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}
