/**
 * The SMS consent script, word for word from the opt-in page the product was designed from
 * (its section "The script the voice assistant uses"). The ledger stores the
 * exact rendered text and this version with every verbal consent event; change the text only together
 * with a new version.
 */
export const CONSENT_SCRIPT_VERSION = 'v1-2026-05-26';

export const CONSENT_SCRIPT_TEMPLATE =
  'Before we finish — and just to be clear, I’m an automated assistant — would it be okay if [business name] texts you about your service request? You’ll get one to four texts within a day, things like a callback confirmation or follow-up. Message and data rates may apply. You can reply STOP to opt out, or HELP for help, anytime. Sound good?';

export function renderConsentScript(businessName: string): string {
  return CONSENT_SCRIPT_TEMPLATE.replace('[business name]', businessName);
}

/** The compliance footer every transactional text carries (README.md, "What a call looks like"). */
export const SMS_FOOTER = 'Msg & data rates may apply. Reply HELP for help, STOP to opt out.';
