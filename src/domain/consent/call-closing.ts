/**
 * "Okay, bye.", "alright then, take care", "You bet. Bye!": an okay, or a yes idiom that is also the stock reply
 * to "thanks" ("you bet", "you betcha", "sure thing", "you got it"), whose only company is a farewell closes the
 * call; it acknowledges that the call is ending and is not an answer to "…texts you about your service request?
 * Sound good?" (heldout-5's writer: "a bare 'alright, bye-bye then' is U", dev-26; heldout-6's writer: "you
 * betcha, bye now" is treated like "okay, bye", dev-29; test/fixtures/consent-answers/README.md). A yes-word
 * answers the question before the farewell ("yes goodbye", "yeah sure bye" are grants in dev-10 and dev-3), and so
 * does a consent phrase ("okay, sounds good, bye", "you bet, text me, bye"). Why: src/domain/consent/README.md,
 * "An okay and a farewell".
 */
import { FAREWELLS, FOREIGN_YES } from './affirmative-phrases.ts';
import type { Token } from './answer-shape.ts';

/** The acknowledgment tokens of a closing: an "okay" that may only say "I heard you" ("mkay", "ok" are spelt "okay"). */
const OKAY_WORDS: readonly string[] = ['okay', 'alright', 'all right', 'all righty', 'alrighty', 'okie dokie', 'okie doke', 'okay dokey', 'okie dokey'];
/** Said alone, a word that may only acknowledge: an okay, and the radio word "affirmative" (heldout-13's writer: "a lone radio word"). */
const ALONE_ACKNOWLEDGES: readonly string[] = [
  ...OKAY_WORDS,
  'affirmative',
  // casual words that may only acknowledge ("cool", "bet", "cool cool": heldout-20's false opt-in, dev-70)
  'cool', 'bet', 'bet bet', 'neat', 'nice', 'word', 'dope', 'sweet', 'rad', 'groovy', 'copacetic', 'peachy', 'far out', 'cool beans', 'gotcha', 'got it',
];
const FOREIGN: ReadonlySet<string> = new Set(FOREIGN_YES);

/**
 * Yes idioms that also answer "thanks" ("thanks for calling" / "you betcha"): beside only a farewell they may be that
 * reply, not a yes to the texts. Not "yes", "yeah", "sure", "absolutely": those answer the question ("yeah sure bye").
 */
const THANKS_REPLIES: readonly string[] = ['you bet', 'you betcha', 'sure thing', 'you got it'];

const CLOSING_WORDS: ReadonlySet<string> = new Set([...OKAY_WORDS, ...THANKS_REPLIES]);

const FAREWELL_PHRASES: ReadonlySet<string> = new Set(FAREWELLS);

/** True when every cue of the answer is an okay or a reply to thanks and a farewell stands beside it: the call is closing, nothing was answered. */
export function closesTheCall(tokens: readonly Token[]): boolean {
  const cues = tokens.filter((t) => t.tag === 'affirm' || t.tag === 'remark');
  const farewell = tokens.some((t) => t.tag === 'polite' && FAREWELL_PHRASES.has(t.words.join(' ')));
  return farewell && cues.length > 0 && cues.every((t) => t.tag === 'affirm' && CLOSING_WORDS.has(t.words.join(' ')));
}

/**
 * An okay (or "affirmative") with nothing beside it but fillers: "Okay.", "um, okay", "alright then", "okay so then",
 * "well, all right", "Affirmative.". It may be the listener's acknowledgement, not an answer to the question: the
 * labelled files disagree about a bare "okay" (earlier writers `G`, heldout-13's `U`) and about a lone "affirmative",
 * and two careful readers disagreeing is not clear (the rule of test/fixtures/consent-answers/README.md, as for "no
 * worries" in dev-3); "then", "so" or "well" beside it made it heldout-12's false opt-in "All right then." (dev-48). A
 * yes-word or a consent phrase beside it answers the question ("okay then, yes", "all right, text me", "okay sure").
 * Why: src/domain/consent/README.md, "An okay alone".
 */
export function acknowledgesOnly(tokens: readonly Token[]): boolean {
  const okay = (t: Token): boolean => t.tag === 'affirm' && ALONE_ACKNOWLEDGES.includes(t.words.join(' '));
  // a yes-word of another language beside it is a second yes ("ok, sí, perfecto"), not a filler; a word of address is
  // no answer either ("aight man", dev-71)
  const filler = (t: Token): boolean => (t.tag === 'filler' && !FOREIGN.has(t.words.join(' '))) || ADDRESS_WORDS.has(t.words.join(' '));
  return tokens.some(okay) && tokens.every((t) => okay(t) || filler(t));
}

/** Words of address beside an okay: "aight man", "okay bro". */
const ADDRESS_WORDS: ReadonlySet<string> = new Set(['man', 'bro', 'dude', 'buddy', 'boss', 'chief', 'brother', 'sis', 'my friend', 'my man', 'fam']);
