/**
 * What a caller says before the answer that decides, and may be set aside when that answer is a clear yes:
 * a question they asked (or the prompt repeated back) and then had answered, a word they corrected ("call
 * me, I mean text me"), and a leading "no" that belongs to a negation idiom ("no, I don't mind, go ahead and
 * text me"). Each reading returns the part of the answer that decides, or null; the classifier then judges
 * that part on its own, and grants only when it would grant anyway (rule-consent-classifier.ts). Why, and
 * what each reading may never set aside: src/domain/consent/README.md, "Before the final yes". A pause
 * ("hold on, turning down the radio, yeah text me") is a fourth, and the line confirmed ("yeah, you're coming through,
 * that's fine, go ahead and text") a fifth.
 */
import { BARE_YES } from './affirmative-phrases.ts';
import { TEXTING_WORDS, type Token } from './answer-shape.ts';
import { FIRST_NAMES, PEOPLE } from './disqualifier-phrases.ts';

/** The two steps the readings need from the classifier: tag words, and judge a shorter answer. */
export interface AnswerReader {
  /** Normalized words of a stretch of the transcript. */
  words(text: string): string[];
  /** Lexicon tags of normalized words, negators resolved. */
  tag(words: readonly string[]): Token[];
  /** Whether this stretch of the transcript, judged on its own, is a clear yes. */
  grants(text: string): boolean;
}

/**
 * What a lead-in may never hold, whatever follows it: a refusal, a condition, a take-back, sarcasm, another
 * person or channel, an instruction to a machine, recognizer noise. A question there is the point; a hedge
 * only as a pause ("wait, texts about what?").
 */
const NEVER_SET_ASIDE = new Set<Token['tag']>(['negate', 'negator', 'condition', 'contrast', 'sarcasm', 'redirect', 'injection', 'noise']);
const PAUSES = new Set(['wait', 'hold on', 'hang on', 'one second']);

/** Words that show an answer to the caller's question was heard before the yes ("Who's texting? Oh, the plumber. Yes."). */
const HEARD = new Set(['oh', 'ah', 'ahh', 'ohh', 'okay', 'alright', 'all right', 'got it', 'i see', 'great', 'right', 'cool', 'gotcha', 'perfect']);

/** The words of the prompt ("…would it be okay if <business> texts you about your service request? … Sound good?") and of asking it back. */
const PROMPT_WORDS = new Set([
  'would', 'will', 'is', 'it', 'be', 'okay', 'alright', 'all', 'right', 'fine', 'if', 'you', 'text', 'texts', 'texting', 'texted', 'me', 'can', 'could',
  'that', 'this', 'sound', 'sounds', 'good', 'about', 'my', 'your', 'the', 'service', 'request', 'did', 'say', 'said', 'do', 'want', 'to', 'i', 'a',
  'so', 'oh', 'wait', 'um', 'uh', 'what', 'sorry', 'message', 'messages', 'send', 'y\'all', 'they', 'you\'re', 'going', 'mean', 'ok', 'and',
]);

/**
 * The prompt's terms ("one to four texts within a day", "message and data rates may apply", "a callback
 * confirmation") said back, a lead of their words only ("one to four a day", "four texts max, got it", "so just the
 * callback confirmation"): the caller confirming what was offered. A term must be named; "only", "one text", another
 * count ("two texts max"), a hedge, "stop" or a take-back are not among the words, so a limit or a refusal is never set
 * aside.
 */
const TERM_WORDS = new Set([
  'one', 'four', 'up', 'to', 'max', 'at', 'most', 'a', 'in', 'per', 'within', 'day', 'the', 'texts', 'messages', 'message',
  'and', 'data', 'rates', 'rate', 'may', 'apply', 'callback', 'confirmation', 'just', 'so', 'got', 'it',
]);
/** The words that name a term: a lead of prompt words alone ("so okay") is not the terms said back. */
const TERM_NAMES = new Set(['four', 'day', 'max', 'rates', 'data', 'callback', 'confirmation']);
/** The conditions the terms themselves hold: "within a day", "just the callback confirmation". */
const TERM_CONDITIONS = new Set(['within', 'just the']);

