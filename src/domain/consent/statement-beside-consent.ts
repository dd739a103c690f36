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
import { TEXTING_WORDS, type Token } from './answer-shape.ts';
import type { AnswerReader } from './before-the-answer.ts';
import { HALLUCINATIONS } from './consent-lexicon.ts';
import { FIRST_NAMES, PEOPLE } from './disqualifier-phrases.ts';
import { GO_AHEAD } from './remark-clauses.ts';

/**
 * Words the statement may not hold, whatever the rest says: each could turn the statement into a limit, a condition, a
 * doubt, another person or channel, a question, sarcasm, a take-back or words to a machine. Grouped as read.
 */
const WORDS_THAT_QUALIFY: ReadonlySet<string> = new Set([
  // refusal, take-back, contrast
  'no', 'not', 'never', 'nothing', 'nobody', 'none', 'nope', 'nah', 'nay', 'neither', 'nor', 'but', 'though', 'although', 'however',
  'actually', 'except', 'unless', 'otherwise', 'instead', 'rather', 'wait', 'hold', 'hang', 'scratch', 'mind', 'second', 'kidding',
  'joking', 'joke',
  // condition, limit, time set on the texts
  'if', 'whenever', 'when', 'once', 'provided', 'assuming', 'only', 'just', 'until', 'till', 'before', 'after', 'between', 'during',
  'while', 'twice', 'single', 'time', 'times', 'now', 'later', 'soon', 'asap', 'limit', 'limits', 'max', 'maximum', 'minimum', 'tops',
  'few', 'couple', 'many', 'much', 'more', 'less', 'lot', 'same', 'usual', 'reason', 'still',
  'morning', 'mornings', 'night', 'nights', 'evening', 'evenings', 'afternoon', 'afternoons', 'weekend', 'weekends', 'weekday',
  'weekdays', 'daytime', 'nighttime', 'am', 'pm', 'noon', 'midnight', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
  'saturday', 'sunday', 'today', 'tonight', 'tomorrow', 'hour', 'hours', 'minute', 'minutes', 'day', 'days', 'week', 'weeks',
  'o\'clock', 'clock',
  // hedge, question
  'maybe', 'probably', 'guess', 'suppose', 'think', 'perhaps', 'possibly', 'might', 'kinda', 'kind', 'sort', 'sorta', 'depends',
  'depending', 'whatever', 'what', 'who', 'why', 'how', 'which', 'where', 'whose', 'whom', 'question', 'questions', 'can', 'could',
  'would', 'should', 'may', 'must', 'shall', 'you', 'your', 'you\'re', 'yours',
  // the texts, the phone, another channel, what the texts cost or are about
  'phone', 'phones', 'cell', 'cellphone', 'mobile', 'number', 'numbers', 'call', 'calls', 'calling', 'called', 'email', 'emails',
  'mail', 'mailed', 'send', 'sent', 'sending', 'forward', 'share', 'landline', 'line', 'voicemail', 'reach', 'contact', 'ring', 'dial',
  'app', 'whatsapp', 'facebook', 'messenger', 'signal', 'reception', 'stop', 'help', 'start', 'quit', 'unsubscribe', 'opt', 'reply',
  'respond', 'replies', 'data', 'rate', 'rates', 'charge', 'charges', 'pay', 'paying', 'free', 'cost', 'costs', 'fee', 'fees', 'plan',
  'carrier', 'verizon', 'sprint', 'tmobile', 'att', 'reminder', 'reminders', 'appointment', 'appointments', 'confirmation', 'update',
  'updates', 'eta', 'receipt', 'invoice', 'bill', 'billing', 'price', 'prices', 'pricing', 'quote', 'quotes', 'estimate',
  'estimates', 'payment', 'promotions', 'promotion', 'ad', 'ads', 'advertising', 'marketing', 'offers', 'offer', 'deals', 'deal',
  'coupons', 'coupon', 'specials', 'newsletter', 'survey', 'review', 'english', 'spanish', 'speak', 'language',
  // another person, someone present, who decides
  'he', 'she', 'him', 'her', 'his', 'hers', 'they', 'them', 'their', 'theirs', 'someone', 'somebody', 'anyone', 'anybody',
  'everyone', 'owner', 'homeowner', 'customer', 'office', 'boss', 'parent', 'parents', 'permission', 'allowed', 'old', 'age', 'minor',
  'honey', 'sweetie', 'babe', 'baby', 'dear', 'hon', 'buddy', 'kiddo', 'sweetheart', 'darling', 'coming', 'say', 'says', 'said',
  'told', 'tell', 'tells', 'asked', 'okayed', 'understand', 'hear', 'hearing', 'heard', 'deaf', 'listening', 'here',
  // the visit asked for or hurried (the way in, "the gate code is 4471", "the back door sticks", may stand)
  'come', 'get', 'hurry', 'quick', 'quickly', 'fast', 'guy', 'guys', 'tech', 'outside',
  // a machine addressed, an answer recorded
  'ignore', 'instruction', 'instructions', 'previous', 'record', 'recorded', 'log', 'logged', 'system', 'ai', 'bot', 'robot',
  'computer', 'prompt', 'agree', 'agreed', 'agreeing', 'consent', 'consented', 'override', 'mark', 'note', 'flag', 'label',
  'labeled', 'classify', 'developer', 'mode', 'forget', 'rules', 'save', 'answer',
  // sarcasm and idioms of refusal
  'right', 'sure', 'great', 'wonderful', 'perfect', 'exactly', 'lovely', 'fantastic', 'totally', 'wanted', 'want', 'need', 'needed',
  'lol', 'haha', 'ha', 'sarcasm', 'like', 'love', 'favorite', 'lucky', 'story', 'life', 'dream', 'thrilled', 'yay', 'wow', 'pigs',
  // an errand for someone present ("the dog needs to go out")
  'needs', 'go',
  'fly', 'hell', 'wrong', 'scam', 'spam', 'block', 'report', 'sue', 'dnc', 'registry', 'prefer', 'preferably', 'better', 'best',
  'ideally', 'avoid',
  // a hesitation, a trailing join, a farewell (the call closing, not an answer), a Spanish limit
  'um', 'uh', 'er', 'erm', 'hmm', 'eh', 'ah', 'well', 'or', 'mean', 'meant', 'bye', 'goodbye', 'care', 'pero', 'solo', 'nada',
  'nunca', 'cuando', 'si',
  // a yes of any kind: the statement must hold none, so the one consent phrase decides
  'yes', 'yeah', 'yep', 'yup', 'yea', 'okay', 'alright', 'absolutely', 'definitely', 'certainly', 'fine',
  ...TEXTING_WORDS,
  ...PEOPLE.filter((p) => !p.includes(' ')),
]);

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
const ENDS_A_PHRASE = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'me', 'please', 'fine', 'good', 'ahead', 'absolutely', 'definitely', 'course', 'sir', 'ma\'am', 'thing', 'great', 'perfect', 'okay', 'alright', 'works']);
/** Words that open a consent phrase said after the statement without punctuation ("the septic alarm is beeping and | yes please text me"). */
const OPENS_A_PHRASE = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'okay', 'alright', 'absolutely', 'definitely', 'so', 'and']);
/** With one of these the numbers in a statement are an address, a unit or a code ("we're at 55 Harbor View, unit 12", "the gate code is 4471"). */
const PLACE_WORDS = new Set(['address', 'street', 'st', 'road', 'rd', 'drive', 'dr', 'avenue', 'ave', 'lane', 'ln', 'way', 'boulevard', 'blvd', 'court', 'ct', 'circle', 'place', 'unit', 'apartment', 'apt', 'suite', 'building', 'code', 'gate', 'lockbox', 'highway', 'route', 'trail', 'parkway', 'terrace', 'pike', 'floor']);
const NUMBER_WORD = /^(?:\d+|zero|oh|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)$/;
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
const PEOPLE_NOUNS: ReadonlySet<string> = new Set(PEOPLE);

