import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SMS_FOOTER } from '../../src/domain/consent-script.ts';
import { helpText, startConfirmation, stopConfirmation } from '../../src/domain/messaging/keyword-replies.ts';
import { renderFirstText, renderTemplate } from '../../src/domain/messaging/message-templates.ts';
import { segmentText } from '../../src/domain/messaging/sms-segmenter.ts';
import { countsTowardCap, evaluateSend, quietUntil, type SendingRules } from '../../src/domain/messaging/sending-policy.ts';

const biz = { name: 'Acme Plumbing', templates: {}, consentMode: 'verbal' as const };

describe('templates (the README sample texts as defaults)', () => {
  test('received, with the caller issue, is the README sample without a promise the business did not make', () => {
    const r = renderTemplate(biz, 'received', { issue: 'A leaking faucet.' });
    assert.equal(
      r.text,
      'Hi, this is Acme Plumbing. We received your call about a leaking faucet. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
    );
    assert.equal(r.encoding, 'gsm7');
    assert.equal(r.parts, 1);
  });
  test('the first text, HELP, STOP and START replies are one SMS for business names up to 25 characters', () => {
    const name = 'Northside Heating & Cooli'; // 25 characters
    assert.equal(name.length, 25);
    const long = { ...biz, name };
    const texts = [renderFirstText(long, 'a leaking kitchen faucet'), renderFirstText(long), renderFirstText({ ...long, consentMode: 'implied' })];
    for (const t of texts) assert.equal(t.parts, 1, t.text);
    for (const body of [helpText(name, 'call (512) 555-0100'), stopConfirmation(name), startConfirmation(name)]) {
      assert.equal(segmentText(body).parts.length, 1, body);
    }
  });
  test('the issue phrase is left out when it alone would make the first text a second SMS', () => {
    const long = { ...biz, name: 'Northside Heating & Cooli' };
    const phrase = 'a water heater that is leaking all over the garage floor';
    assert.equal(renderTemplate(long, 'received', { issue: phrase }).parts, 2);
    const first = renderFirstText(long, phrase);
    assert.equal(first.parts, 1);
    assert.equal(first.text, renderFirstText(long).text);
    assert.ok(renderFirstText(biz, 'a leaking kitchen faucet').text.includes('about a leaking kitchen faucet'));
  });
  test('callback keeps GSM-7: the seed em dash becomes a hyphen', () => {
    const r = renderTemplate(biz, 'callback');
    assert.ok(r.text.startsWith('Acme Plumbing - got your call.'));
    assert.equal(r.encoding, 'gsm7');
  });
  test('complete; every template ends with the footer exactly once', () => {
    const r = renderTemplate(biz, 'complete');
    assert.equal(r.text, `Acme Plumbing: your service is complete. ${SMS_FOOTER}`);
    assert.equal(r.parts, 1);
    const custom = renderTemplate({ ...biz, templates: { complete: `[business name] is done. ${SMS_FOOTER}` } }, 'complete');
    assert.equal(custom.text, `Acme Plumbing is done. ${SMS_FOOTER}`);
  });
  test('first text without a known issue; implied-mode business gets the implied text', () => {
    assert.equal(renderFirstText(biz).text, `Hi, this is Acme Plumbing. We received your call. ${SMS_FOOTER}`);
    assert.match(renderFirstText({ ...biz, consentMode: 'implied' }).text, /Sorry we missed your call/);
  });
  test('a missing --var is an error, a name with á makes it UCS-2', () => {
    assert.throws(() => renderTemplate({ ...biz, templates: { callback: 'See you at {time}.' } }, 'callback'), /time/);
    assert.equal(renderTemplate({ ...biz, name: 'Plomería Ramón' }, 'complete').encoding, 'ucs2');
    assert.equal(renderTemplate({ ...biz, name: 'Müller & Søn' }, 'complete').encoding, 'gsm7');
  });
  test('STOP confirmation says no more messages and how to come back; HELP has the contact', () => {
    assert.match(stopConfirmation('Acme'), /no more messages.*START/);
    const h = helpText('Acme', 'help@acme.test');
    for (const part of ['Acme', 'help@acme.test', 'Msg & data rates may apply', 'STOP', '1-4']) assert.ok(h.includes(part), part);
  });
});

