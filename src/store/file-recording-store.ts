import { createHash } from 'node:crypto';
import { mkdir, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../domain/errors.ts';
import type { RecordingStore, StoredAudio } from '../domain/ports/recording-store.ts';

/**
 * Keeps the audio taken from the call engine on this host (message and consent-answer recordings), one
 * file per recording under `<dir>/<yyyy-mm-dd>/`, written to a temporary name, fsynced and renamed so a
 * crash never leaves half a file under the final name. Files are 0600: they hold callers' voices.
 */
export class FileRecordingStore implements RecordingStore {
  constructor(
    private readonly dir: string,
    private readonly now: () => number = Date.now,
  ) {}

  async save(name: string, wav: Buffer): Promise<StoredAudio> {
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(name)) {
      throw new AppError('INPUT.INVALID', 'recording name must be 1-200 characters of A-Z a-z 0-9 . _ -', { details: { name } });
    }
    const day = new Date(this.now()).toISOString().slice(0, 10);
    const folder = join(this.dir, day);
    await mkdir(folder, { recursive: true, mode: 0o700 });
    const finalPath = join(folder, name.endsWith('.wav') ? name : `${name}.wav`);
    const tmpPath = `${finalPath}.part`;
    const fh = await open(tmpPath, 'w', 0o600);
    try {
      await fh.writeFile(wav);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmpPath, finalPath);
    return { path: finalPath, sha256: createHash('sha256').update(wav).digest('hex'), bytes: wav.length };
  }
}