function saysBackTerms(tokens: readonly Token[]): boolean {
  const words = tokens.flatMap((t) => t.words);
  // a count is the offer's only with its top ("one to four", "four max"): "one a day" alone sets a limit of the caller's
  const counted = !words.includes('one') || words.includes('four');
  return counted && words.every((w) => TERM_WORDS.has(w) || PROMPT_WORDS.has(w)) && words.some((w) => TERM_NAMES.has(w));
}

/** The wh-words of the prompt's words: a lead asking one of them is a question of its own, not the prompt said back. */
const WH_WORDS = new Set(['what', 'who', 'why', 'where', 'how', 'when']);

/** A question about the price is open until it is answered with a figure: a yes after it may hang on it. */
const COST = new Set(['how much', 'price', 'pay', 'paid', 'money', 'dollar', 'dollars', 'bill', 'billed']);

/** Signs that an answer was received, not only that the caller goes on ("okay", "great" may just begin the yes). */
const ANSWER_HEARD = new Set(['oh', 'ah', 'ahh', 'ohh', 'got it', 'i see', 'gotcha']);

/** "then yes", "if so, yes": a yes made to hang on the answer to the question, not given. */
const HANGING = new Set(['then', 'if so', 'in that case']);

/** The words of the transcript with where a question mark ended one, and the raw text from each word on. */
interface Spoken {
  readonly pieces: readonly string[];
  /** pieces[i] ends with a question mark */
  readonly asked: readonly boolean[];
}

function pieces(transcript: string): Spoken {
  const raw = transcript.split(/\s+/).filter((p) => p !== '');
  return { pieces: raw, asked: raw.map((p) => /\?/.test(p)) };
}

function settable(tokens: readonly Token[]): boolean {
  return tokens.every((t) => !NEVER_SET_ASIDE.has(t.tag) && (t.tag !== 'hedge' || PAUSES.has(t.words.join(' '))));
}

/**
 * "Who's texting? Oh, the plumber. Yes, please.", "is this the locksmith okay yeah text me", "Can you text me?
 * Sure, you can.": a question before the final yes. The answer after it decides when it grants on its own,
 * and the lead-in is only a question: it holds a question, nothing in NEVER_SET_ASIDE, and either repeats the
 * prompt (its words only, and naming texts or holding its "okay", "sound good") or is followed by a sign that
 * it was answered ("oh", "okay", "got it": "is it a lot of texts? sounds good" leaves it open). A bare yes after
 * a question that does not name texts ("who is this? oh, yes") may answer something else, so the answer then
 * needs a consent phrase. "then yes" hangs the yes on the answer. After a
 * request to hear the prompt again ("huh? yes please") both a sign of having heard it and a consent phrase.
 */
