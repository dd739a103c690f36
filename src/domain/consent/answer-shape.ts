/**
 * Checks on the shape of a tagged answer that no single phrase shows: where the words the lexicon does
 * not know stand relative to the affirmative, numbers, names, possessives and a trailing "right". Each
 * returns a reason (a fixed phrase, never quoting the transcript) or null. The rules and why:
 * src/domain/consent/README.md, "Words the lexicon does not know".
 */
import { BARE_YES, WEAK_AFFIRM } from './affirmative-phrases.ts';
import type { LexTag } from './consent-lexicon.ts';
import { FIRST_NAMES, JOB, PEOPLE } from './disqualifier-phrases.ts';

export interface Token {
  readonly tag: LexTag | 'unknown';
  readonly words: readonly string[];
}

/** More unknown words than this after a yes is a story, not a remark: a qualification may hide in it. */
export const MAX_UNKNOWN_WORDS = 6;
/**
 * After an affirmative that names texts ("text me, the ac's been blowing warm air all week") the caller has
 * answered this question; a longer remark about the job is allowed, still read for every disqualifier.
 */
export const MAX_UNKNOWN_WORDS_AFTER_TEXTING_CUE = 9;
/** The words that name texts (English and Spanish). */
export const TEXTING_WORDS: ReadonlySet<string> = new Set(['text', 'texts', 'texting', 'texted', 'message', 'messages', 'messaging', 'texto', 'textos', 'mensaje', 'mensajes']);
/** Whether any word of the answer names texts ("go ahead and text me, the keys are under the mat"). */
export function namesTexts(tokens: readonly Token[]): boolean {
  return tokens.some((t) => t.words.some((w) => TEXTING_WORDS.has(w)));
}
/** The verbs of texting that take the caller as object ("text me once", "message us when"). */
export const TEXT_ME_VERBS: ReadonlySet<string> = new Set(['text', 'texts', 'texting', 'message', 'messages']);
/** "thanks for calling me back", "I appreciate you reaching out": what follows says what the thanks are for. */
export const THANKS_FOR: ReadonlySet<string> = new Set([
  'thanks for', 'thank you for', 'thank you so much for', 'thanks so much for', 'thank you very much for', 'thanks a lot for', 'i appreciate you',
  'appreciate you', 'thanks for the', 'thank you for the', 'thank you for your', 'thanks for your', 'thanks for calling', 'thank you for calling',
]);

const NUMBER_WORDS = new Set([
  'zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'twenty', 'thirty',
  'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'thousand',
]);

/** "that's", "he's", "texting's": the 's of "is", not of a possessive ("my wife's number"). */
const IS_CONTRACTED = new Set([
  'that', 'it', 'he', 'she', 'there', 'here', 'what', 'who', 'where', 'when', 'how', 'let', 'everything', 'nothing', 'something',
  'this', 'texting', 'text', 'number', 'today', 'now', 'one', 'life', 'everyone', 'someone', 'phone', 'cell', 'power', 'house', 'place', 'whatever',
  // "my name's Ana", "name's Linda": the caller's introduction
  'name',
]);

/** An exclamation before the yes ("oh sure, that'll help", "wow, yes") beside unknown words reads as sarcasm. */
const INTERJECTIONS: ReadonlySet<string> = new Set(['oh', 'wow', 'gee', 'great', 'wonderful', 'fantastic', 'terrific', 'brilliant', 'lovely', 'awesome', 'perfect', 'ooh', 'ah']);
/**
 * The formal yes after "oh" ("Oh yes, that's fine", "oh, of course", "oh, that's fine", "oh okay") is sincere;
 * sarcasm borrows the casual or the enthusiastic one ("oh sure", "oh yeah", "oh great", "oh perfect").
 */
const SINCERE_AFTER_OH = new Set(['yes', 'yes please', 'of course', 'yes of course', 'certainly', 'absolutely', 'yes ma\'am', 'yes sir', 'why yes', 'that\'s fine', 'that\'s okay', 'okay', 'alright', 'that works']);

