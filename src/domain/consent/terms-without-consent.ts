import { BARE_YES } from './affirmative-phrases.ts';
import { namesTexts, type Token } from './answer-shape.ts';
import { termsAcknowledged } from './terms-acknowledged.ts';

const ACKNOWLEDGED: ReadonlySet<string> = new Set(termsAcknowledged());

/**
 * The terms acknowledged beside only a bare yes or an okay: "Yes, I know what STOP means.", "okay, reply stop to opt
 * out, got it" (dev-63's writer: acknowledging the prompt is not agreeing to it). The yes may answer "do you
 * understand?"; a consent phrase or the texts named beside the terms is an answer ("got it, reply stop, yes go ahead").
 */
export function acknowledgesOnlyTheTerms(tokens: readonly Token[]): boolean {
  if (!tokens.some((t) => ACKNOWLEDGED.has(t.words.join(' ')))) return false;
  if (namesTexts(tokens)) return false;
  return tokens.filter((t) => t.tag === 'affirm').every((t) => BARE_YES.has(t.words.join(' ')));
}
