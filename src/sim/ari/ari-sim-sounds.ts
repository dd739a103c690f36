import { existsSync, openSync, readSync, closeSync } from 'node:fs';
import { join } from 'node:path';

/**
 * How long the simulated Asterisk plays a media URI: a number of ms, `null` for a missing sound
 * (201, PlaybackStarted, then PlaybackFinished `failed`), or `'never'` for an unknown scheme
 * (201, PlaybackStarted, then nothing ever: traces 05; test/fixtures/asterisk/traces/README.md, point 3).
 */
export type MediaLength = number | null | 'never';

/** Lengths of the stock sounds the traces use, for hosts without asterisk-core-sounds-en-wav. */
const STOCK_MS: Readonly<Record<string, number>> = {
  'hello-world': 1400,
  'vm-goodbye': 860,
  'vm-options': 6900,
  beep: 420,
};

export class SimSounds {
  private readonly cache = new Map<string, number | null>();

  constructor(
    private readonly soundsDirs: readonly string[],
    private readonly storedLengthMs: (name: string) => number | null,
  ) {}

  lengthOf(mediaUri: string): MediaLength {
    const colon = mediaUri.indexOf(':');
    const scheme = colon < 0 ? '' : mediaUri.slice(0, colon);
    const target = mediaUri.slice(colon + 1);
    switch (scheme) {
      case 'sound':
        return this.soundLength(target);
      case 'recording':
        return this.storedLengthMs(target);
      case 'digits':
      case 'characters':
        return 500 * target.length;
      case 'number':
        return 1000;
      case 'tone':
        return 'never';
      default:
        return 'never';
    }
  }

  private soundLength(name: string): number | null {
    const hit = this.cache.get(name);
    if (hit !== undefined) return hit;
    const candidates = name.startsWith('/') ? [`${name}.wav`] : this.soundsDirs.map((d) => join(d, `${name}.wav`));
    let ms: number | null = null;
    for (const file of candidates) {
      if (existsSync(file)) {
        ms = wavHeaderDurationMs(file);
        break;
      }
    }
    if (ms === null && !name.startsWith('/')) ms = STOCK_MS[name] ?? null;
    this.cache.set(name, ms);
    return ms;
  }
}

/** Reads only the header: prompts can be long and the simulator only needs their length. */
function wavHeaderDurationMs(file: string): number | null {
  const fd = openSync(file, 'r');
  try {
    const head = Buffer.alloc(4096);
    const n = readSync(fd, head, 0, head.length, 0);
    let offset = 12;
    let byteRate = 0;
    while (offset + 8 <= n) {
      const id = head.toString('ascii', offset, offset + 4);
      const size = head.readUInt32LE(offset + 4);
      if (id === 'fmt ') byteRate = head.readUInt32LE(offset + 8 + 8);
      if (id === 'data') return byteRate > 0 ? Math.round((size * 1000) / byteRate) : null;
      offset += 8 + size + (size % 2);
    }
    return null;
  } finally {
    closeSync(fd);
  }
}