/** An answer that opens with an exclamation ("oh sure, that'll help", "wow, yes") may be sarcasm when more follows. */
export function opensWithExclamation(tokens: readonly Token[]): boolean {
  const first = tokens[0];
  if (first === undefined || !INTERJECTIONS.has(first.words[0]!)) return false;
  const next = first.words.length > 1 ? first.words.slice(1).join(' ') : tokens[1]?.words.join(' ');
  return !(first.words[0] === 'oh' && next !== undefined && SINCERE_AFTER_OH.has(next));
}

/**
 * An affirmative ending in an auxiliary waits for its verb ("you can | have a cookie", "I do | need a
 * plumber"), and before a pronoun it asks ("sure, do | you charge for texts").
 */
const AUXILIARY_ENDS = new Set(['can', 'may', 'do', 'would', 'will', 'could', 'should', 'did', 'does']);
const PRONOUNS = new Set(['you', 'i', 'it', 'we', 'they', 'he', 'she']);

/** Words Whisper capitalizes that are not names. */
const NOT_NAMES = new Set(['i', 'i\'m', 'i\'d', 'i\'ll', 'i\'ve', 'ok', 'okay', 'yes', 'no', 'ma\'am', 'sir']);

/** Where the tech is to go in: a number right after one of these is a code or a unit, not a phone number or a time. */
const CODE_WORDS = new Set(['code', 'unit', 'apartment', 'apt', 'suite', 'building', 'room', 'lot']);

/**
 * "text me, the gate code is 1234", "I'm in unit 12B": drops the numbers right after a code or a unit word
 * (and an "is" after it), up to six digits. Used only beside a cue naming texts: "yes the gate code is 1234"
 * alone answers another question.
 */
export function withoutCodes(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    out.push(words[i]!);
    if (!CODE_WORDS.has(words[i]!)) continue;
    let j = i + 1;
    if (words[j] === 'is' || words[j] === 'number') j++;
    const start = j;
    while (j < words.length && (/[0-9]/.test(words[j]!) || NUMBER_WORDS.has(words[j]!))) j++;
    // a code is short: seven digits or more ("the code is 512 555 0199") is a phone number
    const run = words.slice(start, j);
    const digits = run.join('').replace(/[^0-9]/g, '').length + run.filter((w) => NUMBER_WORDS.has(w)).length;
    if (j > start && digits <= 6) {
      out.push(...words.slice(i + 1, start));
      i = j - 1;
    }
  }
  return out;
}

/** The last word of a street's name ("Maple Drive", "Oak Street", "Cedar Ct"). */
const STREETS = new Set([
  'street', 'st', 'avenue', 'ave', 'road', 'rd', 'drive', 'dr', 'lane', 'ln', 'court', 'ct', 'way', 'boulevard', 'blvd', 'place', 'pl',
  'circle', 'terrace', 'parkway', 'highway', 'trail', 'loop',
]);
const TO_THE_TEXTS = new Set(['text', 'texts', 'texting', 'message', 'send', 'me', 'us']);

/**
 * "text me, this is Beth, 42 Maple Drive", "Name's Linda Park, 1507 Cedar Court": drops a house number (up to five
 * digits, or up to three number words) that a street's name of one or two words follows. Used only beside a cue
 * naming texts, like a code; not right after the texts ("text me at 42 Maple Drive" sends them somewhere).
 */
export function withoutAddresses(words: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    let j = i;
    while (j < words.length && j - i < 3 && NUMBER_WORDS.has(words[j]!)) j++;
    if (j === i && /^[0-9]{1,5}$/.test(words[i]!)) j = i + 1;
    const street = j > i && [j + 1, j + 2].some((n) => STREETS.has(words[n] ?? '')) && ![j, j + 1].some((n) => STREETS.has(words[n] ?? '') && n === j);
    const toTheTexts = ['at', 'to'].includes(words[i - 1] ?? '') && TO_THE_TEXTS.has(words[i - 2] ?? '');
    if (street && !toTheTexts) {
      i = j - 1;
      continue;
    }
    out.push(words[i]!);
  }
  return out;
}

