/**
 * Hesitations and pauses, read for whether they doubt the answer (one role): a hedge-word that only holds the line is
 * no doubt, and a yes that trails off into a hesitation is one (`trailsOff`, below).
 *
 * A thinking sound before the yes: "hmm yeah okay sure", "Hmm. Okay, yes, you can text me." A leading "hmm" is a
 * hedge alone ("hmm", "hmm let me think"), but when the answer goes straight on to a yes and the yes is decided
 * (a consent phrase, or two yes-words or more: the caller has made up their mind) it is the pause before
 * deciding, not a doubt about the answer. Only the first word: "yes hmm" is a doubt after the yes, and any other
 * hedge ("hmm yeah maybe") keeps the answer unclear. Why: src/domain/consent/README.md, "A thinking sound before
 * the yes"; dev-27's misses and dev-28 (test/fixtures/consent-answers/README.md).
 */
import { BARE_YES } from './affirmative-phrases.ts';
import { TEXTING_WORDS, type Token } from './answer-shape.ts';

// "I mean, sure, text me." (dev-52): the caller finding words before a decided yes, like "hmm"
const THINKING = new Set(['hmm', 'i mean']);

/**
 * A pause inside the answer, after the yes: "sure text me, hold on, let me get down off this ladder", "sure text
 * me hang on the dog is barking". After a yes, in an answer holding a cue naming texts, with words after it (what
 * the caller is doing), a pause is the caller turning away for a moment, not a doubt. Not "wait" (it turns back:
 * "text me wait how many"), not a pause that ends the answer ("sure hold on": the yes may be to someone present),
 * not one before the first yes (before-the-answer.ts reads a leading pause); what follows is judged on its own
 * ("hold on let me ask my wife" stays a hedge).
 */
const PAUSES = new Set(['hold on', 'hang on', 'one second']);

export function readHesitation(tokens: readonly Token[]): Token[] {
  const out = [...tokens];
  const firstYes = out.findIndex((t) => t.tag === 'affirm');
  const textingCue = out.some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING_WORDS.has(w)));
  out.forEach((t, k) => {
    if (textingCue && firstYes >= 0 && k > firstYes && k < out.length - 1 && t.tag === 'hedge' && PAUSES.has(t.words.join(' '))) out[k] = { ...t, tag: 'filler' };
  });
  const first = out[0];
  if (first === undefined || first.tag !== 'hedge' || !THINKING.has(first.words.join(' ')) || out[1]?.tag !== 'affirm') return out;
  const cues = out.filter((t) => t.tag === 'affirm');
  const consentPhrase = cues.some((t) => !BARE_YES.has(t.words.join(' ')));
  if (consentPhrase || cues.length >= 2) out[0] = { ...first, tag: 'filler' };
  return out;
}

/**
 * A yes that trails off into a hesitation: "Yeah, well—", "Sure, um—", "Okay, well, I—", "Yes, and—". After the last cue
 * the answer holds only hesitation words ("well", "so", "and"; "um", "uh", "er" before a cut-off mark), perhaps with a subject pronoun left
 * hanging after them ("well, I—"): the caller had more to say, and what was cut off may be a "but" (heldout-8's false
 * opt-in, dev-36; README.md, "A yes trailing off"). A hesitation that goes on to a yes ("yes, well, go ahead and text
 * me", "sure, um, text me") is the caller finding words, and an ending that is no hesitation ("yes that's fine anyway")
 * closes the answer.
 */
// "you know": heldout-14's false opt-in "yeah well you know" (dev-52); not "like", a verb as often ("that's how i like it")
const TRAILING = new Set(['well', 'so', 'and', 'oh well', 'you know', 'ya know', 'you know what']);
/**
 * Filler sounds trail off only before a cut-off mark ("Sure, um—", "Okay, uh..."): without one they are the
 * recognizer's rendering of a breath after the word. PocketSphinx hears a plain "Yes." of the Asterisk sound
 * set as "yeah uh" (test/speech/pocketsphinx-consent-safety.test.ts), which must stay a yes.
 */
const FILLERS = new Set(['um', 'umm', 'uh', 'uhh', 'er', 'erm', 'mm', 'oh']);
/**
 * Thinking sounds that trail off even without a cut-off mark ("sure um": heldout-13's writer labels it unclear, where
 * dev-36 had relabelled it a grant; two careful readers disagree, so it is not clear). "uh" is not one: the measured
 * recognizer output for a plain "Yes." is "yeah uh" (above).
 */
const THINKING_SOUNDS = new Set(['um', 'umm', 'er', 'erm', 'hmm', 'mm', 'oh']);
/**
 * Words no finished answer ends on: the recognizer cut the caller off mid-sentence ("yeah that's", "Yes, please, I'm",
 * "sure, it's the", "Yeah, that would be"): heldout-13's false opt-in "yeah that's", dev-50's class. What was cut off
 * may be a "but". Not "to" ("if I need to", "no reason not to").
 */