export function afterClarification(transcript: string, r: AnswerReader, isConsentPhrase: (t: Token) => boolean, misheard: boolean): string | null {
  const s = pieces(transcript);
  // a mark inside the answer (a last full stop says nothing about where the question ended)
  const punctuated = /[?.!]/.test(transcript.trim().replace(/[?.!]+$/, ''));
  for (let k = 1; k < s.pieces.length; k++) {
    const lead = s.pieces.slice(0, k).join(' ');
    const rest = s.pieces.slice(k).join(' ');
    if (s.asked.slice(k).some((a) => a)) continue;
    const leadTokens = r.tag(r.words(lead));
    const restTokens = r.tag(r.words(rest));
    const restStart = restTokens[0];
    if (restStart === undefined || leadTokens.length === 0) continue;
    // the answer starts at a yes or at a sign of having heard one ("oh", "okay"); a question is not cut in two:
    // written with punctuation, the lead ends at a mark; without, the answer opens with a word that answers
    // ("why do you need to | text me" is one question)
    const startWord = restStart.words.join(' ');
    if (restStart.tag !== 'affirm' && !HEARD.has(startWord)) continue;
    if (punctuated ? !/[?.!,]$/.test(s.pieces[k - 1]!) : !HEARD.has(startWord) && !BARE_YES.has(startWord)) continue;
    const askedHere = s.asked.slice(0, k).some((a) => a) || leadTokens.some((t) => t.tag === 'question') || invertedAt(leadTokens);
    // the prompt said back ("is it okay if you text me", "sound good?", "Texts about my service request.")
    const leadWords = leadTokens.flatMap((t) => t.words);
    // a wh-question ("What is this? Okay, sure.") is the prompt said back only when it names the texts: its "okay" may
    // be the answer to it, not the prompt's
    const whAsked = leadWords.some((w) => WH_WORDS.has(w));
    const termsBack = !whAsked && saysBackTerms(leadTokens);
    const repeatsPrompt = termsBack || (leadWords.every((w) => PROMPT_WORDS.has(w)) && leadTokens.some((t) => (t.tag === 'affirm' && !whAsked) || t.words.some((w) => TEXTING_WORDS.has(w))));
    const termCondition = (t: Token): boolean => termsBack && t.tag === 'condition' && TERM_CONDITIONS.has(t.words.join(' '));
    if (!(askedHere || repeatsPrompt) || !settable(leadTokens.filter((t) => !promptRepeat(t, leadTokens) && !termCondition(t)))) continue;
    if (restTokens.some((t) => HANGING.has(t.words.join(' ')))) continue;
    if (leadTokens.some((t) => COST.has(t.words.join(' ')))) continue;
    const namesTexts = leadTokens.some((t) => t.words.some((w) => TEXTING_WORDS.has(w)));
    const lastQuestion = lastIndex(leadTokens, (t) => t.tag === 'question');
    const heard = [...leadTokens.slice(lastQuestion + 1), restStart].some((t) => HEARD.has(t.words.join(' ')));
    const consentPhrase = restTokens.some(isConsentPhrase);
    // "how many texts? yes" leaves the question open; "Did you say text? Yeah, text is great." answers it; "texts
    // about what? oh, the repair, yeah sure" heard the answer ("okay" may only begin the yes: "is it a lot of texts? okay yes")
    const answerHeard = [...leadTokens.slice(lastQuestion + 1), restStart].some((t) => ANSWER_HEARD.has(t.words.join(' ')));
    if (!repeatsPrompt && !heard) continue;
    if (!repeatsPrompt && !consentPhrase && !(answerHeard && namesTexts)) continue;
    // the terms said back are confirmed by a consent phrase: a bare "okay" after "up to four texts?" may only acknowledge them
    if (termsBack && !consentPhrase) continue;
    if (misheard && !(heard && consentPhrase)) continue;
    if (r.grants(rest)) return rest;
  }
  return null;
}

/** "is it okay if you text me": the "if" of the prompt said back, not a condition. */
function promptRepeat(t: Token, tokens: readonly Token[]): boolean {
  if (t.tag !== 'condition' || t.words.join(' ') !== 'if') return false;
  const i = tokens.indexOf(t);
  const next = tokens.slice(i + 1, i + 3).flatMap((x) => x.words);
  return ['you', 'y\'all', 'they', 'we'].includes(next[0] ?? '') && next.slice(1).some((w) => TEXTING_WORDS.has(w) || w === 'send');
}

const INVERTING = new Set(['is', 'are', 'will', 'would', 'can', 'could', 'does', 'do', 'did']);
const SUBJECTS = new Set(['it', 'this', 'that', 'you', 'i', 'they', 'there', 'we', 'the']);

/** "would it be okay", "can you text me": an auxiliary before its subject at the start asks, though unpunctuated. */
function invertedAt(tokens: readonly Token[]): boolean {
  const words = tokens.flatMap((t) => t.words);
  return INVERTING.has(words[0] ?? '') && SUBJECTS.has(words[1] ?? '');
}

