/**
 * The GSM 03.38 (3GPP TS 23.038) default alphabet and its extension table. Position = septet value.
 * Needed because the `smpp` package guesses encodings on its own: we decide GSM-7 vs UCS-2
 * ourselves, so the decision, the part count and the wire bytes all come from this one table.
 * Note what is NOT here: `á`, `í`, `ó`, `ú`, `ç` (lower case), curly quotes and dashes.
 */
export const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';

/** Extension table: character → septet sent after the 0x1B escape (each costs two septets). */
export const GSM7_EXTENSION: Readonly<Record<string, number>> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};

export const GSM7_ESCAPE = 0x1b;

const BASIC_INDEX: ReadonlyMap<string, number> = new Map([...GSM7_BASIC].map((c, i) => [c, i] as const));
const EXT_DECODE: ReadonlyMap<number, string> = new Map(Object.entries(GSM7_EXTENSION).map(([c, v]) => [v, c] as const));

/** Septets one character costs in GSM-7, or null when it has no GSM-7 form. */
export function gsm7Cost(ch: string): 1 | 2 | null {
  if (ch !== '\u001b' && BASIC_INDEX.has(ch)) return 1;
  if (ch in GSM7_EXTENSION) return 2;
  return null;
}

export function isGsm7(text: string): boolean {
  for (const ch of text) if (gsm7Cost(ch) === null) return false;
  return true;
}

/** Unpacked septets (one per octet), as SMPP carries data_coding 0. Throws on a non-GSM character. */
export function encodeGsm7(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const b = ch === '\u001b' ? undefined : BASIC_INDEX.get(ch);
    if (b !== undefined) out.push(b);
    else {
      const e = GSM7_EXTENSION[ch];
      if (e === undefined) throw new RangeError('character has no GSM-7 form');
      out.push(GSM7_ESCAPE, e);
    }
  }
  return Uint8Array.from(out);
}

export function decodeGsm7(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]! & 0x7f;
    if (b === GSM7_ESCAPE && i + 1 < bytes.length) {
      s += EXT_DECODE.get(bytes[++i]! & 0x7f) ?? ' ';
    } else s += GSM7_BASIC[b] ?? ' ';
  }
  return s;
}
