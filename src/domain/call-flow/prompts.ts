import { renderConsentScript } from '../consent-script.ts';

/**
 * What the caller hears. The machine names prompts by key; the orchestrator renders the text
 * with the business and has it synthesized (or uses an operator recording, never for the consent
 * prompts: the ledger stores their text as played, so they are always spoken from the exact text).
 */
export const PROMPT_KEYS = [
  'greeting',
  'consent',
  'reprompt',
  /** The business's emergency instruction, for urgent callers. */
  'emergency',
  'goodbye-granted',
  'goodbye-declined',
  'goodbye-implied',
  'goodbye-message',
] as const;
export type PromptKey = (typeof PROMPT_KEYS)[number];

/** Prompts whose text is part of the consent record. */
export const CONSENT_PROMPTS: readonly PromptKey[] = ['consent', 'reprompt'];

export interface PromptBusiness {
  readonly name: string;
  readonly greeting: string | null;
  readonly emergencyInstruction?: string | null;
}

export function defaultGreeting(businessName: string): string {
  return `Thanks for calling ${businessName}. We can't come to the phone right now. After the tone, please tell us your name and what you need help with, then stay on the line.`;
}

/** For a DID that no business owns (a misrouted number): polite, names nobody, promises nothing. */
export const GENERIC_GREETING =
  "Thanks for calling. No one can come to the phone right now. After the tone, please leave your name, your number and what you need help with.";

export function repromptText(businessName: string): string {
  return `Sorry, I didn't catch that. May ${businessName} text you about your request? Please say yes or no.`;
}

export function renderPrompt(key: PromptKey, business: PromptBusiness | null): string {
  if (business === null) {
    // Only the greeting and the message goodbye are reachable without a business (route `unknown-did`).
    return key === 'greeting' ? GENERIC_GREETING : 'Thank you, we got your message. Goodbye.';
  }
  const name = business.name;
  switch (key) {
    case 'greeting':
      return business.greeting ?? defaultGreeting(name);
    case 'consent':
      return renderConsentScript(name);
    case 'reprompt':
      return repromptText(name);
    case 'emergency':
      // Only played when one is set (the flow's urgency is `off` otherwise).
      return business.emergencyInstruction?.trim() ?? '';
    case 'goodbye-granted':
      return `Great, ${name} will text you shortly. Goodbye.`;
    case 'goodbye-declined':
      return `No problem, we won't text you; ${name} will call you back. Goodbye.`;
    case 'goodbye-implied':
      return `Thank you, we got your message. ${name} will text you shortly. Goodbye.`;
    case 'goodbye-message':
      return `Thank you, we got your message. Goodbye.`;
  }
}
