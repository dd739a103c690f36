import type { ConsentState } from '../consent.ts';
import type { StoredInbound } from '../ports/message-log.ts';
import type { ParsedInbound } from './keyword-parser.ts';

/**
 * How long after a stored text the same text again, from the same number to the same DID with nothing
 * else from that number in between, is taken as the SMSC delivering it again (its deliver_sm_resp was
 * lost or refused) rather than as a second text. An SMSC resends after its response timer and then on its
 * retry schedule; five minutes covers the first retries. A person who really sends the same text twice
 * in that time is answered once: the first was applied (src/sms/README.md, "Inbound resends").
 */
export const INBOUND_RESEND_WINDOW_MS = 5 * 60_000;

/**
 * Whether an inbound text is a resend of `latest`: the pair's (DID, sender) text stored last within the
 * window (`MessageLog.latestInbound`). A deliver_sm has no message id field (SMPP 3.4 §4.6.1; its
 * `receipted_message_id` names the text a receipt is about), so what identifies the resend is its text.
 * Only the pair's latest text counts: STOP, START, STOP stores and applies all three.
 *
 * A STOP is a resend only while the pair is revoked (`current`, read in the same transaction; null: no
 * business, so no consent). Consent given since the first STOP (a new call's yes) would otherwise outlive a
 * STOP the consumer may have sent again: applying a STOP twice is harmless, missing one is not. Every
 * other text taken as a resend is answered without its effect, which can only leave consent as it is.
 */
export function isInboundResend(latest: StoredInbound | null, text: string, intent: ParsedInbound['intent'], current: ConsentState | null): latest is StoredInbound {
  if (latest === null || latest.body !== text) return false;
  return intent !== 'stop' || current === null || current === 'revoked';
}