/** A digit, or three number words: a phone number, a time or an address, not a plain yes. */
export function numberSpoken(words: readonly string[]): string | null {
  // "it's 40 degrees in here", "at 5 percent": a measure, written in digits, is neither a phone number nor an hour
  const measure = (i: number): boolean => /^[0-9]{1,3}$/.test(words[i]!) && MEASURES.has(words[i + 1] ?? '');
  if (words.some((w, i) => /[0-9]/.test(w) && !measure(i))) return 'a number in the answer (another number, a time or an address)';
  if (words.filter((w) => NUMBER_WORDS.has(w)).length >= 3) return 'a number in the answer (another number, a time or an address)';
  return null;
}

/** Units after a number that make it a measure (README.md: "a battery or a temperature is not an hour"). */
const MEASURES = new Set(['degrees', 'degree', 'percent', 'feet', 'foot', 'inches', 'inch', 'gallons', 'gallon']);

/** Where a phone is named: "the owner's number", "rosa's cell". */
const PHONE_WORDS = new Set(['number', 'phone', 'cell', 'line', 'email', 'mobile', 'contact', 'cellphone', 'landline']);
/** "the plumber's arrival time", "the whole panel's sparking": a thing or a role of the job, not a person's phone. */
const DETERMINERS = new Set(['the', 'whole', 'your']);
const JOB_WORDS: ReadonlySet<string> = new Set(JOB);

/** "my car's stuck", "our dog's outside": after "my" or "our", an "'s" before one of these is "is" (a state), not whose. */
const MINE = new Set(['my', 'our']);
const STATE_AFTER = new Set([
  'stuck', 'inside', 'outside', 'in', 'out', 'at', 'on', 'been', 'broken', 'leaking', 'locked', 'still', 'not', 'asleep', 'sleeping', 'dead', 'gone',
  'down', 'up', 'flooded', 'flooding', 'frozen', 'blocked', 'parked', 'trapped',
]);

/**
 * A thing's state after a consent phrase naming texts (dev-37's class, written first in dev-38): "the sump pump's
 * dead", "reception's spotty", "the glycol chiller's throwing a code". Inside the caller's remark the thing's words
 * are no longer `unknown` (readRemarks reads them), so "a thing of two words after the" did not hold there; an "'s"
 * before a state, a place or an -ing verb is "is" whenever the stem is no person ("my wife's fine with it", "Maria's
 * at the door", "somebody's at the door" stay someone else) and no phone follows. Why: README.md, "'my car's stuck'".
 */
const STATES = new Set([
  ...STATE_AFTER, 'dry', 'wet', 'warm', 'cold', 'hot', 'spotty', 'bad', 'nice', 'loud', 'full', 'empty', 'awful', 'jammed', 'backed', 'busted',
  'shot', 'fried', 'off', 'low', 'dripping', 'cracked', 'clogged', 'overflowing', 'toast',
]);
const SOMEONE = new Set([...PEOPLE, ...FIRST_NAMES, 'somebody', 'someone', 'everybody', 'everyone', 'nobody', 'anybody', 'anyone', 'guy', 'lady', 'man', 'boss']);
/** An -ing verb of the thing ("throwing", "beeping"), not the phone's or a person's ("ringing", "calling", "texting"). */
const SPEAKING = /^(?:text|messag|call|ring|send|phon|talk|answer|tell|say)/;
/**
 * Where a thing is ("at", "in", "out", "on") is told of a person too ("xochitl's at the door", a name the lexicon does
 * not hold): a place counts only after a determiner within three words ("our walk in cooler's at fifty").
 */
const DETERMINED = new Set(['the', 'our', 'my', 'this', 'that', 'a', 'an', 'your']);
const ADJECTIVES = new Set([...STATES].filter((w) => !STATE_AFTER.has(w) || ['stuck', 'broken', 'leaking', 'dead', 'flooded', 'flooding', 'frozen', 'blocked'].includes(w)));
function thingsState(stem: string, next: string | undefined, before: readonly string[]): boolean {
  if (next === undefined || SOMEONE.has(stem)) return false;
  const determined = before.slice(-3).some((w) => DETERMINED.has(w));
  return (determined ? STATES : ADJECTIVES).has(next) || (next.length > 5 && next.endsWith('ing') && !SPEAKING.test(next));
}
/**
 * The household ("the dog's out back"): after nothing but a go-ahead ("go ahead, the dog's out back") it may be said to
 * someone present, as "go ahead, the dog needs to go out" is; beside any other cue ("sure go ahead, sorry, the dog's
 * barking", "yes that's fine, the dog's friendly") it is the caller's remark, as the labellers of dev-10, dev-23 and
 * dev-37 read it.
 */