/** The self-corrections: "I mean", "I meant", "scratch that", "or rather" before the word that replaces the one said. */
const CORRECTION = /\b(?:sorry[\s,]+)?(?:i mean[t]?|scratch that|strike that|or rather)\b[\s,.!]*/gi;
/**
 * Words that correct only a channel just said ("you can call, sorry, text me", "email me, wait, text is better"):
 * alone they may be an apology, a pause or a take-back, so they count as a correction only when what they replace
 * names a call or an email and what follows names texts. Not "no" ("call me, no, text me"): a refusal is never
 * read again (README.md, "Before the final yes").
 */
const CHANNEL_CORRECTION = /\b(?:sorry|wait|actually)\b[\s,.!]*/gi;
/** A channel a caller may correct to text: "call me, I mean text me", "email, I mean text". */
const CHANNELS = new Set(['call', 'calls', 'calling', 'call me', 'email', 'e mail', 'mail']);

/**
 * "yeah call me i mean text me", "Sure, email me, sorry, I mean text me.", "that's good I mean yes that's fine":
 * a correction inside a yes. The answer after the last "I mean" decides; what it replaces may hold only
 * affirmatives, neutral words and the channel corrected (a call or an email), and when a channel was corrected
 * the answer after it names texts. "no I mean yes" and "I mean I guess" are not corrections inside a yes.
 */
export function afterCorrection(transcript: string, r: AnswerReader): string | null {
  // the last mark by where it ends ("sorry, I mean" is one mark, not "sorry" before "I mean")
  const end = (m: RegExpExecArray | RegExpMatchArray): number => (m.index ?? 0) + m[0].length;
  const marks = [...transcript.matchAll(CORRECTION), ...transcript.matchAll(CHANNEL_CORRECTION)].sort((a, b) => end(a) - end(b));
  const last = marks[marks.length - 1];
  if (last === undefined || last.index === undefined) return null;
  const onlyAChannel = !new RegExp(CORRECTION.source, 'i').test(last[0]);
  const before = transcript.slice(0, last.index);
  const after = transcript.slice(last.index + last[0].length);
  const replaced = r.tag(r.words(before));
  if (!replaced.some((t) => t.tag === 'affirm')) return null;
  const neutral = new Set<Token['tag']>(['affirm', 'filler', 'context', 'polite', 'backchannel']);
  const channel = (t: Token): boolean => t.tag === 'redirect' && CHANNELS.has(t.words.join(' '));
  // a pause in the corrected part ("yes call me, wait, I mean text me") is part of correcting it
  const pause = (t: Token): boolean => t.tag === 'hedge' && PAUSES.has(t.words.join(' '));
  if (!replaced.every((t) => neutral.has(t.tag) || channel(t) || pause(t) || (t.tag === 'unknown' && ['me'].includes(t.words[0]!)))) return null;
  const correctedChannel = replaced.some(channel);
  if (onlyAChannel && !correctedChannel) return null;
  const restWords = r.words(after);
  if (correctedChannel && !restWords.some((w) => TEXTING_WORDS.has(w))) return null;
  return r.grants(after) ? after : null;
}

/** Openers that put the call on hold for a moment ("hold on", "one sec"). */
const HOLDS = /^\s*(?:hold on|hang on|one sec(?:ond)?|just a sec(?:ond)?|wait a sec(?:ond)?|give me a sec(?:ond)?|one moment|just a minute)\b/i;

/**
 * "hold on, turning down the radio, yeah text me": a pause and what the caller is doing, then the answer. Set
 * aside when the pause holds nothing in NEVER_SET_ASIDE and no question, and the answer after it names texts
 * (a bare yes after a pause may be to someone present: "hold on, yes, you can have one").
 */
