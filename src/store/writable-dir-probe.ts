import { closeSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * Can this process write in a directory (recordings, prompts): by creating and removing a file, which
 * is the only honest answer (permission bits say nothing about ACLs, read-only mounts or a full
 * quota). A directory that does not exist yet is fine when its nearest existing ancestor is writable,
 * since the service creates it on first use. For `doctor`; it never creates the directory itself.
 */
export type DirProbe =
  | { readonly state: 'writable'; readonly path: string }
  | { readonly state: 'creatable'; readonly path: string; readonly ancestor: string }
  | { readonly state: 'not-writable'; readonly path: string; readonly reason: string }
  | { readonly state: 'not-a-directory'; readonly path: string; readonly blocker: string };

export function probeWritableDir(dir: string): DirProbe {
  const path = resolve(dir);
  let at = path;
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(at).isDirectory();
    } catch (e) {
      // ENOTDIR: a file stands where a parent directory should be; walk up to it and name it.
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return { state: 'not-writable', path, reason: errno(e) };
      const up = dirname(at);
      if (up === at) return { state: 'not-writable', path, reason: 'no existing ancestor' };
      at = up;
      continue;
    }
    if (!isDir) return { state: 'not-a-directory', path, blocker: at };
    const reason = tryWrite(at);
    if (reason !== null) return { state: 'not-writable', path, reason: at === path ? reason : `${at}: ${reason}` };
    return at === path ? { state: 'writable', path } : { state: 'creatable', path, ancestor: at };
  }
}

function tryWrite(dir: string): string | null {
  const probe = join(dir, `.callkeeper-doctor-${process.pid}-${Date.now()}`);
  try {
    closeSync(openSync(probe, 'wx', 0o600));
  } catch (e) {
    return errno(e);
  }
  try {
    unlinkSync(probe);
  } catch {
    // created but not removable: still writable; the stray empty file is harmless
  }
  return null;
}

function errno(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
