import type { z } from 'zod';

/**
 * The schema's key names, for naming the key a typo meant ("smpp.pasword: unknown key (did you mean
 * password?)") and for checking `CALLKEEPER_*` overrides against real settings.
 */
type Def = { type: string; innerType?: z.ZodType; shape?: Record<string, z.ZodType> };

const defOf = (s: z.ZodType): Def => (s as unknown as { _zod: { def: Def } })._zod.def;

/** The keys of the object at `path`, or null when no object is there. Optional and defaulted wrappers are looked through. */
export function keysAt(schema: z.ZodType, path: readonly string[]): string[] | null {
  let node: z.ZodType | undefined = schema;
  for (let i = 0; ; i++) {
    let def: Def = defOf(node);
    while (def.innerType && ['default', 'prefault', 'optional', 'nullable'].includes(def.type)) {
      node = def.innerType;
      def = defOf(node);
    }
    if (def.type !== 'object' || !def.shape) return null;
    if (i === path.length) return Object.keys(def.shape);
    node = def.shape[path[i]!];
    if (node === undefined) return null;
  }
}

/**
 * The known key closest to `key` by edit distance (case-insensitive), when close enough to be a typo:
 * at most a third of the key's length, and at least 2 edits allowed.
 */
export function closestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  const limit = Math.max(2, Math.floor(key.length / 3));
  for (const k of known) {
    const d = editDistance(key.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : null;
}

/** Levenshtein distance (insert, delete, substitute), two rows at a time. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_v, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length]!;
}