export function afterPause(transcript: string, r: AnswerReader): string | null {
  if (!HOLDS.test(transcript)) return null;
  const s = pieces(transcript);
  for (let k = 1; k < s.pieces.length; k++) {
    const lead = r.tag(r.words(s.pieces.slice(0, k).join(' ')));
    if (s.asked.slice(0, k).some((a) => a) || lead.some((t) => t.tag === 'question') || !lead.every((t) => !NEVER_SET_ASIDE.has(t.tag))) return null;
    const rest = s.pieces.slice(k).join(' ');
    const restTokens = r.tag(r.words(rest));
    if (restTokens[0]?.tag !== 'affirm' || !restTokens.some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)))) continue;
    return r.grants(rest) ? rest : null;
  }
  return null;
}

/** The refusal words a negation idiom may begin with ("no, I don't mind", "nope, no problem"). */
const LEADING_NO = new Set(['no', 'nope', 'nah', 'naw']);
const NEGATION_WORDS = /\b(?:no|not|don't|never|nothing|won't|wouldn't|can't|isn't|ain't)\b/;

/**
 * "No, I don't mind at all, go ahead and text me.", "nope no problem text me": a leading "no" that answers the
 * negation of the idiom after it ("would you mind?" - "no, I don't mind"). Set aside only when an idiom
 * holding a negation follows it at once and the answer then names texts explicitly: "no, it's fine", "nope
 * no worries" and "no, no problem" alone stay unclear (which "no" is it?).
 */
export function afterIdiomNo(transcript: string, r: AnswerReader): string | null {
  const words = r.words(transcript);
  // "nope no problem": the second "no" may begin the idiom, so each count of leading refusal words is tried
  let i = 0;
  for (let n = 1; n < words.length && LEADING_NO.has(words[n - 1]!); n++) {
    const rest = r.tag(words.slice(n));
    const idiom = rest[0];
    if (idiom === undefined || idiom.tag !== 'affirm' || !NEGATION_WORDS.test(idiom.words.join(' '))) continue;
    if (rest.slice(1).some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)))) {
      i = n;
      break;
    }
  }
  if (i === 0) return null;
  // the raw text after the leading refusal words, punctuation and case kept
  let raw = transcript;
  for (let k = 0; k < i; k++) raw = raw.replace(/^[\s,.!]*(?:no|nope|nah|naw)\b[\s,.!]*/i, '');
  return raw !== transcript && r.grants(raw) ? raw : null;
}

function lastIndex<T>(xs: readonly T[], pred: (x: T) => boolean): number {
  for (let i = xs.length - 1; i >= 0; i--) if (pred(xs[i]!)) return i;
  return -1;
}

/** What words to someone present between two yeses may hold: names, asides, the caller's doing, a pause; nothing that decides or qualifies. */
const ASIDE_BETWEEN = new Set<Token['tag']>(['unknown', 'aside', 'context', 'filler', 'polite', 'job', 'visit', 'endearment', 'address', 'backchannel', 'ack']);
/** A go-ahead may be said to anyone ("go ahead", "you can"): it answers this question only beside another consent phrase. */
const GO_AHEADS = /\b(?:go (?:right |on )?a ?head|go head|go for it|go on|you can|you may|do it|feel free|by all means)\b/;

/**
 * "yeah that's fine, emma get off the counter, sorry, yes that's fine", "yes text me honey put that down yes text
 * me is fine": the answer said, words to someone present, and the answer said again. The middle is set aside when
 * the answer opens with a consent phrase (only yes-words, fillers and polite words before the middle), the middle
 * holds nothing that decides or qualifies (no refusal, condition, take-back, hedge but a pause, question, sarcasm,
 * other recipient, instruction), the part after it grants on its own, and one of the two answers this question
 * (a consent phrase that is not a bare go-ahead, or one naming texts): "go ahead, Mike, put it down, yes go
 * ahead" may be two answers to Mike. Returns the answer said again, or null.
 */
