import { createReadStream } from 'node:fs';
import { resolve } from 'node:path';
import type { OpenedRecording, RecordingReader } from '../domain/ports/recording-reader.ts';
import { openRegularUnderRoots } from './path-under-roots.ts';

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
    const opened = openRegularUnderRoots(path, this.roots);
    if (typeof opened === 'string') return opened;
    return { size: opened.size, stream: createReadStream('', { fd: opened.fd, autoClose: true }) };
  }
}
