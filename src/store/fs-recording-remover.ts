import { realpath, rmdir, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { RecordingRemover, RemoveResult } from '../domain/ports/recording-remover.ts';

/**
 * Deletes recording files for the retention purge, only inside the given recordings directories
 * (`recordings.dir`, and FreeSWITCH's `localRecordingsDir` when set). The containment check uses real
 * paths, so a symlinked folder inside a root cannot lead the purge out of it. Empty day folders left
 * behind (`<dir>/<yyyy-mm-dd>/`) are removed too; roots themselves never are.
 */
export class FsRecordingRemover implements RecordingRemover {
  private readonly roots: readonly string[];

  constructor(roots: readonly string[]) {
    this.roots = roots.map((r) => resolve(r));
  }

  async inspect(path: string): Promise<'present' | 'missing' | 'refused'> {
    const place = await this.locate(path);
    if (place === 'missing' || place === 'refused') return place;
    try {
      return (await stat(join(place.dir, basename(path)))).isFile() ? 'present' : 'missing';
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw e;
    }
  }

  async remove(path: string): Promise<RemoveResult> {
    const place = await this.locate(path);
    if (place === 'missing' || place === 'refused') return place;
    const { dir, root } = place;
    try {
      await unlink(join(dir, basename(path)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw e;
    }
    if (dir !== root) await rmdir(dir).catch(() => undefined); // not empty yet, or raced: fine
    return 'removed';
  }

  /** The file's real folder and the root holding it; `missing` when the folder is gone. */
  private async locate(path: string): Promise<{ dir: string; root: string } | 'missing' | 'refused'> {
    let dir: string;
    try {
      dir = await realpath(dirname(resolve(path)));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
      throw e;
    }
    const root = await this.rootOf(dir);
    return root === null ? 'refused' : { dir, root };
  }

  /** The real path of the root holding `dir`, or null. */
  private async rootOf(dir: string): Promise<string | null> {
    for (const r of this.roots) {
      const real = await realpath(r).catch(() => null);
      if (real !== null && (dir === real || dir.startsWith(real + sep))) return real;
    }
    return null;
  }
}
