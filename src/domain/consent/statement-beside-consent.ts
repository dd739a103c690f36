/**
 * A consent phrase and, in the same breath, a plain statement of the caller's message: "Yes, please. We're out past
 * the grain elevator on Route 14.", "yeah go ahead we're the blue house on the corner", "the septic alarm is beeping
 * and yes please text me". The statement is set aside and the consent phrase judged on its own (README.md, "A
 * statement beside the consent phrase"). It is a reading of last resort, so it is narrow by construction: the part
 * set aside may hold no word from a wide list of what could qualify, redirect or undo an answer (WORDS_THAT_QUALIFY),
 * no name, no question mark, no cut-off, no word the lexicon tags as deciding or qualifying, and a number only beside
 * an address or a code. A bare yes ("yes", "sure") never grants this way: a bare yes with only a description of the
 * problem or of the caller reads as an answer to another question and is unclear (the labelling rule of the fixture
 * README, test/fixtures/consent-answers/README.md).
 */
import { BARE_YES } from './affirmative-phrases.ts';
import type { Token } from './answer-shape.ts';
import type { AnswerReader } from './before-the-answer.ts';
import { HALLUCINATIONS } from './consent-lexicon.ts';
import { ENDEARMENT, FIRST_NAMES, PEOPLE } from './disqualifier-phrases.ts';
import { GO_AHEAD } from './remark-clauses.ts';
import { wordsToSomeonePresent } from './someone-present.ts';
import { NUMBER_WORD, WORDS_THAT_QUALIFY } from './statement-words.ts';


/**
 * The time words of WORDS_THAT_QUALIFY that describe the caller's own day when the statement is the caller's ("I'm at
 * practice till 6, I'll check it after", "I'm giving tours at the lighthouse until 4"): the fixture README labels the
 * caller's day after a consent phrase a grant, and a time set on the texts needs the texts named ("text me after
 * five"), "only", "just", "not" or a modal, all of which stay excluded.
 */