const HOUSEHOLD_STEMS = new Set(['dog', 'dogs', 'cat', 'cats', 'kids', 'baby']);

/**
 * "yes my wife's number", "text rosa's phone": a possessive other than "that's"/"he's" names someone else's
 * phone or say. After "the" ("the tech's name", "the toilet's overflowing") or on a word of the job it is
 * the job, unless a phone follows it ("the owner's number"). Beside a cue naming texts, a thing's state
 * (`thingsState`) is "is"; the household's "'s" beside none ("go ahead, the dog's out back") is the household,
 * after nothing but a go-ahead ("go ahead, the dog's out back") may be said to someone present (README.md, "A clear yes,
 * then any remark").
 */
export function possessiveSpoken(tokens: readonly Token[], textingCue = false, onlyGoAhead = false): string | null {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const w = t.words[0]!;
    if (t.tag !== 'unknown' || !w.endsWith('\'s') || IS_CONTRACTED.has(w.slice(0, -2))) continue;
    const prev = tokens[i - 1];
    const next = tokens[i + 1];
    const before = tokens[i - 2];
    if (onlyGoAhead && HOUSEHOLD_STEMS.has(w.slice(0, -2))) return 'the household named after nothing but a go-ahead (perhaps said to someone present)';
    if (textingCue && thingsState(w.slice(0, -2), next?.words[0], tokens.slice(0, i).flatMap((x) => x.words))) continue;
    // "the golf cart's in the driveway": a thing of two words after "the"; "my car's stuck", "my baby's inside": a
    // thing of the caller's and its state, "X is" (a person of the lexicon is read by the person rules instead)
    const thingOfTwo = prev !== undefined && prev.tag === 'unknown' && before !== undefined && before.words.at(-1) === 'the';
    const callersThing = prev !== undefined && MINE.has(prev.words.at(-1)!) && next !== undefined && STATE_AFTER.has(next.words[0]!);
    // "the ice machine's busted": a job word of two words whose second carries the "'s" (dev-46, dev-47)
    const jobOfTwo = prev !== undefined && JOB_WORDS.has([...prev.words, w.slice(0, -2)].join(' '));
    const ofTheJob = thingOfTwo || callersThing || jobOfTwo || JOB_WORDS.has(w.slice(0, -2)) || (prev !== undefined && (DETERMINERS.has(prev.words[prev.words.length - 1]!) || JOB_WORDS.has(prev.words.join(' '))));
    const phoneFollows = next !== undefined && PHONE_WORDS.has(next.words[0]!);
    if (!ofTheJob || phoneFollows) return 'someone else named (a possessive)';
  }
  return null;
}

/** A texting verb whose recipient is not the caller: "text my grandson", "send it to my nephew". */
const TO_RECIPIENT = new Set(['text', 'send', 'message', 'to', 'tell', 'texts', 'it', 'them']);

/** Who the business sends: texting one of them ("please text the guy") is texting someone other than the caller. */
const CREW_NOUNS = new Set(['guy', 'guys', 'tech', 'techs', 'technician', 'plumber', 'electrician', 'locksmith', 'crew', 'office', 'company', 'dispatcher', 'driver', 'installer', 'worker', 'workers', 'man', 'contractor']);
const TEXTING_VERBS = new Set(['text', 'texts', 'message', 'forward', 'to']);

/**
 * A phone, a line or a place the texts could go to instead of the caller ("text the front desk number", "text his
 * cell", "send it to my work phone"), up to three words after the determiner.
 */
