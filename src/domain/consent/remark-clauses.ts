/**
 * A clear yes followed by a remark: "yes text me, I'm in meetings all afternoon", "yep texting's fine, I check
 * my phone constantly", "Yes, text is better. I've got three kids yelling in the back." After a consent phrase
 * (a cue that answers this question, or a remark favouring texting), a clause with a subject of its own is
 * the caller's remark, not a qualification of the yes: its words the lexicon does not know, a time in it, a
 * word of emphasis and an answer to another question are read as the remark they are. What a remark can never
 * carry stays a disqualifier wherever it stands: refusals and negators, conditions (if, only, unless, as long
 * as, cost), take-backs (but, actually), hedges, questions, sarcasm markers (spam, yeah right), another person
 * or channel (text my wife, call me), words to someone present, instructions to a machine, recognizer noise.
 * Why: src/domain/consent/README.md, "A clear yes, then any remark".
 */
import { BARE_YES } from './affirmative-phrases.ts';
import { INTERJECTIONS, type Token } from './answer-shape.ts';
import { ADDRESSED } from './disqualifier-phrases.ts';

/** Where a remark with its own subject begins ("I'm …", "my kid is …", "it's …"). A wish ("I'd …", "I want …") is not one: it may be about the texts. */
const SUBJECTS = new Set([
  'i\'m', 'i', 'i\'ve', 'i\'ll', 'we', 'we\'re', 'we\'ve', 'we\'ll', 'my', 'our', 'it\'s', 'he\'s', 'she\'s', 'they\'re', 'he', 'she', 'they',
  'there\'s', 'the',
]);

/** A time in a remark about the caller ("I'm on a plane in an hour") is when the caller is busy, not when to text. */
const TIMES = new Set([
  'after', 'before', 'between', 'during', 'later', 'tomorrow', 'tonight', 'morning', 'mornings', 'afternoon', 'afternoons', 'evening',
  'evenings', 'night', 'weekend', 'weekends', 'weekday', 'weekdays', 'o\'clock', 'pm', 'emergency', 'emergencies', 'urgent', 'half',
  'in an hour', 'in a few hours', 'in a couple hours', 'in a couple of hours', 'in a few minutes', 'in a bit', 'in a while', 'an hour from now',
  'at lunch', 'at lunchtime', 'next week', 'this week', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday',
]);

/** Emphasis that is sarcasm about the texts ("text me constantly") and plain emphasis in a remark ("I check my phone constantly"). */
const EMPHASIS = new Set(['every', 'constantly', 'nonstop', 'everybody', 'everyone', 'more', 'another', 'because', 'cause', 'coz', 'cuz', 'all day long', 'lol', 'haha', 'ha ha']);

/** A remark that names the texts, or points at them ("I'd like them in the morning"), is about the texts: nothing in it is relaxed. */
const ABOUT_TEXTS = new Set(['text', 'texts', 'texting', 'texted', 'message', 'messages', 'them', 'those', 'it', 'one', 'ones']);

const ADDRESSED_PHRASES: ReadonlySet<string> = new Set(ADDRESSED);

function consentPhrase(t: Token): boolean {
  return (t.tag === 'affirm' && !BARE_YES.has(t.words.join(' '))) || t.tag === 'remark';
}

/**
 * Reads the remarks after the first consent phrase: each runs from a subject to the next cue or the end. Tokens
 * that only a remark explains become `context`; every other tag is left for the classifier to judge.
 */
export function readRemarks(tokens: readonly Token[]): Token[] {
  const out = tokens.map((t) => ({ ...t }));
  const head = tokens.findIndex(consentPhrase);
  // "oh sure, text me, ..." opens with an exclamation: what follows may be sarcasm, so nothing is relaxed (answer-shape.ts)
  if (head < 0 || INTERJECTIONS.has(tokens[0]!.words[0]!)) return out;
  let i = head + 1;
  while (i < out.length) {
    const start = out[i]!;
    if (!SUBJECTS.has(start.words[0]!) || start.tag === 'affirm' || start.tag === 'hedge' || start.tag === 'negate') {
      i++;
      continue;
    }
    let end = i + 1;
    while (end < out.length && out[end]!.tag !== 'affirm' && !SUBJECTS.has(out[end]!.words[0]!)) end++;
    const clause = out.slice(i, end);
    const aboutTexts = clause.slice(1).some((t) => t.words.some((w) => ABOUT_TEXTS.has(w))) || start.words.slice(1).some((w) => ABOUT_TEXTS.has(w));
    // "yes text me the morning of": a time after "the" may be when to text; after a person it is when they are busy
    const timesAreTheCallers = start.words[0] !== 'the';
    if (!aboutTexts) {
      for (let k = i; k < end; k++) {
        const t = out[k]!;
        const phrase = t.words.join(' ');
        // a number stays for the number check (answer-shape.ts): a phone number or a time is never only a remark
        const relaxed =
          (t.tag === 'unknown' && !/[0-9]/.test(phrase)) || (t.tag === 'condition' && timesAreTheCallers && TIMES.has(phrase)) || (t.tag === 'sarcasm' && EMPHASIS.has(phrase)) || (t.tag === 'aside' && !ADDRESSED_PHRASES.has(phrase));
        if (relaxed) out[k] = { ...t, tag: 'context' };
      }
    }
    i = end;
  }
  return out;
}