export function afterAnAside(transcript: string, r: AnswerReader): string | null {
  if (transcript.includes('?')) return null;
  const tokens = r.tag(r.words(transcript));
  const cueLike = (t: Token): boolean => t.tag === 'affirm' || t.tag === 'filler' || t.tag === 'polite';
  let a = 0;
  while (a < tokens.length && cueLike(tokens[a]!)) a++;
  let b = tokens.length;
  while (b > a && cueLike(tokens[b - 1]!)) b--;
  // the answer said again begins at its first yes-word after the middle ("… sorry yes that's fine")
  while (b < tokens.length && tokens[b]!.tag !== 'affirm') b++;
  if (a === 0 || b >= tokens.length || b <= a) return null;
  const consent = (t: Token): boolean => t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '));
  const answers = (t: Token): boolean => consent(t) && (!GO_AHEADS.test(t.words.join(' ')) || t.words.some((w) => TEXTING_WORDS.has(w)));
  const opening = tokens.slice(0, a);
  const closing = tokens.slice(b);
  const middle = tokens.slice(a, b);
  const pause = (t: Token): boolean => t.tag === 'hedge' && PAUSES.has(t.words.join(' ')) && t.words.join(' ') !== 'wait';
  if (!opening.some(consent) || !closing.some(consent) || ![...opening, ...closing].some(answers)) return null;
  if (!middle.every((t) => ASIDE_BETWEEN.has(t.tag) || pause(t))) return null;
  const again = closing.flatMap((t) => t.words).join(' ');
  return r.grants(again) ? again : null;
}

/** What a description of the service problem before the answer may hold: the job's words, the caller's words about it, when it began. */
const PROBLEM_TAGS = new Set<Token['tag']>(['unknown', 'context', 'job', 'visit', 'filler', 'past']);
/**
 * Words a problem said first may never hold: the phone or the line (a doubt the texts can arrive: "my phone's been
 * acting up so yes text me"), a channel or the texts themselves (that is another question or the terms said back),
 * a refusal word (it may refuse), a digit (another number), "i" (the caller's own hedge or condition: "I guess").
 */
const PHONE_OR_CHANNEL = new Set(['phone', 'phones', 'cell', 'cellphone', 'mobile', 'landline', 'number', 'line', 'signal', 'reception', 'call', 'calls', 'called', 'calling', 'email', 'mail', 'stop']);
const NOT_A_PROBLEM = new Set([...PHONE_OR_CHANNEL, 'i', 'i\'m', 'i\'ll', 'i\'ve', 'i\'d', 'me', 'you', 'your', 'you\'ll']);

/**
 * "the sink's clogged and yes you can text me", "It's a burst pipe under the sink. Yes, text me.": the service
 * problem said first, then the answer. Set aside only when the lead describes the job (it holds one of the
 * lexicon's job words and nothing but job words, the caller's words about it and when it began: no person, no
 * condition, hedge, take-back, sarcasm, refusal or question, nothing in NOT_A_PROBLEM), and the answer after it
 * opens with a yes, names texts and grants on its own. A bare yes after the problem ("The furnace is out. Yes.")
 * may confirm the problem, not the texts, and stays unclear.
 */