const PHONES_AND_PLACES = new Set([
  'number', 'line', 'phone', 'cell', 'cellphone', 'desk', 'office', 'landline', 'shop', 'extension', 'pager', 'email',
]);
const OWNERS = new Set(['the', 'his', 'her', 'their', 'my', 'our']);
/** "send it to", "send them to", "send the texts to": a verb of sending with the texts as its object, before the recipient. */
const SENT = new Set(['it', 'them', 'the text', 'the texts', 'those']);
/** The caller's own phone said plainly ("text my phone the tech's name", dev-6; "send it to my cell") is the caller. */
const OWN_PHONE = new Set(['phone', 'cell', 'number', 'cellphone']);

/** A verb of texting whose object may be a name ("text greg"), and what may follow the name ("text greg too"). */
const NAMED_AFTER = new Set(['text', 'message']);
const ADDED = new Set(['too', 'also', 'instead', 'as well', 'please']);

/**
 * Where the texts go after a verb of texting or sending ("text", "text it to", "send it to"): the word after its
 * object, the first to count. Returns the index of the determiner that opens the recipient, or -1.
 */
function recipientAt(words: readonly string[], i: number): number {
  const w = words[i]!;
  let j = i + 1;
  if (w === 'text' || w === 'texts' || w === 'texting') {
    if (words[j] === 'it' || words[j] === 'them') j++;
    if (words[j] === 'to') j++;
    return j;
  }
  if (w !== 'send') return -1;
  const object = SENT.has(words[j] ?? '') ? 1 : SENT.has(`${words[j]} ${words[j + 1]}`) ? 2 : 0;
  return object > 0 && words[j + object] === 'to' ? j + object + 1 : -1;
}

/**
 * "yes text my grandson": "my" and a word the lexicon does not know right after a texting verb is another
 * recipient; so is one of the crew ("please text the guy", "send it to the tech"), and a phone or a place named
 * after a determiner ("text the front desk number", "text his cell", "send it to my work phone"; heldout-7's false
 * opt-in, dev-32), unless it is the caller's own phone said plainly ("text my phone", "send it to my cell").
 */
export function recipientSpoken(tokens: readonly Token[], isKnown: (word: string) => boolean = () => true): string | null {
  for (let i = 1; i < tokens.length; i++) {
    const [prev, t] = [tokens[i - 1]!, tokens[i]!];
    if (t.tag === 'unknown' && t.words[0] === 'my' && TO_RECIPIENT.has(prev.words[prev.words.length - 1]!)) return 'texts asked for elsewhere (another recipient)';
  }
  const words = tokens.flatMap((t) => t.words);
  for (let i = 0; i + 2 < words.length; i++) {
    // "send me a text | the tech can knock": "a text" is the noun, not a verb with its recipient
    const verb = TEXTING_VERBS.has(words[i]!) && !['a', 'the', 'one', 'your', 'my'].includes(words[i - 1] ?? '');
    if (verb && ['the', 'your', 'a'].includes(words[i + 1]!) && CREW_NOUNS.has(words[i + 2]!)) return 'texts asked for elsewhere (another recipient)';
  }
  // "sure, text greg", "ok text greg too": a texting verb and one word the lexicon does not know that ends the answer (or
  // only "too", "also", "instead" after it) is a name as a recipient, written in lower case where a capital would show it;
  // the lexicon is asked, since a remark reads such a word as its own ("yes text me, i'm out, text greg"). Not a word of
  // texting ("text message") nor a recognizer's slip of "me" ("text meat", dev-33)
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [t, n] = [tokens[i]!, tokens[i + 1]!];
    const after = tokens[i + 2]?.words.join(' ');
    const w = n.words[0]!;
    const unknown = n.tag === 'unknown' || (n.tag === 'context' && !isKnown(w));
    const named = unknown && n.words.length === 1 && /^[a-z']+$/.test(w) && !TEXTING_WORDS.has(w) && !(w.startsWith('me') && w.length <= 4);
    if (NAMED_AFTER.has(t.words.at(-1)!) && named && (after === undefined || ADDED.has(after))) return 'texts asked for elsewhere (another recipient)';
  }
  for (let i = 0; i < words.length; i++) {
    const at = recipientAt(words, i);
    if (at < 0 || !OWNERS.has(words[at] ?? '')) continue;
    const owner = words[at]!;
    // "my phone", "my cell", "my cell phone", "our mobile number": the caller's own
    const [first, second] = [words[at + 1] ?? '', words[at + 2] ?? ''];
    const plain = OWN_PHONE.has(first) || ((first === 'cell' || first === 'mobile') && OWN_PHONE.has(second));
    if ((owner === 'my' || owner === 'our') && plain) continue;
    if (words.slice(at + 1, at + 4).some((w) => PHONES_AND_PLACES.has(w.replace(/s$/, '')))) return 'texts asked for elsewhere (another number or place)';
  }
  return null;
}

