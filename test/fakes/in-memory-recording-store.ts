import { createHash } from 'node:crypto';
import type { RecordingStore, StoredAudio } from '../../src/domain/ports/recording-store.ts';
import type { Journal } from './journal.ts';

/** Keeps recordings in memory under `mem://recordings/<name>.wav`. `failOn(name)` makes saves throw. */
export class InMemoryRecordingStore implements RecordingStore {
  readonly files = new Map<string, Buffer>();
  readonly #journal: Journal | undefined;
  readonly #failOn: ((name: string) => boolean) | undefined;

  constructor(opts: { readonly journal?: Journal; readonly failOn?: (name: string) => boolean } = {}) {
    this.#journal = opts.journal;
    this.#failOn = opts.failOn;
  }

  async save(name: string, wav: Buffer): Promise<StoredAudio> {
    if (this.#failOn?.(name) === true) throw new Error('scripted recording store failure');
    const path = `mem://recordings/${name}.wav`;
    this.files.set(path, wav);
    this.#journal?.add('recording.save', null, path);
    return { path, sha256: createHash('sha256').update(wav).digest('hex'), bytes: wav.length };
  }
}
