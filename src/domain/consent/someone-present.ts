/**
 * Words said to someone present after the consent phrase: a child or a dog corrected, with or without an apology to the
 * caller's listener ("Yes, that's fine. Jayden, put that down!", "sure text me kayla put that down sorry"). Read by the
 * statement reading (statement-beside-consent.ts; README.md, "A statement beside the consent phrase").
 */
import type { AnswerReader } from './before-the-answer.ts';
import { FIRST_NAMES, PEOPLE } from './disqualifier-phrases.ts';
import { NUMBER_WORD, WORDS_THAT_QUALIFY } from './statement-words.ts';

const FIRST_NAME_SET: ReadonlySet<string> = new Set(FIRST_NAMES);
const PEOPLE_NOUNS: ReadonlySet<string> = new Set(PEOPLE);

/** An apology that closes words said to someone present ("Buddy, get down! Sorry.", "kayla put that down sorry"). */
const APOLOGY_AT_END = /^(.+?)[\s,.!]+sorry(?: about that| about the noise| for that)?(?:[\s,.!]+(.+?))?[.!]?$/is;
/** What words to someone present may hold beside the plain words of a statement: a name, an endearment, an order to a child or a dog. */
const TO_SOMEONE_PRESENT = new Set(['honey', 'sweetie', 'babe', 'baby', 'buddy', 'kiddo', 'sweetheart', 'hon', 'go', 'get', 'come', 'here', 'right', 'now', 'please', 'hold', 'still', 'wait']);

/**
 * Words said to someone present after the consent phrase: a correction (`aCorrection`, no apology needed), or words
 * closed by an apology to the caller's listener and perhaps the answer said again: "Yes, that's fine. Buddy, get down!
 * Sorry, the dog.", "sure text me kayla put that down sorry", "Sure, text me. Hold still, buddy. Sorry, go ahead.". The
 * words may name the child or the dog and give an order, but hold nothing else that could qualify the answer (no
 * refusal, no other channel or person to text, no number, no question).
 */