/** Prepositions of place: a capitalized word after one is a place ("the building on Elm Street", "down the Cape"). */
const PLACE_WORDS = new Set(['on', 'in', 'at', 'near', 'off', 'down', 'up', 'by', 'from', 'over', 'across', 'behind', 'past']);

/** The caller's introduction: a name right after one of these ("This is Carla Ruiz", "my name's Ana", "It's Greg") is the caller's. */
const INTRODUCING = new Set(['this is', 'name is', 'name\'s', 'it\'s', 'i\'m', 'i am']);

/**
 * "Yes, Mike, put it over there.": a capitalized word inside a sentence that the lexicon does not know is
 * a name, often the person addressed (Whisper capitalizes names; "Yes, Please." is not one). Beside a cue
 * naming texts (`places`), one after a preposition of place, or after "the" that follows one, names a place:
 * "Yes, you can text me. I manage the building on Elm Street."; "text Mike", "I'm with Maria" stay names. Beside
 * such a cue too, a name of one or two words right after the caller's introduction ("This is Carla Ruiz", "My name's
 * Ana Lopez", "It's Greg") is the caller's own. A sentence that opens with such a word set off by a comma ("Greg, get
 * the door.") addresses someone: the vocative Whisper writes.
 */
export function nameSpoken(transcript: string, isKnown: (word: string) => boolean, places = false): string | null {
  for (const sentence of transcript.split(/[.!?]+/)) {
    const pieces = sentence.split(/\s+/).filter((w) => w !== '');
    // a plain word of letters only: "Sí,", "Ten-four,", "Dạ," are a recognizer's spelling of a yes, not a name
    const opening = pieces[0] ?? '';
    if (/^[A-Z][a-z]+,$/.test(opening) && !NOT_NAMES.has(opening.slice(0, -1).toLowerCase()) && !isKnown(opening.slice(0, -1).toLowerCase())) return 'a name in the answer (perhaps said to someone else)';
    const words = sentence.split(/[\s,;:]+/).filter((w) => w !== '');
    const lower = words.map((w) => w.toLowerCase().replace(/[\u2018\u2019]/g, '\''));
    for (let i = 1; i < words.length; i++) {
      const bare = words[i]!.replace(/[^A-Za-z']/g, '');
      if (!/^[A-Z][a-z]/.test(bare) || NOT_NAMES.has(bare.toLowerCase()) || isKnown(bare.toLowerCase())) continue;
      const before = words.slice(Math.max(0, i - 2), i).map((w) => w.toLowerCase());
      // a preposition of place before it (or before "the", or before a capitalized word), or a house number: "42 Maple Drive"
      const placeBefore = (w: string | undefined): boolean => PLACE_WORDS.has((w ?? '').toLowerCase()) || /^[0-9]{1,5}$/.test(w ?? '');
      const place = places && (placeBefore(before[1]) || (before[1] === 'the' && PLACE_WORDS.has(before[0] ?? '')) || (/^[A-Z]/.test(words[i - 1] ?? '') && placeBefore(words[i - 2])));
      // "This is Carla Ruiz": the first name right after the introduction, the second right after a first
      const introduced = (at: number): boolean => INTRODUCING.has(lower[at - 1] ?? '') || INTRODUCING.has(`${lower[at - 2]} ${lower[at - 1]}`);
      const own = places && (introduced(i) || (/^[A-Z]/.test(words[i - 1] ?? '') && introduced(i - 1)));
      if (!place && !own) return 'a name in the answer (perhaps said to someone else)';
    }
  }
  return null;
}

/**
 * Where unknown words may stand: only after a clear affirmative, never right after one that waits for its
 * verb, not after an interjection (sarcasm), not more than MAX_UNKNOWN_WORDS, and beside unknown words a
 * weak cue ("okay", "yeah") needs a strong one or a remark favouring texting.
 */
export function unknownWordsPlacement(tokens: readonly Token[]): string | null {
  const unknown = tokens.filter((t) => t.tag === 'unknown');
  if (unknown.length === 0) return null;
  const firstAffirm = tokens.findIndex((t) => t.tag === 'affirm');
  const firstUnknown = tokens.findIndex((t) => t.tag === 'unknown');
  if (firstAffirm < 0 || firstUnknown < firstAffirm) return 'words outside the consent vocabulary before any affirmative';
  const textingCue = tokens.some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)));
  if (unknown.length > (textingCue ? MAX_UNKNOWN_WORDS_AFTER_TEXTING_CUE : MAX_UNKNOWN_WORDS)) return 'long answer with many words outside the consent vocabulary';
  // "of course, thanks for asking": the unknown words all follow a thanks-for, which says what the thanks are for
  const thanksAt = tokens.findIndex((t) => t.tag === 'polite' && THANKS_FOR.has(t.words.join(' ')));
  const thanksOnly = thanksAt >= 0 && tokens.every((t, i) => t.tag !== 'unknown' || i > thanksAt);
  if (opensWithExclamation(tokens)) return 'exclamation beside words outside the vocabulary (possible sarcasm)';
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // "please do" is complete: a request, not an auxiliary waiting for its verb
    if (t.tag !== 'affirm' || !AUXILIARY_ENDS.has(t.words[t.words.length - 1]!) || t.words.includes('please')) continue;
    const next = tokens.slice(i + 1).find((x) => x.tag !== 'filler');
    if (next !== undefined && (next.tag === 'unknown' || PRONOUNS.has(next.words[0]!))) return 'an affirmative that waits for its verb, followed by words outside the vocabulary';
  }
  // a yes-word that answers any question ("yes", "sure") beside words the lexicon does not know grants only when
  // the answer speaks of texts ("yes four texts is fine"): "yes I speak little English", "yes just get here" answer
  // something else; a weak one ("okay", "yeah") needs a consent phrase or a remark favouring texting
  const consentPhrase = tokens.some((t) => (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark');
  const strongYes = tokens.some((t) => t.tag === 'affirm' && !WEAK_AFFIRM.has(t.words.join(' ')));
  const speaksOfTexts = namesTexts(tokens);
  if (consentPhrase || (strongYes && (speaksOfTexts || thanksOnly))) return null;
  return strongYes ? 'a yes-word beside words outside the vocabulary, with nothing about texts' : 'only a weak affirmative ("okay", "yeah") beside words outside the vocabulary';
}

/**
 * "go ahead and eat", "you can go ahead and take it": a go-ahead joined to a verb the lexicon does not know
 * is a go-ahead for that, not for texts ("go ahead and text me", "go ahead and send it" are known).
 */
export function goAheadForSomethingElse(tokens: readonly Token[]): string | null {
  for (let i = 0; i + 2 < tokens.length; i++) {
    const t = tokens[i]!;
    const last = t.words[t.words.length - 1]!;
    const goAhead = t.tag === 'affirm' && (last === 'ahead' || last === 'head' || t.words.join(' ').endsWith('go on'));
    if (goAhead && tokens[i + 1]!.words.join(' ') === 'and' && tokens[i + 2]!.tag === 'unknown') return 'a go-ahead for something else (said to someone else)';
  }
  return null;
}

/**
 * "it's free, right": a trailing "right" asks for confirmation; so does a cue ending in "for you" or "with
 * you" ("that work for you", "that's fine with you"): it asks whether it suits the business, "does" dropped.
 */
export function trailingRight(tokens: readonly Token[]): string | null {
  const words = tokens.flatMap((t) => t.words);
  const last = tokens[tokens.length - 1];
  if (last !== undefined && last.words.length === 1 && last.words[0] === 'right') return 'a question instead of an answer';
  const tail = words.slice(-2).join(' ');
  return tail === 'for you' || tail === 'with you' ? 'a question instead of an answer' : null;
}

const INVERTING_AUX = new Set(['is', 'are', 'was', 'were', 'will', 'would', 'can', 'could', 'should', 'does', 'did']);
const SUBJECTS = new Set(['the', 'this', 'that', 'these', 'those', 'it', 'there', 'you', 'i', 'they', 'he', 'she', 'we', 'my', 'your']);
const LEADING = new Set<Token['tag']>(['affirm', 'filler', 'backchannel', 'polite']);
const WH_WORDS = new Set(['when', 'what', 'where', 'how', 'who', 'why', 'which']);

/**
 * "okay, will the texts come from you", "yes is the tech coming": an auxiliary before its subject at the
 * start of the answer or right after the yes asks, though the recognizer wrote no question mark.
 */
export function invertedQuestion(tokens: readonly Token[]): string | null {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [aux, subject] = [tokens[i]!, tokens[i + 1]!];
    if (aux.words.length !== 1 || !INVERTING_AUX.has(aux.words[0]!) || !SUBJECTS.has(subject.words[0]!)) continue;
    if (tokens.slice(0, i).every((t) => LEADING.has(t.tag))) return 'question instead of an answer';
    // "yes text me when | is the tech coming": a wh-word that a phrase swallowed ("text me when") still asks before an inversion
    const prev = tokens[i - 1];
    if (prev !== undefined && WH_WORDS.has(prev.words[prev.words.length - 1]!)) return 'question instead of an answer';
  }
  return null;
}

