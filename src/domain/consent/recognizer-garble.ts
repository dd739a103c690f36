/**
 * Recognizer output that is no answer, whatever yes-word is in it: a loop on noise ("the pipe the pipe the pipe …",
 * "Sure. Sure. Sure. Sure. Sure. Sure.", "Thank you. Thank you. Thank you. Yes.", "You you you yes.") and word salad
 * around a yes ("yes a yes the yes a yes", "yes text the yes next"). dev-62's and dev-68's false opt-ins, written
 * blind (test/fixtures/consent-answers/README.md).
 */

/** Determiners: a yes-word is not said right after one ("the yes", "a yes"), but after a copula ("that's a yes"). */
const DETERMINERS: ReadonlySet<string> = new Set(['the', 'a', 'an']);
const COPULAS: ReadonlySet<string> = new Set(['that\'s', 'it\'s', 'is', 'was', 'that\'ll', 'it\'ll', 'be', 'here\'s', 'there\'s', 'that', 'it', 'say', 'said']);
/** Whisper's words of silence: said three times in a row they are its loop ("you you you"); a stutter ("i i i", "the the") is no loop. */
const HALLUCINATED: ReadonlySet<string> = new Set(['you', 'bye', 'thanks']);
/** How often a word or a short phrase said in a row makes a loop. */
const LOOP = 3;

/**
 * The same few words over and over, or one word four times or more with nothing else, unless that word refuses ("no
 * no no no" is a refusal said hard, not a loop).
 */
export function repetitive(words: readonly string[], refuses: (word: string) => boolean): boolean {
  return (words.length >= 8 && new Set(words).size / words.length < 0.3) || (words.length >= 4 && new Set(words).size === 1 && !refuses(words[0]!));
}

/**
 * Word salad or a loop around a yes: a yes-word right after a determiner ("yes a yes the yes"; not "that's a yes"); a
 * phrase of two or three words said three times in a row ("thank you thank you thank you"); one of Whisper's words of
 * silence said three times in a row ("you you you"; "yes yes yes" is a yes said hard, "i i i" a stutter).
 */
export function garbled(words: readonly string[], decides: (word: string) => boolean): boolean {
  // `decides`: the word agrees or refuses
  const yesAfterDeterminer = (w: string, k: number): boolean =>
    // "the the yeah that works": a stutter before the answer
    k > 0 && DETERMINERS.has(words[k - 1]!) && !COPULAS.has(words[k - 2] ?? '') && words[k - 2] !== words[k - 1] && decides(w) && (w === 'yes' || w === 'yeah' || w === 'sure');
  if (words.some(yesAfterDeterminer)) return true;
  for (let n = 1; n <= 3; n++) {
    for (let k = 0; k + n * LOOP <= words.length; k++) {
      const phrase = words.slice(k, k + n).join(' ');
      if (n === 1 && !HALLUCINATED.has(words[k]!)) continue;
      let times = 1;
      while (times < LOOP && words.slice(k + n * times, k + n * (times + 1)).join(' ') === phrase) times++;
      if (times >= LOOP) return true;
    }
  }
  return false;
}
