import { closeSync, constants, fstatSync, openSync, realpathSync } from 'node:fs';
import { sep } from 'node:path';

/** Linux has it; where the platform does not, the realpath check before the open still holds. */
const NOFOLLOW = constants.O_NOFOLLOW ?? 0;

/**
 * Whether `real` (an already resolved path) lies strictly inside one of `roots`, each taken by its own
 * real path. A root that does not exist holds nothing; "/a/rootX" is not inside "/a/root".
 */
export function isUnderRoots(real: string, roots: readonly string[]): boolean {
  for (const r of roots) {
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

/**
 * Opens `path` read-only when its real path, after every symlink, is a regular file under one of
 * `roots` (the rule of fs-evidence-writer.ts and fs-recording-reader.ts): gone is 'missing', anything
 * else is 'refused'. The resolved path is opened without following a link swapped in since, and
 * non-blocking so a FIFO cannot hang the caller. The caller owns (and must close) the returned fd.
 */
export function openRegularUnderRoots(path: string, roots: readonly string[]): { fd: number; size: number } | 'missing' | 'refused' {
  let real: string;
  try {
    real = realpathSync(path);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing' : 'refused';
  }
  if (!isUnderRoots(real, roots)) return 'refused';
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
  return { fd, size: st.size };
}
