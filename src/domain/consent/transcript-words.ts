/**
 * The words of a transcript as the lexicon reads them (one role): lower case, ASCII apostrophes, the recognizer's
 * spellings and two-word slips mapped to the words meant, "text" as writing read as "wording" (consent-lexicon.ts holds
 * the lists). Used by the classifier on every answer and on every part of one it reads again.
 */
import { OPENING_SLIPS, readAsWriting, SLIPS, SPELLING } from './consent-lexicon.ts';

/** Lower case, ASCII apostrophes, hyphens as spaces, punctuation dropped, common ASR spellings mapped. */
export function normalize(text: string): string[] {
  const cleaned = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02bc`]/g, "'")
    // "100%" as Whisper writes "a hundred percent"
    .replace(/\b100\s*%/g, ' 100 percent ')
    .replace(/[-\u2013\u2014_/]/g, ' ')
    .replace(/[^a-z0-9' ]+/g, ' ');
  const out: string[] = [];
  for (const raw of cleaned.split(/\s+/)) {
    const w = raw.replace(/^'+|'+$/g, '');
    if (w === '') continue;
    const mapped = SPELLING[w] ?? w;
    out.push(...mapped.split(' '));
  }
  return unslipped(out);
}

/**
 * The recognizer's slips over two words mapped to the phrase meant (consent-lexicon.ts, SLIPS), and a slip at the
 * very start ("shore that's fine") when a word that can go on to an answer follows it.
 */
function unslipped(words: readonly string[]): string[] {
  const out: string[] = [];
  words = readAsWriting(words);
  for (let i = 0; i < words.length; i++) {
    const meant = SLIPS[`${words[i]} ${words[i + 1] ?? ''}`];
    // after a determiner or a preposition the words are garbled or a place, not a phrase ("yes the texas me find",
    // "I live in texas me and my wife")
    if (meant !== undefined && !NOT_BEFORE_A_SLIP.has(words[i - 1] ?? '')) {
      out.push(...meant.split(' '));
      i++;
    } else out.push(words[i]!);
  }
  const first = OPENING_SLIPS[out[0] ?? ''];
  if (first !== undefined && out.length > 1 && SLIP_CONTINUES.has(out[1]!)) out[0] = first;
  return out;
}
const NOT_BEFORE_A_SLIP = new Set(['the', 'a', 'an', 'my', 'your', 'this', 'that', 'his', 'her', 'their', 'our', 'in', 'from', 'to', 'at', 'of', 'near', 'for', 'out', 'around', 'through']);
/** What may follow an opening slip ("shore that's fine", "yet go ahead"); "yet" before anything else stays "yet". */
const SLIP_CONTINUES = new Set(['that\'s', 'go', 'text', 'you', 'please', 'sure', 'okay', 'sounds', 'thing']);