const CALLERS_DAY = new Set([
  'until', 'till', 'after', 'between', 'during', 'today', 'tonight', 'tomorrow', 'morning', 'mornings', 'night', 'nights', 'evening',
  'evenings', 'afternoon', 'afternoons', 'weekend', 'weekends', 'weekday', 'weekdays', 'am', 'pm', 'noon', 'midnight', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'hour', 'hours', 'day', 'days', 'week', 'weeks', 'o\'clock', 'now', 'later',
]);
/** A statement of the caller's own: it opens with the caller as subject. */
const THE_CALLER = new Set(['i', 'i\'m', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll']);
/** How a statement after the consent phrase may open: the caller, the thing, the place ("we're at", "the gate code is", "it's the blue house"). */
const OPENS_A_STATEMENT = new Set(['the', 'my', 'our', 'i', 'i\'m', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll', 'it\'s', 'it', 'there\'s', 'there', 'you\'ll', 'address', 'address\'s', 'gate', 'code', 'code\'s', 'lockbox']);
/** A join before the statement ("and the gate code is …", "so the pump …"). */
const JOINS = new Set(['and', 'so', 'also', 'plus']);
/** Words a finished statement never ends on: it was cut off or runs on into something unsaid. */
const UNFINISHED = new Set(['and', 'so', 'or', 'but', 'the', 'a', 'an', 'to', 'of', 'my', 'our', 'for', 'at', 'in', 'on', 'with']);
/** Words that end a consent phrase said without punctuation ("yeah go ahead | we're the blue house"). */
const ENDS_A_PHRASE = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'me', 'text', 'texts', 'please', 'fine', 'good', 'ahead', 'absolutely', 'definitely', 'course', 'sir', 'ma\'am', 'thing', 'great', 'perfect', 'okay', 'alright', 'works']);
/** Words that open a consent phrase said after the statement without punctuation ("the septic alarm is beeping and | yes please text me"). */
const OPENS_A_PHRASE = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'okay', 'alright', 'absolutely', 'definitely', 'so', 'and']);
/** With one of these the numbers in a statement are an address, a unit or a code ("we're at 55 Harbor View, unit 12", "the gate code is 4471"). */
const PLACE_WORDS = new Set(['house', 'corner', 'mailbox', 'driveway', 'cul', 'sac', 'address', 'street', 'st', 'road', 'rd', 'drive', 'dr', 'avenue', 'ave', 'lane', 'ln', 'way', 'boulevard', 'blvd', 'court', 'ct', 'circle', 'place', 'unit', 'apartment', 'apt', 'suite', 'building', 'code', 'gate', 'lockbox', 'highway', 'route', 'trail', 'parkway', 'terrace', 'pike', 'floor']);
/** A house number after the words that give an address, and a street's name written with a capital after it. */
const HOUSE_NUMBER = /\b(?:we're at|we are at|i'm at|i am at|it's|it is|house is|address is|the address is)\s+\d{1,6}\s+[A-Z][a-z]+/i;
/** Words of time that place a house along a road in an address ("the last house before the dock", "just past the church"). */
const ALONG_THE_ROAD = new Set(['before', 'after', 'past']);
/**
 * The tags a statement may carry: words the lexicon does not decide on, the job, the caller's context, a time past,
 * polite address, the way in ("the gate code", "the back door"; the lexicon's words of a visit asked for are in
 * WORDS_THAT_QUALIFY), and the lexicon's remarks favouring texts ("in the car": "I locked my keys in the car"), which
 * never decide and are neutral beside a consent phrase anyway.
 */
const STATEMENT_TAGS = new Set<Token['tag']>(['unknown', 'context', 'job', 'past', 'polite', 'filler', 'visit', 'remark']);
/** A statement is a clause: at least this many words ("we've got hornets"), and at most this many. */
const MIN_WORDS = 3;
const MAX_WORDS = 25;
/** The consent phrase is short: longer, and it may carry its own qualifier the statement completes. */
const MAX_PHRASE_WORDS = 7;
/** As many digits as the shortest phone number: a statement holding them may give another number. */
const PHONE_DIGITS = 7;
const FIRST_NAME_SET: ReadonlySet<string> = new Set(FIRST_NAMES);
const ENDEARMENTS: ReadonlySet<string> = new Set(ENDEARMENT);
const PEOPLE_NOUNS: ReadonlySet<string> = new Set(PEOPLE);

/**
 * The part of the answer that decides when the rest is a plain statement, or null. Tries each split of the spoken
 * words into a consent phrase and a statement, the phrase first or last. With `onlyTheProblem` the statement must be
 * the problem described (`describesTheProblem`): the reading of an answer the plain rules declined for a negation
 * that was the problem's ("yes please, the toilet won't stop running").
 */
export function besideAStatement(transcript: string, r: AnswerReader, onlyTheProblem = false): string | null {
  const isStatement = (text: string, place: 'before' | 'after', phrase: string): boolean =>
    onlyTheProblem ? describesTheProblem(text, r) : statement(text, r, place, true, !r.words(phrase).some((w) => ENDEARMENTS.has(w)));
  const parts = transcript.trim().split(/\s+/);
  for (let k = 1; k < parts.length; k++) {
    const head = parts.slice(0, k).join(' ');
    const tail = parts.slice(k).join(' ');
    const headWords = r.words(head);
    const tailWords = r.words(tail);
    const headEnds = /[.,!;:]$/.test(head);
    if (headWords.length <= MAX_PHRASE_WORDS && (headEnds || ENDS_A_PHRASE.has(headWords.at(-1) ?? '')) && isStatement(tail, 'after', head) && consentPhrase(head, r)) return head;
    if (tailWords.length <= MAX_PHRASE_WORDS && (headEnds || OPENS_A_PHRASE.has(tailWords[0] ?? '')) && isStatement(head, 'before', tail) && consentPhrase(tail, r)) return tail;
  }
  return null;
}

/** A consent phrase (not a bare yes) that grants on its own. */
function consentPhrase(text: string, r: AnswerReader): boolean {
  const tokens = r.tag(r.words(text));
  const cues = tokens.filter((t) => t.tag === 'affirm');
  // "go ahead" alone may be said to someone present ("go ahead, the dog's out back", "Go ahead. The gate code is 4471."
  // to someone at the gate): remark-clauses.ts, GO_AHEAD
  if (cues.length > 0 && cues.every((t) => GO_AHEAD.test(t.words.join(' ')))) return false;
  return tokens.some((t) => (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark') && r.grants(text);
}

/**
 * `toSomeonePresent`: whether words to someone present may follow the phrase; not when the phrase itself holds an
 * endearment ("okay honey that's fine, put the dog out": the yes, too, is said to them).
 */
function statement(text: string, r: AnswerReader, place: 'before' | 'after', orTheProblem = true, toSomeonePresent = true): boolean {
  if (/\?|[-–—]\s*$|\.\.\.|…/.test(text)) return false;
  // the caller's reading of the texts, or why texts suit the caller, closing the statement: the rest is judged on its own
  const closing = place === 'after' ? (READING_AT_THE_END.exec(text) ?? TEXTS_SUIT_AT_THE_END.exec(text)) : null;
  if (closing !== null) {
    const rest = text.slice(0, closing.index).trim();
    return rest === '' ? READING_AT_THE_END.test(text) : statement(rest, r, place, orTheProblem);
  }
  // a condition of the visit, not of the texts, closing a statement that stands on its own ("Lockbox code is 7312 if
  // I'm not home", "I'm off on Thursdays if that helps")
  const visit = VISIT_CONDITION_AT_THE_END.exec(text);
  if (visit !== null) {
    const rest = text.slice(0, visit.index).trim();
    return r.words(rest).length >= MIN_WORDS && statement(rest, r, place, orTheProblem);
  }
  if (orTheProblem && describesTheProblem(text, r)) return true;
  if (place === 'after' && toSomeonePresent && wordsToSomeonePresent(text, r)) return true;
  const unspelt = withoutSpelling(text);
  if (introduction(unspelt, r.words(unspelt))) return true;
  const words = r.words(text);
  const tokens = r.tag(words);
  if (words.length < MIN_WORDS || words.length > MAX_WORDS || HALLUCINATIONS.includes(words.join(' '))) return false;
  // a time the lexicon reads as when the problem began ("snapped this morning", "since last night") is the job's story
  const bare = tokens.filter((t) => t.tag !== 'past').flatMap((t) => t.words).map((w) => w.replace(/'s$/, ''));
  // an address: a word of one, or a house number after "we're at", "it's", "house is" with a street's name written
  // with a capital after it ("We're at 1530 West Harmon", "It's 14 Marsh Landing Road")
  const address = bare.some((w) => PLACE_WORDS.has(w)) || HOUSE_NUMBER.test(text);
  // a lone letter is a stray or a spelling, except a unit's letter in an address ("Unit B", "apartment 3 c")
  const callers = THE_CALLER.has((JOINS.has(words[0]!) ? words[1] : words[0]) ?? '');
  // in an address "before", "after", "past" place the house ("the last house before the dock")
  const qualifies = (w: string, k: number): boolean =>
    WORDS_THAT_QUALIFY.has(w) && !(callers && CALLERS_DAY.has(w)) && !(address && ALONG_THE_ROAD.has(w) && bare[k + 1] === 'the');
  if (bare.some((w, k) => qualifies(w, k) || /n't$/.test(w) || FIRST_NAME_SET.has(w) || (/^[b-hj-z]$/.test(w) && !address))) return false;
  if (place === 'after') {
    const opening = (JOINS.has(words[0]!) ? words[1] : words[0]) ?? '';
    // an address may open with its house number ("19 Marigold Court, it's a cul-de-sac")
    if (!(OPENS_A_STATEMENT.has(opening) || (address && NUMBER_WORD.test(opening))) || UNFINISHED.has(words.at(-1)!)) return false;
  }
  // a number is an address or a code, or in the caller's own day the hour after a time word ("till 6", "at 7 30")
  const hour = (k: number): boolean => callers && k > 0 && (CALLERS_DAY.has(bare[k - 1]!) || bare[k - 1] === 'at' || bare[k - 1] === 'by' || NUMBER_WORD.test(bare[k - 1]!));
  // "the one with the green mailbox": a pronoun, not a number
  const pronoun = (k: number): boolean => bare[k] === 'one' && ['the', 'this', 'that', 'a'].includes(bare[k - 1] ?? '');
  if (!address && bare.some((w, k) => NUMBER_WORD.test(w) && !hour(k) && !pronoun(k))) return false;
  // a phone number is never an address or a code ("the code is 512 555 0199")
  if (bare.reduce((n, w) => n + (/^\d+$/.test(w) ? w.length : NUMBER_WORD.test(w) ? 1 : 0), 0) >= PHONE_DIGITS) return false;
  // a capital inside a sentence is a name (someone present, another person) unless the statement gives an address;
  // so is a leading "Name," said to someone
  if (!address && (capitalizedInside(text) || /^[A-Z][a-z]+,/.test(text.trim()))) return false;
  // a place word the lexicon also holds in another sense ("street" of "on the street") stays a place in an address
  // the caller's own day may hold the lexicon's times of it ("I'm on the lift all morning")
  return tokens.every((t) => STATEMENT_TAGS.has(t.tag) || (address && t.words.every((w) => PLACE_WORDS.has(w))) || (callers && t.tag === 'condition' && t.words.every((w) => CALLERS_DAY.has(w))));
}

/** When the caller will read the texts, at the end of the caller's reading ("… I'll check at lunch"): a closed list. */
const READING_TIMES = [
  'later', 'after', 'after work', 'every hour', 'every few minutes', 'after class', 'after church', 'at lunch', 'on lunch', 'on my lunch', 'on (?:my |a |the )?breaks?', 'during (?:my |a |the )?breaks?',
  'at (?:the |a |every )?(?:stops?|red lights?|stoplights?|lights?)', 'between [a-z]+(?: [a-z]+)?', 'tonight', 'in the morning', 'first thing', 'right away',
  '(?:as )?soon as i can', 'when i (?:can|get a chance|pull over|get home|get off|get out|get back|come up for air|take a break|stop|finish|am done|\'?m done)',
];
/**
 * The caller's reading of the texts closing the statement ("…, but I'll check", "so I'll check between routes", "I
 * always check my texts", "I'll see it on break"): the reading is the caller's, and what comes before it is judged as
 * a statement of its own. Only at the end, and only with a time from a closed list, so "but I'll check with my wife"
 * or "I'll check it first" are not read as it.
 */
const READING_AT_THE_END = new RegExp(
  `(?:^|[\\s,.;]+)(?:(?:but|so|and)[\\s,]+)?(?:i'?ll|ill|i will|i can|i|we'?ll)\\s+(?:just\\s+|always\\s+|usually\\s+)?(?:check|read|see|look at|get to|get|keep an eye on|be watching|watch|look for)` +
    `(?:\\s+(?:it|them|'?em|my texts|my phone|the texts?|your texts?|my messages|the messages|it come in))?(?:\\s+(?:${READING_TIMES.join('|')}))?[.!]?\\s*$`,
  'i',
);

/**
 * Why texts suit the caller, closing the statement ("I'm in meetings all morning, so texting's actually better", "I'm
 * between classes, so text is perfect", "I'm solo parenting right now so texts work"): texts named as better, with
 * nothing after them.
 */
const TEXTS_SUIT_AT_THE_END =
  /(?:^|[\s,.;]+)(?:so|and)[\s,]+(?:a )?(?:texts?|texting)(?:'s| is| are)?\s+(?:actually\s+|really\s+|much\s+|way\s+|just\s+)?(?:better|easier|best|perfect|great|ideal|good|fine|works?|the way to go|easiest)[.!]?\s*$/i;
/**
 * A condition of the visit closing a statement ("… if I'm not home", "… if that helps", "… if the tech needs it"): a
 * closed list, so that no condition set on the texts is read as one ("text me if I'm not home" names the texts and is
 * no statement; "only if", "as long as" are not here).
 */
const VISIT_CONDITION_AT_THE_END = new RegExp(
  `(?:^|[\\s,.;]+)if\\s+(?:${[
    '(?:that|it)\\s+helps',
    '(?:they|the tech|the guy|you|your guy|the plumber|anybody|anyone)\\s+(?:needs?|wants?)\\s+(?:it|to(?:\\s+come by)?)',
    "(?:i'?m|i am|we'?re|we are)\\s+not\\s+home",
    "(?:nobody|no one)(?:'s| is)?\\s+(?:answers|home)(?:\\s+the door)?",
  ].join('|')})[.!]?\\s*$`,
  'i',
);

/** What opens the caller's introduction ("this is", "my name is", "it's"), after an optional greeting. */
const INTRODUCED = /^(?:(?:hi|hello|hey) )?(?:this is|my name is|my name's|name's|it's|i'm) /;
/** Words a name never is ("my name is on the account"): after "my name is" they make it no introduction. */
const NOT_A_NAME = new Set(['a', 'an', 'the', 'this', 'that', 'my', 'our', 'your', 'on', 'in', 'at', 'for', 'from', 'with', 'of', 'to', 'and', 'or', 'but', 'so', 'not']);
/** After these the next words are the caller's name, whatever their case ("my name is bernice"). */
const NAMED = /^(?:(?:hi|hello|hey) )?(?:my name is|my name's|name's) /;
/** A title before a name ("This is Coach Reynolds.", "Hi, this is Pastor Jim."). */
const TITLES = new Set(['coach', 'pastor', 'doctor', 'dr', 'mr', 'mrs', 'ms', 'miss', 'father', 'officer', 'judge', 'deacon', 'principal']);
/** How many words a name may hold after its title ("Linda Kowalski", "Bobby Jo Hart"). */
const NAME_REACH = 3;

/**
 * The caller's own name said beside the consent phrase, and nothing else: "It's Linda Kowalski. Yes, go ahead.",
 * "Yeah, that's fine. My name is Esperanza.", "this is marcus yes that's fine". Each word after the opener is a name
 * (the recognizer spelled it with a capital, or it is a first name the lexicon knows), never a person's noun, a
 * possessive ("this is Mike's phone"), a word that qualifies or links to someone else, or a digit.
 */
function introduction(text: string, words: readonly string[]): boolean {
  // "…, and my name's Tunde": a join before the introduction
  const joined = (JOINS.has(words[0] ?? '') ? words.slice(1) : words).join(' ');
  const opener = INTRODUCED.exec(joined);
  if (opener === null) return false;
  const rest = joined.slice(opener[0].length).split(' ');
  const names = rest[rest.length - 1] === 'way' && rest.slice(-3).join(' ') === 'by the way' ? rest.slice(0, -3) : rest;
  const start = TITLES.has(names[0] ?? '') ? 1 : 0;
  if (names.length - start < 1 || names.length - start > NAME_REACH) return false;
  const capitals = new Set((text.match(/\b[A-Z][a-z]+\b/g) ?? []).map((w) => w.toLowerCase()));
  const named = NAMED.test(joined) && !names.some((w) => NOT_A_NAME.has(w));
  return names.slice(start).every((w) => !/'|[0-9]/.test(w) && !PEOPLE_NOUNS.has(w) && !(WORDS_THAT_QUALIFY.has(w) && !FIRST_NAME_SET.has(w)) && (named || FIRST_NAME_SET.has(w) || capitals.has(w)));
}

/**
 * The text without a name spelt out at its end when the letters spell a word said before them ("It's Marcus,
 * M-A-R-C-U-S.", "Rosalind Okafor, O-K-A-F-O-R"): the letters are that name (a recognizer may write a letter as a word,
 * "K" as "okay"). Otherwise the text as it is ("M-A-R-K" after "Marcus" stays).
 */
function withoutSpelling(text: string): string {
  const m = /[\s,]+([A-Za-z](?:[-\s][A-Za-z])+)[.!]?\s*$/.exec(text);
  if (m === null) return text;
  const spelt = m[1]!.replace(/[-\s]/g, '').toLowerCase();
  const before = text.slice(0, m.index).toLowerCase().split(/[^a-z']+/);
  return before.includes(spelt) ? text.slice(0, m.index) : text;
}

function capitalizedInside(text: string): boolean {
  return text
    .split(/(?<=[.!?])\s+/)
    .flatMap((sentence) => sentence.split(/[\s,;:]+/).filter((w) => w !== '').slice(1))
    .some((w) => /^[A-Z][a-z]/.test(w) && !/^I(?:'|$)/.test(w));
}

/**
 * Words of WORDS_THAT_QUALIFY that a description of the problem may hold: the plain negation of the thing's working
 * ("the toilet won't stop running", "there's no heat", "the walk-in isn't holding temp") and when it happened or
 * happens ("snapped this morning", "it's supposed to freeze tonight", "every time it rains"). "stop" only after a
 * negation ("won't stop running"), "time" only after "every".
 */
const IN_THE_PROBLEM: ReadonlySet<string> = new Set([
  'no', 'not', 'never', 'nothing', 'stop', 'morning', 'mornings', 'night', 'nights', 'tonight', 'today', 'tomorrow', 'afternoon', 'evening',
  'weekend', 'day', 'days', 'week', 'weeks', 'hour', 'hours', 'minute', 'minutes', 'time', 'times', 'now', 'still', 'monday', 'tuesday',
  'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'get', 'but', 'quit', 'around', 'noon', 'midnight', 'lunch', 'lunchtime',
]);
/** The lexicon's asides that are the problem's own words there ("hasn't shut off", "it quit yesterday", "already cold"). */
const ASIDES_IN_THE_PROBLEM: ReadonlySet<string> = new Set(['off', 'yesterday', 'earlier', 'already']);
/** The negations "stop" may follow in the problem ("won't stop running", "can't stop beeping"). */
const NEGATED = /^(?:no|not|never|[a-z]+n't|cannot)$/;
/**
 * What a negated clause may not hold beside WORDS_THAT_QUALIFY, though a plain statement may: the caller, a tradesman,
 * and the words that make a negation a refusal of the texts ("it's not necessary", "it won't matter", "that's not a
 * good idea", "it's not for me").
 */
const NOT_IN_THE_PROBLEM: ReadonlySet<string> = new Set([
  'i', 'i\'m', 'i\'ll', 'i\'ve', 'i\'d', 'me', 'we', 'we\'re', 'we\'ll', 'we\'ve', 'us', 'mine', 'ours', 'plumber', 'electrician', 'technician',
  'locksmith', 'roofer', 'man', 'lady', 'idea', 'necessary', 'interested', 'interest', 'enough', 'too', 'bother', 'bothers', 'matter', 'matters',
  'problem', 'worry', 'thanks', 'thank', 'please', 'sorry', 'good', 'bad', 'ok', 'sounds',
]);
/** How the problem's clause opens: the thing ("the", "my", "our", "it", "there's"), or a word of the job with its verb ("roof's leaking", "Furnace quit"). */
const OPENS_THE_PROBLEM = new Set(['the', 'my', 'our', 'it', 'it\'s', 'there\'s', 'there']);
const MIN_PROBLEM_WORDS = 2;
/** The whole description at most: a longer one is a story, read by the rules of remarks if at all. */
const MAX_PROBLEM_WORDS = 40;

/**
 * The problem described: one or more clauses (split at the recognizer's marks, and before a new subject when it wrote
 * none), each with a thing as its subject and nothing in it that could qualify the answer but a plain negation of the
 * thing's working and when it happened. "It's the upstairs toilet, it won't stop running.", "the wind's howling and the
 * garage door won't close", "Furnace quit and it's twenty below." A number may give a temperature or an hour, never
 * seven digits or more (a phone number).
 */
function describesTheProblem(text: string, r: AnswerReader): boolean {
  // a day's name is written with a capital and is no person ("the heater quit Sunday morning")
  const days = text.replace(/\b(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b/g, (d) => d.toLowerCase());
  if (/\?|[-–—]\s*$|\.\.\.|…/.test(text) || capitalizedInside(days)) return false;
  const pieces = text.split(/[.;:!,]+\s*/).map((p) => r.words(p)).filter((p) => p.length > 0);
  const words = pieces.flat();
  if (words.length === 0 || words.length > MAX_PROBLEM_WORDS) return false;
  if (words.reduce((n, w) => n + (/^\d+$/.test(w) ? w.length : NUMBER_WORD.test(w) ? 1 : 0), 0) >= PHONE_DIGITS) return false;
  return pieces.every((p) => problemClauses(p, r));
}

/**
 * The words as problem clauses, one or several in a row ("the wind's howling | and the garage door won't close"); the
 * first may be a plain statement instead ("I locked myself out | and the spare key won't turn"). Read from the end, each
 * start once, so the work stays quadratic in the words.
 */
function problemClauses(words: readonly string[], r: AnswerReader): boolean {
  // parses[i]: the words from i on are problem clauses
  const parses: boolean[] = new Array<boolean>(words.length + 1).fill(false);
  parses[words.length] = true;
  for (let i = words.length - MIN_PROBLEM_WORDS; i >= 0; i--) {
    if (i > 0 && !OPENS_THE_PROBLEM.has(words[i]!) && !JOINS.has(words[i]!) && words[i] !== 'but') continue;
    for (let k = i + MIN_PROBLEM_WORDS; k <= words.length && !parses[i]; k++) {
      if (!parses[k]) continue;
      const clause = words.slice(i, k);
      // the plain statement opens as one ("and take my truck" does not)
      parses[i] = problemClause(clause, r) || (i === 0 && k < words.length && statement(clause.join(' '), r, 'after', false, false));
    }
  }
  return parses[0]!;
}

function problemClause(clause: readonly string[], r: AnswerReader): boolean {
  // "…, but it won't get hot": a contrast between two clauses of the problem
  const words = JOINS.has(clause[0] ?? '') || clause[0] === 'but' ? clause.slice(1) : clause;
  if (words.length < MIN_PROBLEM_WORDS || words.length > MAX_WORDS) return false;
  const tokens = r.tag(words);
  const first = words[0]!;
  // "roof's leaking": the thing's name is a word of the job ("xochitl's at the door" is someone present)
  const thing = first.endsWith('\'s') && r.tag([first.slice(0, -2)])[0]?.tag === 'job';
  if (!(OPENS_THE_PROBLEM.has(first) || thing || tokens[0]?.tag === 'job')) return false;
  // a clause says something: a word of the job or one the lexicon does not know besides the openers and numbers ("the
  // the it", "it's 40" say nothing of a thing)
  if (!tokens.some((t) => (t.tag === 'job' || t.tag === 'unknown') && !t.words.every((w) => OPENS_THE_PROBLEM.has(w) || JOINS.has(w) || NUMBER_WORD.test(w)))) return false;
  // a clause does not say the same word over and over (recognizer output for noise)
  if (new Set(words).size < words.length / 2) return false;
  const held = (w: string, k: number): boolean => {
    const bare = w.replace(/'s$/, '');
    if (NOT_IN_THE_PROBLEM.has(bare) || FIRST_NAME_SET.has(bare) || /^[b-hj-z]$/.test(bare)) return false;
    if (bare === 'stop') return NEGATED.test(words[k - 1] ?? '');
    if (bare === 'time' || bare === 'times') return words[k - 1] === 'every';
    return !WORDS_THAT_QUALIFY.has(bare) || IN_THE_PROBLEM.has(bare) || /n't$/.test(bare);
  };
  if (!words.every(held)) return false;
  // a refusal or a condition the lexicon reads is only the negation or the time ("won't", "this morning"), never more
  // ("no thanks", "not interested", "if")
  return tokens.every(
    (t) =>
      STATEMENT_TAGS.has(t.tag) ||
      (QUALIFYING_TAGS_IN_THE_PROBLEM.has(t.tag) && t.words.every((w) => NEGATED.test(w) || IN_THE_PROBLEM.has(w))) ||
      (t.tag === 'aside' && t.words.every((w) => ASIDES_IN_THE_PROBLEM.has(w))),
  );
}
const QUALIFYING_TAGS_IN_THE_PROBLEM = new Set<Token['tag']>(['negate', 'negator', 'condition']);
