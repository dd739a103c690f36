import { gsm7Cost, isGsm7 } from './gsm7-alphabet.ts';

/**
 * How a text goes on the air: GSM-7 when every character has a GSM-7 form, else UCS-2; and where it is
 * split. Limits from 3GPP TS 23.040: 160 septets / 70 UCS-2 units in one SMS; with the 6-octet
 * concatenation UDH, 153 septets / 67 units per part. A part never ends between an escape and its
 * extension character, nor between the two halves of a surrogate pair (an emoji).
 */
export type SmsEncoding = 'gsm7' | 'ucs2';

export interface SegmentedText {
  readonly encoding: SmsEncoding;
  /** Septets (GSM-7) or UTF-16 code units (UCS-2) of the whole text. */
  readonly units: number;
  readonly parts: readonly string[];
}

export const SINGLE_LIMIT: Readonly<Record<SmsEncoding, number>> = { gsm7: 160, ucs2: 70 };
export const PART_LIMIT: Readonly<Record<SmsEncoding, number>> = { gsm7: 153, ucs2: 67 };

function unitCost(ch: string, encoding: SmsEncoding): number {
  return encoding === 'gsm7' ? (gsm7Cost(ch) ?? 1) : ch.length;
}

export function segmentText(text: string): SegmentedText {
  const encoding: SmsEncoding = isGsm7(text) ? 'gsm7' : 'ucs2';
  const chars = [...text]; // code points: a surrogate pair stays one element
  const units = chars.reduce((n, ch) => n + unitCost(ch, encoding), 0);
  if (units <= SINGLE_LIMIT[encoding]) return { encoding, units, parts: [text] };
  const limit = PART_LIMIT[encoding];
  const parts: string[] = [];
  let cur = '';
  let used = 0;
  for (const ch of chars) {
    const c = unitCost(ch, encoding);
    if (used + c > limit) {
      parts.push(cur);
      cur = '';
      used = 0;
    }
    cur += ch;
    used += c;
  }
  if (cur) parts.push(cur);
  return { encoding, units, parts };
}

/**
 * Replaces typographic characters that have plain GSM-7 equivalents, so a template pasted from a word
 * processor still goes out as GSM-7 (one 160-char part instead of a 70-char UCS-2 one). Letters with
 * accents are left alone: changing a name is worse than a UCS-2 text.
 */
const GSM_SAFE: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u2018\u2019\u201a\u201b\u2032\u00b4`]/g, "'"],
  [/[\u201c\u201d\u201e\u201f\u2033]/g, '"'],
  [/[\u2010\u2011\u2012\u2013\u2014\u2015\u2212]/g, '-'],
  [/\u2026/g, '...'],
  [/[\u00a0\u2007\u202f\u2009\u200a]/g, ' '],
  [/[\u200b\u200c\u200d\ufeff]/g, ''],
  [/\u2022/g, '-'],
];

export function toGsmSafe(text: string): string {
  let s = text;
  for (const [re, to] of GSM_SAFE) s = s.replace(re, to);
  return s;
}
