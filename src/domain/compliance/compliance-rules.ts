import type { Business, TemplateKey } from '../business.ts';
import { toGsmSafe } from '../messaging/sms-segmenter.ts';
import { renderSample, type ProgramDescription } from './program-description.ts';

/**
 * What carriers check in a texting program before they approve it (CTIA Messaging Principles and Best
 * Practices; the 10DLC campaign form): every text names the brand and says how to stop and get help,
 * consumer texts carry the rates disclosure, the opt-in confirmation states the frequency, the HELP reply
 * gives a contact, the opt-out reply confirms that nothing more will come, and the verbal consent script
 * discloses who asks, about what, how often, the rates, STOP, HELP, and that a machine is speaking.
 * Each rule has a stable name; a refusal or a failed check names it (src/domain/compliance/README.md).
 */
export const COMPLIANCE_RULES = {
  'text-brand': 'the text names the business',
  'text-rates': 'the text says "Msg & data rates may apply"',
  'text-help': 'the text says to reply HELP for help',
  'text-stop': 'the text says to reply STOP to opt out',
  'opt-in-frequency': 'the opt-in confirmation states the message frequency',
  'help-contact': 'the HELP reply gives a contact',
  'opt-out-confirmed': 'the opt-out reply confirms no further messages will be sent',
  'script-brand': 'the consent script names the business that asks',
  'script-purpose': 'the consent script says what the texts are about',
  'script-frequency': 'the consent script says how many texts',
  'script-rates': 'the consent script says message and data rates may apply',
  'script-stop': 'the consent script says to reply STOP to opt out',
  'script-help': 'the consent script says to reply HELP for help',
  'script-automated': 'the consent script says an automated assistant is speaking',
} as const;

export type ComplianceRule = keyof typeof COMPLIANCE_RULES;

export interface RuleViolation {
  readonly rule: ComplianceRule;
  /** What broke it: `template callback`, `HELP reply`, `consent script`, ... */
  readonly subject: string;
}

/** One line per violation, naming the rule first (what `compliance check` prints). */
export function describeViolation(v: RuleViolation): string {
  return `${v.rule}: ${v.subject}: ${COMPLIANCE_RULES[v.rule]}`;
}

const RATES = /\b(?:msg|message)s? (?:&|and) data rates may apply\b/i;
/** Keywords are written in capitals in texts and in the script alike, so a bare "stop" in a sentence does not count. */
const HELP = /\bHELP\b/;
const STOP = /\bSTOP\b/;
const COUNT = String.raw`(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten)`;
const FREQUENCY = new RegExp(String.raw`\b(?:${COUNT}\s*(?:-|–|to)\s*${COUNT}|up to ${COUNT})\s+(?:msgs?|messages?|texts?)\b`, 'i');
const NO_MORE = /\b(?:no (?:more|further) (?:msgs|messages|texts)|(?:will )?not (?:receive|get) (?:any )?(?:more|further))\b/i;
const PURPOSE = /\babout (?:your|the) \w+/i;
const AUTOMATED = /\b(?:automated|virtual|AI) (?:assistant|system|receptionist)\b/i;

function names(text: string, phrase: string): boolean {
  const t = text.toLowerCase();
  return t.includes(phrase.toLowerCase()) || t.includes(toGsmSafe(phrase).toLowerCase());
}

type Need = 'brand' | 'rates' | 'help' | 'stop';
const NEED_RULE: Readonly<Record<Need, ComplianceRule>> = { brand: 'text-brand', rates: 'text-rates', help: 'text-help', stop: 'text-stop' };

function textViolations(text: string, brand: string, subject: string, needs: readonly Need[]): RuleViolation[] {
  const ok: Readonly<Record<Need, () => boolean>> = {
    brand: () => names(text, brand),
    rates: () => RATES.test(text),
    help: () => HELP.test(text),
    stop: () => STOP.test(text),
  };
  return needs.filter((n) => !ok[n]()).map((n) => ({ rule: NEED_RULE[n], subject }));
}

const CONSUMER_TEXT: readonly Need[] = ['brand', 'rates', 'help', 'stop'];

/** The rules a consumer text (a template as rendered) must keep. */
export function checkTemplateText(text: string, brand: string, key: TemplateKey): RuleViolation[] {
  return textViolations(text, brand, `template ${key}`, CONSUMER_TEXT);
}

/**
 * The templates a change sets, rendered as they would be texted, against the text rules: what
 * `business add/update --template` refuses without `--force`.
 */
export function checkTemplateChange(business: Pick<Business, 'name' | 'templates' | 'consentMode'>, keys: readonly TemplateKey[]): RuleViolation[] {
  return keys.flatMap((key) => checkTemplateText(renderSample(business, key), business.name, key));
}

export function checkProgram(d: ProgramDescription): RuleViolation[] {
  const out: RuleViolation[] = [];
  for (const s of d.samples) out.push(...checkTemplateText(s.text, d.brand, s.template));
  out.push(...textViolations(d.optInConfirmation, d.brand, 'opt-in confirmation', CONSUMER_TEXT));
  if (!FREQUENCY.test(d.optInConfirmation)) out.push({ rule: 'opt-in-frequency', subject: 'opt-in confirmation' });
  out.push(...textViolations(d.helpReply, d.brand, 'HELP reply', ['brand', 'rates', 'stop']));
  if (!names(d.helpReply, d.contact)) out.push({ rule: 'help-contact', subject: 'HELP reply' });
  out.push(...textViolations(d.optOutReply, d.brand, 'opt-out reply', ['brand']));
  if (!NO_MORE.test(d.optOutReply)) out.push({ rule: 'opt-out-confirmed', subject: 'opt-out reply' });
  if (d.consentScript !== null) out.push(...checkConsentScript(d.consentScript.text, d.brand));
  return out;
}

export function checkConsentScript(script: string, brand: string): RuleViolation[] {
  const checks: ReadonlyArray<readonly [ComplianceRule, boolean]> = [
    ['script-brand', names(script, brand)],
    ['script-purpose', PURPOSE.test(script)],
    ['script-frequency', FREQUENCY.test(script)],
    ['script-rates', RATES.test(script)],
    ['script-stop', STOP.test(script)],
    ['script-help', HELP.test(script)],
    ['script-automated', AUTOMATED.test(script)],
  ];
  return checks.filter(([, ok]) => !ok).map(([rule]) => ({ rule, subject: 'consent script' }));
}