const rules: SendingRules = { maxPerDay: 4, quietHours: { start: '21:00', end: '08:00' }, firstReplyExemptFromQuietHours: true };
const noonChicago = Date.UTC(2026, 2, 10, 17, 0); // 12:00 CDT
const elevenPmChicago = Date.UTC(2026, 2, 11, 4, 0); // 23:00 CDT
const f = { sentLast24h: 0, now: noonChicago, timezone: 'America/Chicago' };

describe('sending policy', () => {
  test('consent: granted allows all; implied only the first reply; keyword replies always', () => {
    assert.equal(evaluateSend({ ...f, kind: 'follow-up', consent: 'granted' }, rules).allow, true);
    assert.equal(evaluateSend({ ...f, kind: 'first-reply', consent: 'implied' }, rules).allow, true);
    assert.deepEqual(
      { ...evaluateSend({ ...f, kind: 'follow-up', consent: 'implied' }, rules), reason: '' },
      { allow: false, rule: 'consent', reason: '' },
    );
    for (const c of ['revoked', 'none'] as const) assert.equal(evaluateSend({ ...f, kind: 'first-reply', consent: c }, rules).allow, false);
    assert.equal(evaluateSend({ ...f, kind: 'keyword-reply', consent: 'revoked', sentLast24h: 9 }, rules).allow, true);
  });
  test('frequency cap at maxPerDay, configurable lower', () => {
    const d = evaluateSend({ ...f, kind: 'follow-up', consent: 'granted', sentLast24h: 4 }, rules);
    assert.equal(d.allow ? null : d.rule, 'frequency-cap');
    assert.equal(evaluateSend({ ...f, kind: 'follow-up', consent: 'granted', sentLast24h: 3 }, rules).allow, true);
    assert.equal(evaluateSend({ ...f, kind: 'follow-up', consent: 'granted', sentLast24h: 2 }, { ...rules, maxPerDay: 2 }).allow, false);
  });
  test('quiet hours (business time zone) defer follow-ups until 08:00; first reply exempt by config', () => {
    const d = evaluateSend({ ...f, now: elevenPmChicago, kind: 'follow-up', consent: 'granted' }, rules);
    assert.equal(d.allow, false);
    assert.equal(!d.allow && d.rule === 'quiet-hours' ? d.retryAt : 0, Date.UTC(2026, 2, 11, 13, 0));
    assert.equal(evaluateSend({ ...f, now: elevenPmChicago, kind: 'first-reply', consent: 'granted' }, rules).allow, true);
    assert.equal(
      evaluateSend({ ...f, now: elevenPmChicago, kind: 'first-reply', consent: 'granted' }, { ...rules, firstReplyExemptFromQuietHours: false }).allow,
      false,
    );
    // 03:00 UTC is 20:00 PDT (outside quiet hours) and 23:00 EDT (inside).
    assert.equal(quietUntil(Date.UTC(2026, 2, 11, 3, 0), 'America/Los_Angeles', rules.quietHours), null);
    assert.notEqual(quietUntil(Date.UTC(2026, 2, 11, 3, 0), 'America/New_York', rules.quietHours), null);
  });
});

describe('sending policy: staff texts are internal', () => {
  test('no consent needed, no cap, no quiet hours, whatever the consent state', () => {
    for (const consent of ['none', 'revoked', 'implied', 'granted'] as const) {
      for (const now of [noonChicago, elevenPmChicago]) {
        assert.deepEqual(evaluateSend({ ...f, now, kind: 'staff', consent, sentLast24h: 99 }, rules), { allow: true }, `${consent} at ${now}`);
      }
    }
  });
  test('only consumer texts count toward the consumer cap', () => {
    assert.deepEqual(['first-reply', 'follow-up', 'keyword-reply', 'staff'].map((k) => countsTowardCap(k as 'staff')), [true, true, false, false]);
  });
});