/** The caller's own phone or line (a possessive "'s" kept: "my phone's dead"). */
const A_PHONE = new Set(['phone', 'cell', 'mobile', 'cellphone', 'landline']);

/**
 * "my phone is broken so yes text me", "my phone and the sink are broken, yes text me": the phone named beside a
 * state before the yes (the lexicon tags a thing's state, "broken", "dead", as the job) doubts that the texts can
 * arrive, which is unclear (test/fixtures/consent-answers/README.md, dev-40's labelling decisions: doubts about the
 * phone), however plainly the yes after it is said.
 */
export function phoneTroubleFirst(tokens: readonly Token[]): string | null {
  const first = tokens.findIndex((t) => t.tag === 'affirm');
  if (first <= 0) return null;
  const lead = tokens.slice(0, first);
  const words = lead.flatMap((t) => t.words.flatMap((w) => w.split(' ')));
  const phone = words.some((w) => A_PHONE.has(w.replace(/'s$/, '')));
  // a state ("broken", "dead"), a word of the job, or a verb in -ing ("acting up", "dying"): the reading steps before
  // the shape checks may have retagged them, so the words are read, not the tags
  const fault = words.some((w) => STATES.has(w) || JOB_WORDS.has(w) || /ing$/.test(w) || w === 'broke');
  return phone && fault ? 'the phone named beside a fault before the yes: the texts may not arrive' : null;
}

/** What the caller says of a phone that doubts the texts will reach it ("dead", "broken", "acting up", "spotty"). */
const PHONE_FAULTS = new Set(['broken', 'broke', 'dead', 'died', 'dying', 'busted', 'cracked', 'fried', 'shot', 'toast', 'acting', 'glitchy', 'spotty', 'messed']);

/**
 * "yes that's fine the phone is busted", "Yeah, that works. My cell is dead most days.": the phone named with a fault
 * after the yes doubts that the texts can arrive as much as before it (dev-47, the hard non-grants of dev-46's "problem
 * after a consent phrase" class; test/fixtures/consent-answers/README.md): unclear. Only a fault word within four words
 * after the phone counts, so the job's own faults ("the pump is dead, text my phone") are not read as the phone's.
 */
export function phoneTroubleAfter(tokens: readonly Token[]): string | null {
  const first = tokens.findIndex((t) => t.tag === 'affirm');
  if (first < 0) return null;
  const words = tokens.slice(first + 1).flatMap((t) => t.words.flatMap((w) => w.split(' ')));
  for (let i = 0; i < words.length; i++) {
    if (!A_PHONE.has(words[i]!.replace(/'s$/, ''))) continue;
    if (words.slice(i + 1, i + 5).some((w) => PHONE_FAULTS.has(w))) return 'the phone named beside a fault after the yes: the texts may not arrive';
  }
  return null;
}
