/**
 * "Okay, bye.", "alright then, take care": an okay whose only company is a farewell closes the call; it
 * acknowledges that the call is ending and is not an answer to "…texts you about your service request? Sound
 * good?" (heldout-5's writer: "a bare 'alright, bye-bye then' is U"; test/fixtures/consent-answers/README.md,
 * dev-26). A yes-word answers the question before the farewell ("yes goodbye", "yeah sure bye" are grants in
 * dev-10 and dev-3), and so does a consent phrase ("okay, sounds good, bye", "okay, text me, bye"). Why:
 * src/domain/consent/README.md, "An okay and a farewell".
 */
import { FAREWELLS } from './affirmative-phrases.ts';
import type { Token } from './answer-shape.ts';

/** The acknowledgment tokens of a closing: an "okay" that may only say "I heard you" ("mkay", "ok" are spelt "okay"). */
const OKAY_WORDS: ReadonlySet<string> = new Set(['okay', 'alright', 'all right', 'all righty', 'okie dokie', 'okie doke', 'okay dokey']);

const FAREWELL_PHRASES: ReadonlySet<string> = new Set(FAREWELLS);

/** True when every cue of the answer is an okay and a farewell stands beside it: the call is closing, nothing was answered. */
export function closesTheCall(tokens: readonly Token[]): boolean {
  const cues = tokens.filter((t) => t.tag === 'affirm' || t.tag === 'remark');
  const farewell = tokens.some((t) => t.tag === 'polite' && FAREWELL_PHRASES.has(t.words.join(' ')));
  return farewell && cues.length > 0 && cues.every((t) => t.tag === 'affirm' && OKAY_WORDS.has(t.words.join(' ')));
}
