import type { ParsedInbound } from '../messaging/keyword-parser.ts';
import type { ReplyIntent } from '../ports/assist.ts';

/**
 * What happens to an inbound text beyond the keyword rules: revoke (the FCC's "any reasonable means"),
 * forward to the on-call staff (a question or a booking reply), or keep (stored, nothing else). The
 * keyword and phrase rules (keyword-parser.ts) decide first; the local routing rule here and the assist
 * can only add: a revocation the rules found is never taken back, and a text the assist reads as a
 * revocation is revoked even when the rules saw nothing.
 */
export interface ReplyRoute {
  readonly revoke: boolean;
  readonly forward: boolean;
  /** Who decided: the rules alone, or the assist added to them. */
  readonly by: 'rules' | 'assist';
}

/** A question, or a day, a time or a booking word: a person should read it now. */
const FORWARD = new RegExp(
  [
    '\\?',
    "\\b(?:today|tonight|tomorrow|morning|afternoon|evening|noon|weekend|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\\b",
    "\\b\\d{1,2}(?::\\d{2})?\\s*(?:am|pm|a\\.m\\.|p\\.m\\.|o'?clock)\\b",
    '\\b(?:appointment|schedule|reschedule|book|booking|available|availability|come (?:by|out|over)|what time|when can)\\b',
  ].join('|'),
  'i',
);

export function localReplyRoute(text: string): boolean {
  return FORWARD.test(text);
}

export function routeReply(parsed: ParsedInbound, text: string, assist: ReplyIntent | null): ReplyRoute {
  if (parsed.intent === 'stop') return { revoke: true, forward: false, by: 'rules' };
  const localForward = parsed.intent === 'other' && localReplyRoute(text);
  if (assist === 'revoke') return { revoke: true, forward: false, by: 'assist' };
  if (!localForward && (assist === 'question' || assist === 'booking')) return { revoke: false, forward: true, by: 'assist' };
  return { revoke: false, forward: localForward, by: 'rules' };
}
