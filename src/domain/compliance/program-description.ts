import type { Business, ConsentMode, TemplateKey } from '../business.ts';
import { renderPrompt } from '../call-flow/prompts.ts';
import { defaultFirstText } from '../call-flow/first-text.ts';
import { CONSENT_SCRIPT_VERSION } from '../consent-script.ts';
import { helpContactFor, helpText, startConfirmation, stopConfirmation } from '../messaging/keyword-replies.ts';
import { HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS } from '../messaging/keyword-parser.ts';
import { DEFAULT_TEMPLATES, renderTemplate } from '../messaging/message-templates.ts';
import { formatForReading } from '../phone-number.ts';

/**
 * The description of a business's texting program that carriers review (10DLC campaign fields) and that
 * the public opt-in page shows, built from the business's live configuration with the very functions the
 * service uses: the consent script from `renderPrompt('consent')` (what the call speaks), the first text
 * from `defaultFirstText` (what the call queues), the other samples from `renderTemplate` (what
 * `sms send` queues), the keyword replies from keyword-replies.ts (what the inbound handler sends).
 * Nothing here is written by hand a second time, so the page, the kit and the service cannot disagree
 * (src/domain/compliance/README.md).
 */

/** What the service is configured with beyond the business row (config `messaging.helpContact`). */
export interface ProgramSettings {
  readonly helpContact?: string | undefined;
}

/**
 * The caller's message a sample first text is rendered from; the issue extractor reads "a leaking
 * faucet" from it, the issue of the opt-in page's first sample (test/fixtures/compliance/opt-in-seed.txt).
 */
export const SAMPLE_CALLER_MESSAGE = 'Hi, my faucet is leaking, please call me back.';

/**
 * The frequency the consent script promises ("one to four texts within a day") and the sending policy
 * enforces (`messaging.maxPerDay`, at most 4 per rolling 24 h: src/domain/messaging/README.md).
 */
export const MESSAGE_FREQUENCY = 'Message frequency varies: 1 to 4 texts within 24 hours of a call.';

/** The carriers' rates disclosure, word for word as the texts carry it (consent-script.ts SMS_FOOTER). */
export const RATES_DISCLOSURE = 'Msg & data rates may apply.';

export interface SampleMessage {
  readonly template: TemplateKey;
  /** When the text goes, in a few words. */
  readonly when: string;
  readonly text: string;
}

export interface ProgramKeywords {
  readonly optOut: readonly string[];
  readonly help: readonly string[];
  readonly optIn: readonly string[];
}

export interface ProgramDescription {
  readonly businessId: number;
  /** The business name, as the script speaks it and the texts write it. */
  readonly brand: string;
  readonly consentMode: ConsentMode;
  /** The business numbers texts come from, written out. Business numbers only: no consumer data. */
  readonly phoneNumbers: readonly string[];
  /** The consent question exactly as a call speaks it; null for an implied-consent business (nothing asked). */
  readonly consentScript: { readonly version: string; readonly text: string } | null;
  /** The one re-ask when the answer was not heard, spoken from the same source. */
  readonly reprompt: string | null;
  readonly frequency: string;
  readonly rates: string;
  readonly keywords: ProgramKeywords;
  readonly samples: readonly SampleMessage[];
  /** The reply to an SMS opt-in keyword (START): brand, frequency, rates, HELP, STOP. */
  readonly optInConfirmation: string;
  /** The reply to STOP and its equivalents. */
  readonly optOutReply: string;
  readonly helpReply: string;
  /** Where a consumer reaches the business: what the HELP reply names. */
  readonly contact: string;
  readonly privacy: string;
  readonly campaignDescription: string;
  /** How a consumer opts in, step by step (the call to action / message flow). */
  readonly optInSteps: readonly string[];
  /** The message flow as one paragraph, with the verbal script, for the registration form. */
  readonly messageFlow: string;
}

const SAMPLE_WHEN: Readonly<Record<TemplateKey, string>> = {
  received: 'right after the call, once the caller said yes',
  implied: 'right after the call',
  callback: 'when the business schedules a call back',
  complete: 'when the job is done',
};

/** Custom placeholders (`{time}`) are shown as `[time]`: a sample, not a real value. */
function sampleVars(template: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const m of template.matchAll(/\{(\w+)\}/g)) {
    const k = m[1] ?? '';
    if (k !== 'business' && k !== 'issue' && k !== 'about') vars[k] = `[${k}]`;
  }
  return vars;
}

