/**
 * Hesitations and pauses that are not doubts about the answer (one role: a hedge-word that only holds the line).
 *
 * A thinking sound before the yes: "hmm yeah okay sure", "Hmm. Okay, yes, you can text me." A leading "hmm" is a
 * hedge alone ("hmm", "hmm let me think"), but when the answer goes straight on to a yes and the yes is decided
 * (a consent phrase, or two yes-words or more: the caller has made up their mind) it is the pause before
 * deciding, not a doubt about the answer. Only the first word: "yes hmm" is a doubt after the yes, and any other
 * hedge ("hmm yeah maybe") keeps the answer unclear. Why: src/domain/consent/README.md, "A thinking sound before
 * the yes"; dev-27's misses and dev-28 (test/fixtures/consent-answers/README.md).
 */
import { BARE_YES } from './affirmative-phrases.ts';
import type { Token } from './answer-shape.ts';

const THINKING = new Set(['hmm']);

/**
 * A pause inside the answer, after the yes: "sure text me, hold on, let me get down off this ladder", "sure text
 * me hang on the dog is barking". After a yes, in an answer holding a cue naming texts, with words after it (what
 * the caller is doing), a pause is the caller turning away for a moment, not a doubt. Not "wait" (it turns back:
 * "text me wait how many"), not a pause that ends the answer ("sure hold on": the yes may be to someone present),
 * not one before the first yes (before-the-answer.ts reads a leading pause); what follows is judged on its own
 * ("hold on let me ask my wife" stays a hedge).
 */
const PAUSES = new Set(['hold on', 'hang on', 'one second']);
const TEXTING = /^(?:text|texts|texting|message|messages)$/;

export function readHesitation(tokens: readonly Token[]): Token[] {
  const out = [...tokens];
  const firstYes = out.findIndex((t) => t.tag === 'affirm');
  const textingCue = out.some((t) => t.tag === 'affirm' && t.words.some((w) => TEXTING.test(w)));
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
