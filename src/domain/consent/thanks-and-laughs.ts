/**
 * A thanks that says what it is for, and a laugh after the yes (one role): "thanks so much for calling back so
 * quick", "sure lol". The words after a thanks-for are what the thanks are for, up to the next cue: a call among
 * them is no request to call, and an aside a remark may hold is the thanks' object (`context`). Laughter after the
 * first cue is not sarcasm; before it ("lol sure") it may be (test/fixtures/consent-answers/README.md, heldout-4).
 * Read before the remarks (remark-clauses.ts), whose asides it shares. Why: src/domain/consent/README.md, "A clear
 * yes, then any remark".
 */
import { THANKS_FOR, type Token } from './answer-shape.ts';
import { ADDRESSED_PHRASES, FIXED_ASIDES } from './remark-clauses.ts';

const LAUGHS = new Set(['lol', 'haha', 'ha ha', 'ha', 'hah']);
/** The calls named in a thanks ("thanks so much for calling back so quick"): what the thanks are for. */
const CALLING = new Set(['call', 'calls', 'calling', 'called']);

export function readThanksAndLaughs(tokens: readonly Token[]): Token[] {
  const firstCue = tokens.findIndex((t) => t.tag === 'affirm');
  let inThanks = false;
  return tokens.map((t, i) => {
    const phrase = t.words.join(' ');
    if (t.tag === 'affirm') inThanks = false;
    if (t.tag === 'polite' && THANKS_FOR.has(phrase)) inThanks = true;
    if (firstCue >= 0 && i > firstCue && t.tag === 'sarcasm' && LAUGHS.has(phrase)) return { ...t, tag: 'filler' };
    const remarkAside = t.tag === 'aside' && !ADDRESSED_PHRASES.has(phrase) && !FIXED_ASIDES.has(phrase);
    if (inThanks && ((t.tag === 'redirect' && CALLING.has(phrase)) || remarkAside)) return { ...t, tag: 'context' };
    return t;
  });
}