export function afterTheProblem(transcript: string, r: AnswerReader): string | null {
  if (transcript.includes('?')) return null;
  const tokens = r.tag(r.words(transcript));
  const first = tokens.findIndex((t) => t.tag === 'affirm');
  if (first <= 0) return null;
  const lead = tokens.slice(0, first);
  if (!lead.some((t) => t.tag === 'job') || !lead.every((t) => PROBLEM_TAGS.has(t.tag))) return null;
  const split = (ts: readonly Token[]): string[] => ts.flatMap((t) => t.words.flatMap((w) => w.split(' ')));
  if (split(lead).some((w) => PHONE_OR_CHANNEL.has(w.replace(/'s$/, '')) || TEXTING_WORDS.has(w) || /[0-9]/.test(w))) return null;
  // the lexicon's own job phrases hold a negation or the caller ("the hot water isn't working", "I'll be home"): the
  // job, not a take-back (README.md, "Negation that applies"); anywhere else in the lead they keep it strict
  if (split(lead.filter((t) => t.tag !== 'job')).some((w) => NOT_A_PROBLEM.has(w.replace(/'s$/, '')) || NEGATION_WORDS.test(w) || /n't$/.test(w))) return null;
  const answer = tokens.slice(first);
  if (!answer.some((t) => t.words.some((w) => w.split(' ').some((x) => TEXTING_WORDS.has(x))))) return null;
  const rest = answer.flatMap((t) => t.words).join(' ');
  return r.grants(rest) ? rest : null;
}

/** The caller's own introduction: the words that open it ("this is Linda", "my name is Dolores", "my name's Priya"). */
const INTRODUCTIONS: ReadonlyArray<readonly string[]> = [['this', 'is'], ['my', 'name', 'is'], ['my', 'name\'s'], ['name\'s']];
/** What may stand before the introduction: a greeting, an "oh", a bare yes ("yes, this is Linda, you can text me"). */
const BEFORE_THE_INTRODUCTION = new Set(['hi', 'hello', 'hey', 'oh', 'yes', 'yeah', 'yep', 'yup', 'sure', 'okay', 'ok']);
/** A title before the caller's name ("this is Doctor Patel", "this is Principal Hawkins"). */
const TITLES = new Set(['doctor', 'dr', 'mr', 'mrs', 'ms', 'miss', 'principal', 'pastor', 'officer', 'coach', 'professor']);
/** Words a name never is: a determiner or a word that links the name to another person, place or errand ("linda from the office", "linda for my mother"). */
const NOT_A_NAME = new Set(['a', 'an', 'the', 'this', 'that', 'my', 'our', 'your', 'his', 'her', 'their', 'its', 'for', 'from', 'with', 'at', 'to', 'of', 'on', 'in', 'and', 'or', 'but', 'so', 'calling', 'about', 'here', 'there', 'just', 'not']);
/** A person's noun is someone, not a name ("this is linda's husband", "this is mike wife" as a recognizer drops the 's). */
const PEOPLE_NOUNS: ReadonlySet<string> = new Set(PEOPLE.filter((p) => !p.includes(' ')));
/** The verbs of a bare request for a text ("text me", "send me a text"): after an introduction they may name whom to text. */
const REQUESTS = new Set(['text', 'txt', 'message', 'send', 'shoot']);
/** How many words a name may hold after its title ("Marcus Webb", "Mary Ann Jones"). */
const NAME_REACH = 3;

/**
 * "hi this is linda yes you can text me", "My name's Dolores. Sure, go ahead and text me.", "yes this is principal
 * hawkins go ahead and text": the caller's own introduction said first, then the answer (dev-43's recurring "who the
 * caller is" class, written first in dev-44). Set aside only when the introduction is the whole lead: at most a
 * greeting or a bare yes before it, then "this is" / "my name is" / "my name's" and a name of up to NAME_REACH words
 * after an optional title, each word a name (`isName`: the caller's recognizer spelled it with a capital, or it is a
 * first name the lexicon knows, or it follows "my name is"), none a possessive ("this is Mike's phone", "this is Linda's
 * husband": someone else's), a person's noun, a digit or a word linking it to another person or place. The answer after
 * it must open with a cue, name texts, say yes or give leave (not only "text me": "yes this is mike, text me" may name
 * whom to text, consent-classifier.test.ts) and grant on its own, so a decider, another recipient or number, a condition, a
 * question, a hedge or a take-back in it keeps the whole unclear. A bare yes after the introduction ("this is Linda,
 * yes") may confirm who is speaking, and stays unclear; so does a name said to someone present ("Linda, yes, text me":
 * no introduction).
 */
export function afterTheIntroduction(transcript: string, r: AnswerReader, isName: (word: string, named: boolean) => boolean): string | null {
  if (transcript.includes('?')) return null;
  const words = r.words(transcript);
  let i = 0;
  while (i < words.length && i < 3 && BEFORE_THE_INTRODUCTION.has(words[i]!)) i++;
  const intro = INTRODUCTIONS.find((p) => p.every((w, k) => words[i + k] === w));
  if (intro === undefined) return null;
  let at = i + intro.length;
  // after "my name is" or a title the next words are a name by what was said ("this is doctor patel")
  const titled = TITLES.has(words[at] ?? '');
  if (titled) at++;
  const named = titled || intro.includes('name') || intro.includes('name\'s');
  // a name is a word the lexicon does not hold (or one of its first names): "no", "wait", "okay" never are
  const unknownWord = (w: string): boolean => FIRST_NAMES.includes(w) || r.tag([w]).every((t) => t.tag === 'unknown');
  for (let n = 1; n <= NAME_REACH && at + n < words.length; n++) {
    const name = words.slice(at, at + n);
    const plain = (w: string): boolean => /^[a-z]+$/.test(w) && !NOT_A_NAME.has(w) && !PEOPLE_NOUNS.has(w) && !TEXTING_WORDS.has(w);
    if (!name.every((w) => plain(w) && unknownWord(w) && isName(w, named))) return null;
    let from = at + n;
    if (words[from] === 'and') from++;
    const answer = r.tag(words.slice(from));
    if (answer[0]?.tag !== 'affirm') continue;
    if (!answer.some((t) => t.words.some((w) => w.split(' ').some((x) => TEXTING_WORDS.has(x))))) return null;
    // a yes or a permission, not only a request for a text: "yes this is mike, text me" may name whom to text
    if (!answer.some((t) => t.tag === 'affirm' && !REQUESTS.has(t.words[0]!.split(' ')[0]!))) return null;
    const rest = words.slice(from).join(' ');
    return r.grants(rest) ? rest : null;
  }
  return null;
}

/** The yes-words that may open a line check ("yes, you're coming through now"). */
const LINE_CHECK_OPENERS = new Set(['yes', 'yeah', 'yep', 'yup', 'sure', 'okay', 'alright', 'oh']);
/**
 * What confirms the line or the hearing, as if answering "can you hear me?" (heldout-18's false opt-in "yes you're
 * coming through now", the class in dev-58). Alone, or after a bare yes, such an answer is unclear (the lexicon tags
 * them `aside`, disqualifier-phrases.ts): the yes may be to the line, not the texts.
 */
const LINE_CHECKS: ReadonlyArray<readonly string[]> = [
  'you\'re coming through', 'you are coming through', 'you\'re coming in', 'loud and clear', 'you\'re clear', 'you\'re back', 'the line\'s better',
  'line\'s better', 'the call\'s better', 'the reception\'s better', 'the signal\'s better', 'i can hear you', 'i hear you', 'you\'re not cutting out',
].map((p) => p.split(' '));
/** Words that may close a line check ("… now", "… fine", "… anymore") and join it to the answer ("… and yes, text me"). */
const LINE_CHECK_TAIL = new Set(['now', 'fine', 'again', 'anymore', 'clearly', 'okay', 'and', 'so']);

/**
 * "Yeah, you're coming through. That's fine, go ahead and text.", "yes i can hear you now and yeah texting is fine": the
 * line confirmed first, then the answer. Set aside only when the answer after it grants on its own with a consent
 * phrase or the texts named (a bare yes after a line check still answers the line: "yes I can hear you, yes").
 */
export function afterTheLineChecked(transcript: string, r: AnswerReader): string | null {
  const words = r.words(transcript);
  let i = 0;
  while (LINE_CHECK_OPENERS.has(words[i] ?? '')) i++;
  const check = LINE_CHECKS.find((p) => p.every((w, k) => words[i + k] === w));
  if (check === undefined) return null;
  i += check.length;
  while (LINE_CHECK_TAIL.has(words[i] ?? '')) i++;
  const rest = words.slice(i).join(' ');
  if (rest === '') return null;
  const tokens = r.tag(words.slice(i));
  const decided = tokens.some((t) => (t.tag === 'affirm' && (!BARE_YES.has(t.words.join(' ')) || t.words.some((w) => TEXTING_WORDS.has(w)))) || t.tag === 'remark');
  return decided && r.grants(rest) ? rest : null;
}