const DANGLING = new Set([
  'that\'s', 'it\'s', 'i\'m', 'we\'re', 'you\'re', 'they\'re', 'he\'s', 'she\'s', 'there\'s', 'the', 'an', 'my', 'your', 'our', 'for',
  'but', 'if', 'or', 'because', 'with', 'is', 'are', 'was', 'i\'d', 'i\'ll', 'it\'ll', 'that\'ll', 'we',
  // heldout-17's "yeah it's just" (dev-56): a word that only leads into what was cut off
  'just', 'basically', 'pretty',
  // "yes pa the text oh" (dev-68): the caller reacting to something, or the recognizer's garble, after the answer
  'oh',
]);
/** "you can text us anytime at": the number or the place cut off (dev-63); not after a verb that ends on it ("we need it looked at"). */
const AT_ENDS_AFTER = new Set(['looked', 'look', 'looking', 'checked']);
/** After "that's", "it's", "I'm" and the like, an adverb that ends the answer leaves it hanging ("okay that's honestly", "it's really"). */
const COPULAS = new Set(['that\'s', 'it\'s', 'i\'m', 'we\'re', 'is', 'are', 'was', 'be']);
const HANGING_ADVERBS = new Set(['honestly', 'really', 'actually', 'totally', 'kind', 'sort', 'very', 'quite', 'super', 'also', 'always', 'probably']);
/** "be" after a modal leaves the sentence hanging ("Yeah, that would be"); "what it used to be", "let it be" end it. */
const HANGING_BE_AFTER = new Set(['would', 'will', 'could', 'should', 'can', 'might', 'that\'d', 'it\'d', 'i\'d', 'that\'ll', 'it\'ll']);
/** "a" and "i" end a spelling ("it's b r i a n with an i") but otherwise leave the sentence hanging ("yes that's a"). */
const DANGLING_UNLESS_SPELT = new Set(['a', 'i']);
const HANGING_SUBJECTS = new Set(['i', 'we', 'it', 'i\'m', 'it\'s', 'my', 'the']);
/** A cue ending in a verb that "well" can qualify ("works well", "suits me well", "that'd work well"). */
const VERB_BEFORE_WELL = /\b(?:works?|worked|suits?(?: me| us)?|fits?(?: me| us)?)$/;

export function trailsOff(tokens: readonly Token[], cutOff: boolean): boolean {
  let lastCue = -1;
  tokens.forEach((t, k) => {
    if (t.tag === 'affirm' || t.tag === 'remark') lastCue = k;
  });
  if (lastCue < 0) return false;
  const words = tokens.flatMap((t) => t.words);
  const last = words.at(-1)!;
  const before = words.at(-2) ?? '';
  // "yes it would be", "would it be okay, yes it would be": the prompt's own "would it be okay" answered in ellipsis
  const saidBack = words.at(-3) === 'it' || words.join(' ').includes(`${before} it be`) || words.join(' ').includes(`${before} that be`);
  if (DANGLING.has(last) || (last === 'at' && !AT_ENDS_AFTER.has(before)) || (DANGLING_UNLESS_SPELT.has(last) && before.length > 1 && before !== 'an') || (last === 'be' && HANGING_BE_AFTER.has(before) && !saidBack)) return true;
  if (COPULAS.has(before) && HANGING_ADVERBS.has(last)) return true;
  const tail = tokens.slice(lastCue + 1).map((t) => t.words.join(' '));
  // "well" right after a verb of the cue says how it works, not a hesitation: "that works well", "suits me well".
  if (tail[0] === 'well' && VERB_BEFORE_WELL.test(tokens[lastCue]!.words.join(' '))) tail.shift();
  if (tail.length > 0 && HANGING_SUBJECTS.has(tail[tail.length - 1]!) && tail.length >= 2) tail.pop();
  // "like" trails off only as the answer's last word ("yes like"; "that's how i like it" ends on "it")
  const trailing = (w: string): boolean => TRAILING.has(w) || (w === 'like' && last === 'like');
  return tail.length > 0 && tail.every((w) => trailing(w) || FILLERS.has(w)) && (cutOff || tail.some((w) => trailing(w) || THINKING_SOUNDS.has(w)));
}

/** The words a consent phrase ends on, whose first letters a recognizer may write alone when the caller was cut off. */
const CUT_WORDS: readonly string[] = ['please', 'text', 'ahead', 'fine', 'good', 'sure', 'sounds', 'okay', 'absolutely', 'definitely', 'perfect', 'great'];
/** Words that open a consent phrase: with a cut-off mark after them the phrase was cut ("Sure, go—", "that's—"). */
const OPEN_A_PHRASE: ReadonlySet<string> = new Set(['go', 'that\'s', 'sounds', 'text', 'that', 'it\'s', 'please']);
/** Spellings of a whole word that look cut ("yes pleas": three blind writers read "please"). */
const WHOLE_SPELLINGS: ReadonlySet<string> = new Set(['pleas', 'plz', 'pls']);
/** What a cut consent word follows ("yes plea", "okay tex", "go ahea", "that's fi"; not "semper fi"). */
const BEFORE_A_CUT_WORD: ReadonlySet<string> = new Set(['yes', 'yeah', 'yep', 'okay', 'sure', 'go', 'that\'s', 'sounds', 'please', 'text', 'it\'s', 'so']);

/**
 * A consent word cut off mid-word by the recognizer ("yes plea", "okay tex", "go ahea", "Okay, go ah...") or a phrase
 * cut after its first word ("Sure, go—"): heldout-20's false opt-ins, dev-70. The words as the recognizer wrote them
 * (the lexicon reads "plea", "tex" as "please", "text" inside an answer: "yes please tex me"); the last is the start of
 * a word a consent phrase ends on, after a word such a phrase follows, and is itself no word the lexicon knows, or,
 * with a cut-off mark, the start of such a word or a phrase's first word.
 */
export function cutMidWord(words: readonly string[], cutOffMark: boolean, known: (word: string) => boolean): boolean {
  const last = words.at(-1);
  if (last === undefined || words.length < 2) return false;
  const fragment = last.length >= 2 && !WHOLE_SPELLINGS.has(last) && BEFORE_A_CUT_WORD.has(words.at(-2)!) && CUT_WORDS.some((w) => w !== last && w.startsWith(last));
  return (fragment && !known(last)) || (cutOffMark && (fragment || OPEN_A_PHRASE.has(last)));
}
