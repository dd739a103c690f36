import { AppError } from '../domain/errors.ts';
import type { SpeechEngine } from './speech-engine.ts';
import type { PcmAudio } from '../domain/audio/wav-codec.ts';

interface EspeakWorker {
  set_voice(voice: string): unknown;
  set_rate(wpm: number): unknown;
  get_samplerate(): number;
  synthesize(text: string, cb: (audio: Int16Array | undefined, events: unknown) => number): unknown;
}

/**
 * eSpeak NG compiled to WebAssembly (@echogarden/espeak-ng-emscripten): the default engine, since it
 * needs no system package. Initialised once (about 0.2 s) and kept; synthesis is synchronous inside the
 * module, so calls never overlap.
 */
export class EspeakWasmEngine implements SpeechEngine {
  readonly name = 'espeak-ng-wasm';
  private worker: Promise<EspeakWorker> | undefined;

  private load(): Promise<EspeakWorker> {
    this.worker ??= (async () => {
      // The package ships no type declarations; the specifier is a variable so tsc does not look for them.
      const specifier = '@echogarden/espeak-ng-emscripten';
      const mod = (await import(specifier)) as unknown as { default: () => Promise<{ eSpeakNGWorker: new () => EspeakWorker }> };
      const m = await mod.default();
      return new m.eSpeakNGWorker();
    })().catch((e: unknown) => {
      this.worker = undefined;
      throw new AppError('SPEECH.SYNTH_FAILED', `cannot start espeak-ng (wasm): ${(e as Error).message}`, { cause: e });
    });
    return this.worker;
  }

  async render(text: string, opts: { voice: string; wordsPerMinute: number }): Promise<PcmAudio> {
    const w = await this.load();
    w.set_voice(opts.voice);
    w.set_rate(opts.wordsPerMinute);
    const chunks: Int16Array[] = [];
    try {
      w.synthesize(text, (audio) => {
        if (audio && audio.length) chunks.push(audio);
        return 0;
      });
    } catch (e) {
      throw new AppError('SPEECH.SYNTH_FAILED', `espeak-ng (wasm) failed: ${(e as Error).message}`, { cause: e });
    }
    const n = chunks.reduce((a, c) => a + c.length, 0);
    if (n === 0) throw new AppError('SPEECH.SYNTH_FAILED', 'espeak-ng (wasm) produced no audio');
    const samples = new Float32Array(n);
    let off = 0;
    for (const c of chunks) for (let i = 0; i < c.length; i++) samples[off++] = c[i]! / 32768;
    return { sampleRate: w.get_samplerate(), samples };
  }
}
