import { BARE_YES, CALLER_BUSY, phoneOutOfReach } from './affirmative-phrases.ts';
import { namesTexts, type Token } from './answer-shape.ts';

const BUSY: ReadonlySet<string> = new Set([...CALLER_BUSY, ...phoneOutOfReach()]);

/**
 * A bare yes and, beside it, only the caller busy or away: "Yes, I'm at work.", "yeah, I'm driving", "yeah, I can't hold
 * the phone". A bare yes with
 * only a description of the caller reads as an answer to another question (the labelling rule of
 * test/fixtures/consent-answers/README.md; heldout-13's false opt-in). With a consent phrase or the texts named it is
 * a reason for texting ("yes please, I'm at work", "I'm driving, just text me").
 */
export function describesOnly(tokens: readonly Token[]): boolean {
  const cues = tokens.filter((t) => t.tag === 'affirm');
  const remarks = tokens.filter((t) => t.tag === 'remark');
  if (namesTexts(tokens)) return false;
  return (
    cues.length > 0 &&
    cues.every((t) => BARE_YES.has(t.words.join(' '))) &&
    remarks.length > 0 &&
    remarks.every((t) => BUSY.has(t.words.join(' '))) &&
    // the rest only says more of where the caller is ("yes i'm on a job site"): nothing that names or decides
    tokens.every((t) => ['affirm', 'remark', 'filler', 'polite', 'unknown', 'context', 'job'].includes(t.tag))
  );
}
