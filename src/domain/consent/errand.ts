import { namesTexts, type Token } from './answer-shape.ts';

/** Verbs of an errand: placing, fetching or taking something ("leave the box by the garage", "take my truck"). */
const ERRAND_VERBS: ReadonlySet<string> = new Set(['leave', 'put', 'set', 'drop', 'bring', 'take', 'grab', 'hand', 'pass', 'carry', 'stick', 'toss']);
/** What may stand between the yes and the errand's verb ("that's fine, just leave it", "yes and take it"). */
const BEFORE_THE_VERB: ReadonlySet<string> = new Set(['just', 'and', 'please', 'so', 'then']);
/** Where the yes ends: the errand's verb opens a clause of its own after it. */
const OPENERS = new Set<Token['tag']>(['affirm', 'filler', 'backchannel', 'polite']);

/**
 * An errand said after the yes: "Mm-hmm, yeah, that's fine, leave the box by the garage.", "uh huh yeah that's fine just
 * leave it on the porch thank you", "yeah go ahead and take my truck" (dev-62's false opt-ins, written blind). The yes
 * is to whoever runs the errand, someone present or a delivery at the door, not to the texts. Not when the texts are
 * named anywhere in the answer ("yes please, drop me a text"); a correction to a child ("put that down") is read apart
 * (statement-beside-consent.ts).
 */
export function errandSpoken(tokens: readonly Token[]): boolean {
  if (namesTexts(tokens)) return false;
  // each word with its token's tag
  const flat = tokens.flatMap((t) => t.words);
  const tags = tokens.flatMap((t) => t.words.map(() => t.tag));
  for (let k = 1; k < flat.length - 1; k++) {
    // "take care", "take your time": a farewell, a kindness
    if (!ERRAND_VERBS.has(flat[k]!) || (flat[k] === 'take' && (flat[k + 1] === 'care' || flat[k + 1] === 'your'))) continue;
    let j = k - 1;
    while (j >= 0 && BEFORE_THE_VERB.has(flat[j]!)) j--;
    if (j >= 0 && OPENERS.has(tags[j]!)) return true;
  }
  return false;
}
