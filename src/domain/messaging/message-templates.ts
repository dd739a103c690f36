import type { Business, TemplateKey } from '../business.ts';
import { SMS_FOOTER } from '../consent-script.ts';
import { segmentText, toGsmSafe, type SmsEncoding } from './sms-segmenter.ts';

/**
 * The texts a consumer can receive. Defaults follow the sample messages of the opt-in page the product
 * was designed from (the page consent-script.ts quotes), plus the implied-mode reply; a business may
 * override each in `businesses.templates_json`. Placeholders: `{business}` (also `[business name]`),
 * `{issue}`, `{about}`, and any `--var k=v`. Every text ends with SMS_FOOTER. The first texts make no
 * promise the business did not make (no "within 30 minutes") and fit one SMS for names up to 25 characters.
 */
export const DEFAULT_TEMPLATES: Readonly<Record<TemplateKey, string>> = {
  received: 'Hi, this is {business}. We received your call{about}.',
  callback:
    '{business} — got your call. A technician will call you back later today to schedule. If you need to reach us sooner, call us at this number.',
  complete: '{business}: your service is complete.',
  implied: 'Hi, this is {business}. Sorry we missed your call. We got your message.',
};

export interface RenderedText {
  readonly text: string;
  readonly encoding: SmsEncoding;
  readonly parts: number;
}

/** A caller's issue as a short phrase for "about …": one line, no trailing full stop, at most 80 chars. */
export function issuePhrase(issue: string | null | undefined): string | null {
  if (!issue) return null;
  let s = issue.replace(/\s+/g, ' ').trim().replace(/[.!?]+$/, '');
  if (!s) return null;
  if (s.length > 80) s = `${s.slice(0, 80).replace(/\s+\S*$/, '')}...`;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

function fill(template: string, vars: Readonly<Record<string, string>>): string {
  return template
    .replace(/\[business name\]/gi, vars.business ?? '')
    .replace(/\{(\w+)\}/g, (m, k: string) => vars[k] ?? m);
}

/** Appends the compliance footer unless the template already ends with it. */
export function withFooter(text: string): string {
  const t = text.trim();
  return t.endsWith(SMS_FOOTER) ? t : `${t} ${SMS_FOOTER}`;
}

/** Renders final text: placeholders filled, footer appended, typographic characters made GSM-safe. */
export function finishText(raw: string): RenderedText {
  const text = toGsmSafe(withFooter(raw));
  const seg = segmentText(text);
  return { text, encoding: seg.encoding, parts: seg.parts.length };
}

export function renderTemplate(
  business: Pick<Business, 'name' | 'templates'>,
  key: TemplateKey,
  vars: Readonly<Record<string, string>> = {},
): RenderedText {
  const template = business.templates[key] ?? DEFAULT_TEMPLATES[key];
  const issue = issuePhrase(vars.issue);
  const all: Record<string, string> = {
    ...vars,
    business: business.name,
    issue: issue ?? 'your request',
    about: issue ? ` about ${issue}` : '',
  };
  const filled = fill(template, all);
  const missing = [...filled.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
  if (missing.length > 0) throw new RangeError(`template ${key} needs values for: ${missing.join(', ')}`);
  return finishText(filled);
}

/**
 * The first text after a call (what the call flow queues): `received` (with the caller's issue when
 * known) for verbal consent, `implied` for an implied-mode business. The issue phrase is a nicety: when
 * it would make the text a second SMS (billed twice) and the text fits one without it, it is left out.
 */
export function renderFirstText(
  business: Pick<Business, 'name' | 'templates' | 'consentMode'>,
  issue?: string | null,
): RenderedText {
  const key: TemplateKey = business.consentMode === 'implied' ? 'implied' : 'received';
  const plain = renderTemplate(business, key);
  if (!issue) return plain;
  const withIssue = renderTemplate(business, key, { issue });
  return withIssue.parts > plain.parts ? plain : withIssue;
}