/**
 * The part of the answer that decides when the rest is a plain statement, or null. Tries each split of the spoken
 * words into a consent phrase and a statement, the phrase first or last.
 */
export function besideAStatement(transcript: string, r: AnswerReader): string | null {
  const parts = transcript.trim().split(/\s+/);
  for (let k = 1; k < parts.length; k++) {
    const head = parts.slice(0, k).join(' ');
    const tail = parts.slice(k).join(' ');
    const headWords = r.words(head);
    const tailWords = r.words(tail);
    const headEnds = /[.,!;:]$/.test(head);
    if (headWords.length <= MAX_PHRASE_WORDS && (headEnds || ENDS_A_PHRASE.has(headWords.at(-1) ?? '')) && isStatement(tail, r, 'after') && consentPhrase(head, r)) return head;
    if (tailWords.length <= MAX_PHRASE_WORDS && (headEnds || OPENS_A_PHRASE.has(tailWords[0] ?? '')) && isStatement(head, r, 'before') && consentPhrase(tail, r)) return tail;
  }
  return null;
}

/** A consent phrase (not a bare yes) that grants on its own. */
function consentPhrase(text: string, r: AnswerReader): boolean {
  const tokens = r.tag(r.words(text));
  const cues = tokens.filter((t) => t.tag === 'affirm');
  // "go ahead" alone may be said to someone present ("go ahead, the dog's out back"): remark-clauses.ts, GO_AHEAD
  if (cues.length > 0 && cues.every((t) => GO_AHEAD.test(t.words.join(' ')))) return false;
  return tokens.some((t) => (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark') && r.grants(text);
}

/** An apology that closes words said to someone present ("Buddy, get down! Sorry.", "kayla put that down sorry"). */
const APOLOGY_AT_END = /^(.+?)[\s,.!]+sorry(?: about that| about the noise| for that)?(?:[\s,.!]+(.+?))?[.!]?$/is;
/** What words to someone present may hold beside the plain words of a statement: a name, an endearment, an order to a child or a dog. */
const TO_SOMEONE_PRESENT = new Set(['honey', 'sweetie', 'babe', 'baby', 'buddy', 'kiddo', 'sweetheart', 'hon', 'go', 'get', 'come', 'here', 'right', 'now', 'please', 'hold', 'still', 'wait']);

/**
 * Words said to someone present after the consent phrase, closed by an apology to the caller's listener and perhaps the
 * answer said again: "Yes, that's fine. Buddy, get down! Sorry, the dog.", "sure text me kayla put that down sorry",
 * "Sure, text me. Hold still, buddy. Sorry, go ahead.". The words may name the child or
 * the dog and give an order, but hold nothing else that could qualify the answer (no refusal, no other channel or
 * person to text, no number, no question).
 */
function wordsToSomeonePresent(text: string, r: AnswerReader): boolean {
  const m = APOLOGY_AT_END.exec(text.trim().replace(/[,.!]?\s*(?:the|my) (?:dog|dogs|kids|kid|baby)[.!]?$/i, ''));
  if (m === null || /\?/.test(text)) return false;
  // after the apology only the answer said again may follow ("Hold still, buddy. Sorry, go ahead.")
  if (m[2] !== undefined && !r.grants(m[2])) return false;
  const words = r.words(m[1]!).map((w) => w.replace(/'s$/, ''));
  if (words.length < 2 || words.length > 12) return false;
  return words.every((w) => !(WORDS_THAT_QUALIFY.has(w) || /n't$/.test(w) || NUMBER_WORD.test(w)) || TO_SOMEONE_PRESENT.has(w) || FIRST_NAME_SET.has(w));
}

function isStatement(text: string, r: AnswerReader, place: 'before' | 'after'): boolean {
  if (/\?|[-–—]\s*$|\.\.\.|…/.test(text)) return false;
  if (place === 'after' && wordsToSomeonePresent(text, r)) return true;
  const unspelt = withoutSpelling(text);
  if (introduction(unspelt, r.words(unspelt))) return true;
  const words = r.words(text);
  const tokens = r.tag(words);
  if (words.length < MIN_WORDS || words.length > MAX_WORDS || HALLUCINATIONS.includes(words.join(' '))) return false;
  // a time the lexicon reads as when the problem began ("snapped this morning", "since last night") is the job's story
  const bare = tokens.filter((t) => t.tag !== 'past').flatMap((t) => t.words).map((w) => w.replace(/'s$/, ''));
  const address = bare.some((w) => PLACE_WORDS.has(w));
  // a lone letter is a stray or a spelling, except a unit's letter in an address ("Unit B", "apartment 3 c")
  const callers = THE_CALLER.has((JOINS.has(words[0]!) ? words[1] : words[0]) ?? '');
  const qualifies = (w: string): boolean => WORDS_THAT_QUALIFY.has(w) && !(callers && CALLERS_DAY.has(w));
  if (bare.some((w) => qualifies(w) || /n't$/.test(w) || FIRST_NAME_SET.has(w) || (/^[b-hj-z]$/.test(w) && !address))) return false;
  if (place === 'after') {
    const opening = (JOINS.has(words[0]!) ? words[1] : words[0]) ?? '';
    // an address may open with its house number ("19 Marigold Court, it's a cul-de-sac")
    if (!(OPENS_A_STATEMENT.has(opening) || (address && NUMBER_WORD.test(opening))) || UNFINISHED.has(words.at(-1)!)) return false;
  }
  // a number is an address or a code, or in the caller's own day the hour after a time word ("till 6", "at 7 30")
  const hour = (k: number): boolean => callers && k > 0 && (CALLERS_DAY.has(bare[k - 1]!) || bare[k - 1] === 'at' || bare[k - 1] === 'by' || NUMBER_WORD.test(bare[k - 1]!));
  if (!address && bare.some((w, k) => NUMBER_WORD.test(w) && !hour(k))) return false;
  // a phone number is never an address or a code ("the code is 512 555 0199")
  if (bare.reduce((n, w) => n + (/^\d+$/.test(w) ? w.length : NUMBER_WORD.test(w) ? 1 : 0), 0) >= PHONE_DIGITS) return false;
  // a capital inside a sentence is a name (someone present, another person) unless the statement gives an address;
  // so is a leading "Name," said to someone
  if (!address && (capitalizedInside(text) || /^[A-Z][a-z]+,/.test(text.trim()))) return false;
  // a place word the lexicon also holds in another sense ("street" of "on the street") stays a place in an address
  return tokens.every((t) => STATEMENT_TAGS.has(t.tag) || (address && t.words.every((w) => PLACE_WORDS.has(w))));
}

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
