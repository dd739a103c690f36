import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sendDecider } from '../../../src/app/messaging/send-decider.ts';
import type { SendingRules } from '../../../src/domain/messaging/sending-policy.ts';
import type { SendFacts } from '../../../src/domain/ports/outbox.ts';

/**
 * The decision the outbox asks in its claiming transaction, without a database: the facts a claim
 * would read, in; the verdict the store applies (claim, refuse, or hold until `retryAt`), out.
 */
const RULES: SendingRules = { maxPerDay: 4, quietHours: { start: '21:00', end: '08:00' }, firstReplyExemptFromQuietHours: true };
/** 2026-03-10 12:00 and 23:00 in America/Chicago (CDT, UTC-5). */
const NOON = Date.UTC(2026, 2, 10, 17, 0);
const NIGHT = Date.UTC(2026, 2, 11, 4, 0);
const facts = (f: Partial<SendFacts>): SendFacts => ({ kind: 'follow-up', consent: 'granted', sentLast24h: 0, now: NOON, timezone: 'America/Chicago', ...f });

describe('sendDecider', () => {
  const decide = sendDecider(RULES);

  test('a granted follow-up by day under the cap is claimed', () => {
    assert.deepEqual(decide(facts({})), { allow: true });
  });

  test('after a STOP (consent revoked) no consumer text is claimed, whatever else holds', () => {
    for (const kind of ['first-reply', 'follow-up'] as const) {
      const d = decide(facts({ kind, consent: 'revoked' }));
      assert.equal(d.allow, false);
      assert.equal(!d.allow && d.rule, 'consent');
    }
  });

  test('no consent, or implied consent for anything but the first reply, refuses', () => {
    assert.equal(decide(facts({ consent: 'none' })).allow, false);
    assert.equal(decide(facts({ consent: 'implied', kind: 'follow-up' })).allow, false);
    assert.deepEqual(decide(facts({ consent: 'implied', kind: 'first-reply' })), { allow: true });
  });

  test('the frequency cap refuses the text past maxPerDay', () => {
    assert.deepEqual(decide(facts({ sentLast24h: RULES.maxPerDay - 1 })), { allow: true });
    const d = decide(facts({ sentLast24h: RULES.maxPerDay }));
    assert.equal(!d.allow && d.rule, 'frequency-cap');
  });

  test('quiet hours hold a follow-up until they end (08:00 local), and spare the first reply', () => {
    const d = decide(facts({ now: NIGHT }));
    assert.equal(!d.allow && d.rule, 'quiet-hours');
    assert.equal(!d.allow && d.rule === 'quiet-hours' && d.retryAt, Date.UTC(2026, 2, 11, 13, 0));
    assert.deepEqual(decide(facts({ now: NIGHT, kind: 'first-reply' })), { allow: true });
  });

  test('keyword replies and staff alerts pass without consent, cap or quiet hours', () => {
    for (const kind of ['keyword-reply', 'staff'] as const) {
      assert.deepEqual(decide(facts({ kind, consent: 'revoked', sentLast24h: 99, now: NIGHT })), { allow: true });
    }
  });

  test('the rules it was built with are the ones applied', () => {
    const strict = sendDecider({ ...RULES, maxPerDay: 1, firstReplyExemptFromQuietHours: false });
    assert.equal(strict(facts({ sentLast24h: 1 })).allow, false);
    assert.equal(strict(facts({ kind: 'first-reply', now: NIGHT })).allow, false);
  });
});
