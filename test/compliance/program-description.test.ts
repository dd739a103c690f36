import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkConsentScript, checkProgram, checkTemplateChange, COMPLIANCE_RULES, type ComplianceRule } from '../../src/domain/compliance/compliance-rules.ts';
import { describeProgram, type ProgramDescription } from '../../src/domain/compliance/program-description.ts';
import { toGsmSafe } from '../../src/domain/messaging/sms-segmenter.ts';
import { makeBusiness } from '../fakes/in-memory-business-directory.ts';

const ACME = makeBusiness({ id: 1, name: 'Acme Plumbing', dids: ['+15125550100'] });
const SEED = readFileSync(new URL('../fixtures/compliance/opt-in-seed.txt', import.meta.url), 'utf8');

/** The quoted passages of a seed section, in order. */
function quotes(section: string): string[] {
  return [...section.matchAll(/“([^”]+)”/g)].map((m) => m[1] ?? '');
}

describe('the program description follows the opt-in page it was designed from', () => {
  test('the consent script is the seed script word for word, the business name filled in', () => {
    const script = quotes(SEED.slice(0, SEED.indexOf('Sample messages'))).find((q) => q.startsWith('Before we finish'));
    assert.ok(script, 'the seed fixture holds the script');
    assert.equal(describeProgram(ACME).consentScript?.text, script.replace('[business name]', 'Acme Plumbing'));
  });

  test('the sample messages keep the seed wording (GSM-safe, and without the promise "within 30 minutes")', () => {
    const seedSamples = quotes(SEED.slice(SEED.indexOf('Sample messages'))).map((q) => toGsmSafe(q.replaceAll('[business name]', 'Acme Plumbing')));
    assert.equal(seedSamples.length, 3);
    const samples = describeProgram(ACME).samples.map((s) => s.text);
    assert.deepEqual(samples, [seedSamples[0]!.replace(' A technician will follow up within 30 minutes.', ''), seedSamples[1], seedSamples[2]]);
  });

  test('the HELP reply names messaging.helpContact when set, else the business number written out', () => {
    assert.match(describeProgram(ACME).helpReply, /Help: call \(512\) 555-0100\./);
    const d = describeProgram(ACME, { helpContact: 'help@acme.test' });
    assert.equal(d.contact, 'help@acme.test');
    assert.match(d.helpReply, /Help: help@acme\.test\./);
  });

  test('an implied-consent business has no script and its first text is the implied template', () => {
    const d = describeProgram({ ...ACME, consentMode: 'implied' });
    assert.equal(d.consentScript, null);
    assert.deepEqual(d.samples.map((s) => s.template), ['implied', 'callback', 'complete']);
    assert.match(d.samples[0]!.text, /Sorry we missed your call/);
  });

  test('custom placeholders show by name in a sample', () => {
    const d = describeProgram({ ...ACME, templates: { callback: '{business} will call you at {time}.' } });
    assert.match(d.samples[1]!.text, /^Acme Plumbing will call you at \[time\]\. Msg & data rates may apply\./);
  });
});

describe('the carrier rules', () => {
  test('the default program of a verbal and of an implied business, with a 25-character name, breaks none', () => {
    for (const b of [ACME, { ...ACME, name: 'Northside Heating & Cooli' }, { ...ACME, consentMode: 'implied' as const }]) {
      assert.deepEqual(checkProgram(describeProgram(b)), [], b.name);
    }
  });

  const base = describeProgram(ACME);
  const sample = (i: number, text: string): ProgramDescription => ({ ...base, samples: base.samples.map((s, j) => (j === i ? { ...s, text } : s)) });
  const script = (text: string): ProgramDescription => ({ ...base, consentScript: { version: 'test', text } });
  const S = base.consentScript!.text;
  const cases: ReadonlyArray<readonly [ComplianceRule, string, ProgramDescription]> = [
    ['text-brand', 'template complete', sample(2, 'Your service is complete. Msg & data rates may apply. Reply HELP for help, STOP to opt out.')],
    ['text-rates', 'template complete', sample(2, 'Acme Plumbing: your service is complete. Reply HELP for help, STOP to opt out.')],
    ['text-help', 'template complete', sample(2, 'Acme Plumbing: your service is complete. Msg & data rates may apply. Reply STOP to opt out.')],
    ['text-stop', 'template complete', sample(2, 'Acme Plumbing: your service is complete. Msg & data rates may apply. Reply HELP for help.')],
    ['opt-in-frequency', 'opt-in confirmation', { ...base, optInConfirmation: base.optInConfirmation.replace(', 1-4 msgs/request', '') }],
    ['help-contact', 'HELP reply', { ...base, helpReply: base.helpReply.replace(' Help: call (512) 555-0100.', '') }],
    ['opt-out-confirmed', 'opt-out reply', { ...base, optOutReply: 'Acme Plumbing: Reply START to resubscribe.' }],
    ['script-brand', 'consent script', script(S.replace('Acme Plumbing', 'we'))],
    ['script-purpose', 'consent script', script(S.replace(' about your service request', ''))],
    ['script-frequency', 'consent script', script(S.replace('You’ll get one to four texts within a day, things', 'You’ll get texts,'))],
    ['script-rates', 'consent script', script(S.replace(' Message and data rates may apply.', ''))],
    ['script-stop', 'consent script', script(S.replace('reply STOP to opt out, or ', 'reply '))],
    ['script-help', 'consent script', script(S.replace(', or HELP for help', ''))],
    ['script-automated', 'consent script', script(S.replace(' — and just to be clear, I’m an automated assistant —', ''))],
  ];

  test('every rule has a case below', () => {
    assert.deepEqual(cases.map(([r]) => r).sort(), Object.keys(COMPLIANCE_RULES).sort());
  });

  for (const [rule, subject, broken] of cases) {
    test(`${rule} fails alone when broken (${subject})`, () => {
      assert.deepEqual(checkProgram(broken), [{ rule, subject }]);
    });
  }

  test('a bare "stop" in a sentence is not a STOP instruction; the keyword in capitals is', () => {
    assert.deepEqual(checkConsentScript(S.replace('reply STOP to opt out', 'say stop to opt out'), 'Acme Plumbing').map((v) => v.rule), ['script-stop']);
  });

  test('a template change is judged as rendered: the footer is added, the business name must be there', () => {
    assert.deepEqual(checkTemplateChange({ ...ACME, templates: { callback: 'We will call you today.' } }, ['callback']), [{ rule: 'text-brand', subject: 'template callback' }]);
    assert.deepEqual(checkTemplateChange({ ...ACME, templates: { callback: '{business} will call you today.' } }, ['callback']), []);
    assert.deepEqual(checkTemplateChange({ ...ACME, templates: { callback: '[business name] will call you today.' } }, ['callback']), []);
  });
});
