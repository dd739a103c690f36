import { closeSync, constants, createReadStream, fstatSync, openSync, realpathSync } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { OpenedRecording, RecordingReader } from '../domain/ports/recording-reader.ts';

const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Opens recordings for the console's players with the evidence writer's rule (fs-evidence-writer.ts):
 * only a regular file whose real path lies under a recordings directory; an imported record naming any
 * other file is refused, a purged one is missing.
 */
export class FsRecordingReader implements RecordingReader {
  private readonly roots: readonly string[];

  constructor(opts: { roots: readonly string[] }) {
    this.roots = opts.roots.map((r) => resolve(r));
  }

  open(path: string): OpenedRecording {
    let real: string;
    try {
      real = realpathSync(path);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'refused';
    }
    if (!this.underRoot(real)) return 'refused';
    let fd: number;
    try {
      fd = openSync(real, constants.O_RDONLY | NOFOLLOW | constants.O_NONBLOCK);
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'refused';
    }
    const st = fstatSync(fd);
    if (!st.isFile()) {
      closeSync(fd);
      return 'refused';
    }
    return { size: st.size, stream: createReadStream('', { fd, autoClose: true }) };
  }

  private underRoot(real: string): boolean {
    for (const r of this.roots) {
      let root: string;
      try {
        root = realpathSync(r);
      } catch {
        continue;
      }
      if (real.startsWith(root + sep)) return true;
    }
    return false;
  }
}
