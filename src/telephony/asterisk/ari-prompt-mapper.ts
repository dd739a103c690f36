import { posix, relative, sep } from 'node:path';
import type { PromptRef } from '../../domain/ports/call-engine.ts';

/**
 * Maps a prompt file on this host to the media URI Asterisk plays: `sound:<dir>/<name>` with no
 * extension (Asterisk picks the `.wav` itself and plays 8 kHz 16-bit mono as `slin`; test/fixtures/asterisk/traces/README.md, point 15).
 *
 * Same host: the absolute local path is used as is; Asterisk must be able to read it.
 * Asterisk on another host: the prompts directory is shared with it (NFS, rsync, a bind mount) and
 * `promptsEngineDir` is that directory as Asterisk sees it; files are addressed relative to
 * `promptsDir`, the local side of the same directory.
 */
export interface PromptMapping {
  readonly promptsDir?: string;
  readonly promptsEngineDir?: string;
  /**
   * callkeeper's own beep, played before a recording instead of ARI's `beep` option (the `beep` sound
   * file, missing on an Asterisk without sound packages: src/speech/beep-prompt.ts). Unset: ARI's beep.
   */
  readonly beepPrompt?: PromptRef;
}

export function promptMediaUri(prompt: PromptRef, m: PromptMapping): string {
  const withoutExt = prompt.file.replace(/\.wav$/i, '');
  if (m.promptsEngineDir && m.promptsDir) {
    const rel = relative(m.promptsDir, withoutExt);
    if (!rel.startsWith('..')) return `sound:${posix.join(m.promptsEngineDir, rel.split(sep).join('/'))}`;
  }
  if (m.promptsEngineDir && !m.promptsDir) {
    return `sound:${posix.join(m.promptsEngineDir, posix.basename(withoutExt.split(sep).join('/')))}`;
  }
  return `sound:${withoutExt}`;
}