export function wordsToSomeonePresent(text: string, r: AnswerReader): boolean {
  if (/\?/.test(text)) return false;
  if (aCorrection(text, r)) return true;
  const m = APOLOGY_AT_END.exec(text.trim().replace(/[,.!]?\s*(?:(?:about|for) )?(?:the|my) (?:dog|dogs|kids|kid|baby|noise)[.!]?$/i, ''));
  if (m === null) return false;
  // after the apology only the answer said again may follow ("Hold still, buddy. Sorry, go ahead.")
  if (m[2] !== undefined && !r.grants(m[2])) return false;
  if (aCorrection(m[1]!, r)) return true;
  const words = r.words(m[1]!).map((w) => w.replace(/'s$/, ''));
  if (words.length < 2 || words.length > 12) return false;
  return words.every((w) => !(WORDS_THAT_QUALIFY.has(w) || /n't$/.test(w) || NUMBER_WORD.test(w)) || TO_SOMEONE_PRESENT.has(w) || FIRST_NAME_SET.has(w));
}

/**
 * What a parent says to stop a child or a dog: corrections only, never a permission ("go play", "go outside", "you can"
 * may be the yes said to them), a pause ("wait", "hold on", "not now") or "no", "stop" and "quit" (a refusal, the
 * opt-out words). Whole corrections, and the verbs that open one ("put the cat down", "get your feet off the table").
 */
const CORRECTIONS: ReadonlySet<string> = new Set(['hush', 'shh', 'shush', 'quiet', 'down', 'gentle', 'hold still', 'off the counter', 'off the table', 'leave it', 'drop it']);
/** Each verb that opens a correction, with the words that make it one ("put that down", "leave your sister alone"). */
const CORRECTING_VERBS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries({
    put: ['down', 'back'], get: ['down', 'off', 'out', 'away'], leave: ['alone'], drop: ['it', 'that'], sit: ['down', 'still'], settle: ['down'],
    calm: ['down'], knock: ['off'], cut: ['out'], be: ['quiet', 'nice', 'gentle', 'good', 'still'], give: ['back'], hush: ['up'], quiet: ['down'],
  }).map(([verb, words]) => [verb, new Set(words)]),
);
/** Verbs that are a correction alone ("hush", "quiet, Duke"). */
const ALONE: ReadonlySet<string> = new Set(['hush', 'shush', 'quiet']);
/** Words of WORDS_THAT_QUALIFY a correction may hold ("get down off the table", "leave your sister alone", "be nice"). */
const IN_A_CORRECTION: ReadonlySet<string> = new Set(['your', 'get', 'now', 'right', 'here', 'still']);
/** Who a correction is said to: the household's words for them, or a name. */
const CORRECTED = new Set(['kids', 'kid', 'boys', 'girls', 'guys', 'buddy', 'bud', 'dog', 'puppy', 'pup', 'hey', 'you', 'boy', 'girl', 'dude']);
/** The most words a correction holds after its verb. */
const CORRECTION_WORDS = 7;

/**
 * A correction said to a child or a dog after the consent phrase, with no apology: "Yes, that's fine. Jayden, put that
 * down!", "yeah sure text me quiet duke", "yes please hey get off your brother". The words
 * are a correction (CORRECTIONS, or a verb of CORRECTING_VERBS and what it is said of, holding nothing that could
 * qualify the answer but a child's own "your sister"), with who it is said to before or after it (a name, or the
 * household's words for them), "now" or "please", and perhaps an apology before it; nothing else. An endearment is not
 * among who (`honey`, `sweetie`): "that's fine honey, hush" may be the yes said to them.
 */
function aCorrection(text: string, r: AnswerReader): boolean {
  const words = r.words(text);
  const capitals = new Set((text.match(/\b[A-Z][a-z]+\b/g) ?? []).map((w) => w.toLowerCase()));
  // a word the lexicon does not know is a name only where a name stands: first ("bailey hush"), or last after a whole
  // correction ("quiet duke"); "kids be quiet mommy's on the phone" holds more than a correction
  const who = (w: string | undefined, k: number, unknownName: boolean): boolean =>
    w !== undefined &&
    (CORRECTED.has(w) || FIRST_NAME_SET.has(w) || (capitals.has(w) && k > 0) || (capitals.has(w) && /^\s*[A-Z][a-z]+,/.test(text)) || (unknownName && r.tag([w])[0]?.tag === 'unknown'));
  const closing = (w: string | undefined): boolean => w === 'now' || w === 'please' || w === 'right';
  let from = words[0] === 'sorry' ? 1 : 0;
  let to = words.length;
  while (to > from && closing(words[to - 1])) to--;
  if (who(words[from], from, true) && !correction(words.slice(from, to))) from++;
  if (to - from > 1 && who(words[to - 1], to - 1, CORRECTIONS.has(words.slice(from, to - 1).join(' '))) && !correction(words.slice(from, to))) to--;
  while (to > from && closing(words[to - 1])) to--;
  return correction(words.slice(from, to));
}

function correction(words: readonly string[]): boolean {
  if (CORRECTIONS.has(words.join(' '))) return true;
  const [verb, ...rest] = words;
  const particles = CORRECTING_VERBS.get(verb ?? '');
  if (verb === undefined || particles === undefined || rest.length > CORRECTION_WORDS) return false;
  // a correction moves the child or the dog off, down or away, or stills them; an errand does not ("get the door",
  // "leave it out back", "put it on the counter")
  if (!(rest.length === 0 ? ALONE.has(verb) : rest.some((w) => particles.has(w)))) return false;
  // nothing that could qualify the answer, but a child's own ("your sister"); never "me" ("get me down", "give me a call")
  return rest.every(
    (w, k) => IN_A_CORRECTION.has(w) || (PEOPLE_NOUNS.has(w) && rest[k - 1] === 'your') || !(WORDS_THAT_QUALIFY.has(w) || /n't$/.test(w) || NUMBER_WORD.test(w) || FIRST_NAME_SET.has(w)),
  ) && !rest.includes('me');
}
