import { BARE_YES } from './affirmative-phrases.ts';
import type { Token } from './answer-shape.ts';

/** Greetings the lexicon reads as fillers ("hi, yes please text me"). */
const GREETINGS: ReadonlySet<string> = new Set(['hi', 'hey', 'hiya', 'howdy', 'hi there', 'hey there', 'yo']);

/**
 * A bare yes beside only a greeting: "yes hi" (dev-67's false opt-in: the caller answering the receptionist's hello,
 * not the question). A consent phrase or the texts named beside the greeting answer it ("hi, yes please text me").
 */
export function greetsOnly(tokens: readonly Token[]): boolean {
  const cues = tokens.filter((t) => t.tag === 'affirm');
  const greeting = (t: Token): boolean => GREETINGS.has(t.words.join(' '));
  return (
    cues.length > 0 &&
    cues.every((t) => BARE_YES.has(t.words.join(' '))) &&
    tokens.some(greeting) &&
    tokens.every((t) => t.tag === 'affirm' || t.tag === 'filler' || t.tag === 'polite' || greeting(t))
  );
}
