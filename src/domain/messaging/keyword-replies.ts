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
    `${businessName}: You are resubscribed to texts about your service requests, 1-4 msgs per request. Msg & data rates may apply. Reply HELP for help, STOP to opt out.`,
  );
}

export function helpText(businessName: string, contact: string | null | undefined): string {
  const reach = contact ? ` Help: ${contact}.` : ' For help, call us at this number.';
  return toGsmSafe(
    `${businessName}: texts about the service request you made when you called us, 1-4 msgs per request.${reach} Msg & data rates may apply. Reply STOP to opt out.`,
  );
}
