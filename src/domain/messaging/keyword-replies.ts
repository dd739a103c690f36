import { formatForReading } from '../phone-number.ts';
import { toGsmSafe } from './sms-segmenter.ts';

/**
 * Replies to STOP, HELP and START (CTIA Messaging Principles and Best Practices, 5.1). The STOP
 * confirmation is the only text a revoked consumer may get, so it carries no footer and no marketing.
 */
export function stopConfirmation(businessName: string): string {
  return toGsmSafe(`${businessName}: You are unsubscribed and will get no more messages from us. Reply START to resubscribe.`);
}

export function startConfirmation(businessName: string): string {
  return toGsmSafe(
    `${businessName}: You're resubscribed to texts about your requests, 1-4 msgs/request. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`,
  );
}

/**
 * The HELP reply names a real way to reach the business: `messaging.helpContact` when set, else the
 * business's own number written out (the reply may come from another DID of the business, so "this
 * number" would not always be true).
 */
export function helpText(businessName: string, contact: string): string {
  return toGsmSafe(
    `${businessName}: texts about your service request, 1-4 msgs/request. Help: ${contact}. Msg & data rates may apply. Reply STOP to opt out.`,
  );
}

/**
 * The contact the HELP reply names: `messaging.helpContact` when set, else "call" and the number the
 * consumer texted, written out. One function for the reply and for the published program description.
 */
export function helpContactFor(configured: string | undefined, did: string): string {
  return configured ?? `call ${formatForReading(did)}`;
}
