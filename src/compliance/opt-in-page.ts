import { Eta } from 'eta/core';
import type { ProgramDescription } from '../domain/compliance/program-description.ts';
import { OPT_IN_PAGE_TEMPLATE } from './opt-in-page-template.ts';

/**
 * The public opt-in page of one business ("SMS Opt-In — How It Works"), a complete HTML document, from
 * its program description (src/domain/compliance/program-description.ts): the web console serves it at
 * `/optin/<business>` and `compliance kit` writes it as a static file. Eta escapes every value
 * (`autoEscape`), so a business name such as `<script>` shows as text. No personal data: the
 * description holds the business's name, numbers, texts and contact only.
 */
const eta = new Eta({ autoEscape: true, autoTrim: [false, 'nl'] });
const render = eta.compile(OPT_IN_PAGE_TEMPLATE);

export function renderOptInPage(d: ProgramDescription): string {
  return render.call(eta, {
    brand: d.brand,
    scriptVersion: d.consentScript?.version ?? 'none (implied consent)',
    campaignDescription: d.campaignDescription,
    phoneNumbers: d.phoneNumbers,
    optInSteps: d.optInSteps,
    script: d.consentScript?.text ?? null,
    reprompt: d.reprompt,
    frequency: d.frequency,
    rates: d.rates,
    keywords: d.keywords,
    samples: d.samples,
    optOutReply: d.optOutReply,
    helpReply: d.helpReply,
    optInConfirmation: d.optInConfirmation,
    privacy: d.privacy,
    contact: d.contact,
  });
}
