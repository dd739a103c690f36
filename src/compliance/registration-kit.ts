import type { ProgramDescription } from '../domain/compliance/program-description.ts';
import { renderOptInPage } from './opt-in-page.ts';

/**
 * The files of `callkeeper compliance kit`: the 10DLC campaign registration fields as JSON and as
 * text to paste, the static opt-in page, and the consent script. All from one program description
 * (src/domain/compliance/program-description.ts), so they agree with each other and with the service.
 */
export interface KitFile {
  readonly name: string;
  readonly content: string;
}

export const KIT_FILES = {
  json: 'registration.json',
  text: 'registration.txt',
  page: 'opt-in-page.html',
  script: 'consent-script.txt',
} as const;

/** The campaign form's fields (The Campaign Registry's names, in camelCase). */
export interface RegistrationFields {
  readonly brand: string;
  readonly description: string;
  readonly messageFlow: string;
  readonly sampleMessages: readonly string[];
  readonly messageFrequency: string;
  readonly ratesDisclosure: string;
  readonly optInKeywords: readonly string[];
  readonly optInMessage: string;
  readonly optOutKeywords: readonly string[];
  readonly optOutMessage: string;
  readonly helpKeywords: readonly string[];
  readonly helpMessage: string;
  readonly subscriberOptIn: true;
  readonly subscriberOptOut: true;
  readonly subscriberHelp: true;
  readonly embeddedLink: boolean;
  readonly embeddedPhone: boolean;
  readonly consentScript: { readonly version: string; readonly text: string } | null;
  readonly privacy: string;
  readonly contact: string;
}

const LINK = /\bhttps?:\/\/|\bwww\./i;
const PHONE = /\(?\b\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}\b/;

export function registrationFields(d: ProgramDescription): RegistrationFields {
  const texts = [...d.samples.map((s) => s.text), d.optInConfirmation, d.optOutReply, d.helpReply];
  return {
    brand: d.brand,
    description: d.campaignDescription,
    messageFlow: d.messageFlow,
    sampleMessages: d.samples.map((s) => s.text),
    messageFrequency: d.frequency,
    ratesDisclosure: d.rates,
    optInKeywords: d.keywords.optIn,
    optInMessage: d.optInConfirmation,
    optOutKeywords: d.keywords.optOut,
    optOutMessage: d.optOutReply,
    helpKeywords: d.keywords.help,
    helpMessage: d.helpReply,
    subscriberOptIn: true,
    subscriberOptOut: true,
    subscriberHelp: true,
    embeddedLink: texts.some((t) => LINK.test(t)),
    embeddedPhone: texts.some((t) => PHONE.test(t)),
    consentScript: d.consentScript,
    privacy: d.privacy,
    contact: d.contact,
  };
}

function registrationText(f: RegistrationFields): string {
  const section = (title: string, body: string): string => `${title}\n${'-'.repeat(title.length)}\n${body}\n`;
  return [
    `10DLC campaign registration: ${f.brand}\n`,
    section('Campaign description', f.description),
    section('Message flow / call to action', f.messageFlow),
    section('Consent script (spoken on the call)', f.consentScript === null ? '(none: implied consent)' : `${f.consentScript.text}\n(script version ${f.consentScript.version})`),
    section('Sample messages', f.sampleMessages.map((s, i) => `${i + 1}. ${s}`).join('\n')),
    section('Message frequency', f.messageFrequency),
    section('Rates disclosure', f.ratesDisclosure),
    section('Opt-in keywords', f.optInKeywords.join(', ')),
    section('Opt-in confirmation message', f.optInMessage),
    section('Opt-out keywords', f.optOutKeywords.join(', ')),
    section('Opt-out message', f.optOutMessage),
    section('Help keywords', f.helpKeywords.join(', ')),
    section('Help message', f.helpMessage),
    section('Embedded link / embedded phone number', `${f.embeddedLink ? 'yes' : 'no'} / ${f.embeddedPhone ? 'yes' : 'no'}`),
    section('Privacy', f.privacy),
    section('Contact', f.contact),
  ].join('\n');
}

export function buildKit(d: ProgramDescription): KitFile[] {
  const fields = registrationFields(d);
  return [
    { name: KIT_FILES.json, content: `${JSON.stringify(fields, null, 2)}\n` },
    { name: KIT_FILES.text, content: registrationText(fields) },
    { name: KIT_FILES.page, content: renderOptInPage(d) },
    { name: KIT_FILES.script, content: d.consentScript === null ? 'No consent question: this business uses implied consent.\n' : `${d.consentScript.text}\n` },
  ];
}