/** One template as the service would text it (custom placeholders shown by name). */
export function renderSample(business: Pick<Business, 'name' | 'templates' | 'consentMode'>, key: TemplateKey): string {
  if (key === 'received' || key === 'implied') return defaultFirstText({ ...business, consentMode: key === 'implied' ? 'implied' : 'verbal' }, SAMPLE_CALLER_MESSAGE);
  const template = business.templates[key] ?? DEFAULT_TEMPLATES[key];
  return renderTemplate(business, key, sampleVars(template)).text;
}

/** The templates a business's consumers can get: its first text (by consent mode), then the follow-ups. */
export function templatesInUse(mode: ConsentMode): readonly TemplateKey[] {
  return mode === 'implied' ? ['implied', 'callback', 'complete'] : ['received', 'callback', 'complete'];
}

export function describeProgram(business: Business, settings: ProgramSettings = {}): ProgramDescription {
  const brand = business.name;
  const did = business.dids[0] ?? '';
  const contact = helpContactFor(settings.helpContact, did);
  const verbal = business.consentMode === 'verbal';
  const script = verbal ? renderPrompt('consent', business) : null;
  const samples = templatesInUse(business.consentMode).map((template) => ({ template, when: SAMPLE_WHEN[template], text: renderSample(business, template) }));
  const optInSteps = verbal
    ? [
        `The consumer places an inbound phone call to ${brand}.`,
        `If ${brand} cannot answer, an automated voice assistant answers the call and takes the caller's message.`,
        'Before saying goodbye, the voice assistant asks the caller for consent to receive SMS text messages, using the script shown on this page.',
        'The caller answers out loud. Only a clear, affirmative answer ("yes" or an equivalent) opts the caller in. If the caller declines or does not clearly agree, no SMS is sent.',
        'The caller\'s answer is recorded, transcribed, timestamped and stored with the exact script as the consent record.',
        'No SMS is sent unless this affirmative verbal consent was captured on the call.',
      ]
    : [
        `The consumer places an inbound phone call to ${brand}.`,
        `If ${brand} cannot answer, an automated voice assistant answers the call and takes the caller's message.`,
        `By calling ${brand} and leaving a message, the caller asks to be contacted about that request; ${brand} sends one text reply to the number that called.`,
        'Further texts are sent only after the consumer replies or agrees to receive them.',
      ];
  const campaignDescription =
    `${brand} texts consumers who called ${brand} and could not be answered. An automated voice assistant takes the caller's message` +
    (verbal ? ' and asks, on the call, for consent to receive texts' : '') +
    `. The texts are conversational replies to the caller's own service request: confirming the call was received, a callback time, an appointment, or a follow-up. No marketing, no promotions, no third-party content.`;
  const messageFlow = verbal
    ? `Opt-in is verbal, on the consumer's own inbound call to ${brand}; there is no web form and no purchased list. When ${brand} cannot answer, an automated assistant takes a message and then asks: "${script}" Only a clear yes opts the caller in; the answer is recorded and stored with the script. The first text follows right after the call.`
    : `The consumer calls ${brand}; when no one can answer, an automated assistant takes a message and ${brand} sends one text reply to the number that called. There is no web form and no purchased list.`;
  return {
    businessId: business.id,
    brand,
    consentMode: business.consentMode,
    phoneNumbers: business.dids.map((d) => formatForReading(d)),
    consentScript: script === null ? null : { version: CONSENT_SCRIPT_VERSION, text: script },
    reprompt: verbal ? renderPrompt('reprompt', business) : null,
    frequency: MESSAGE_FREQUENCY,
    rates: RATES_DISCLOSURE,
    keywords: { optOut: OPT_OUT_KEYWORDS, help: HELP_KEYWORDS, optIn: OPT_IN_KEYWORDS },
    samples,
    optInConfirmation: startConfirmation(brand),
    optOutReply: stopConfirmation(brand),
    helpReply: helpText(brand, contact),
    contact,
    privacy:
      `Mobile phone numbers and SMS opt-in consent are not shared with or sold to any third party, and not shared with affiliates for marketing or promotional purposes. SMS opt-in data is used only to deliver the messages described on this page on behalf of ${brand}.`,
    campaignDescription,
    optInSteps,
    messageFlow,
  };
}
