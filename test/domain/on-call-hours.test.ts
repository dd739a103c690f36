import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { isOnCall, parseOnCallHours } from '../../src/domain/notify/on-call-hours.ts';
import { planDeliveries } from '../../src/domain/notify/delivery-plan.ts';
import type { StaffMember } from '../../src/domain/notify/staff-member.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { decideStaffSms } from '../../src/domain/notify/staff-sms-rate-policy.ts';
import { isAppError } from '../../src/domain/errors.ts';

const TZ = 'America/Chicago';
/** A local Chicago wall-clock time in January (CST, UTC-6). 2026-01-12 is a Monday. */
const jan = (day: number, hh: number, mm = 0): number => Date.UTC(2026, 0, day, hh + 6, mm);

describe('on-call hours', () => {
  test('weekday window, in the business time zone', () => {
    const h = parseOnCallHours('Mon-Fri 08:00-18:00');
    assert.equal(isOnCall(h, jan(12, 8), TZ), true); // Mon 08:00
    assert.equal(isOnCall(h, jan(12, 7, 59), TZ), false);
    assert.equal(isOnCall(h, jan(16, 17, 59), TZ), true); // Fri
    assert.equal(isOnCall(h, jan(16, 18), TZ), false);
    assert.equal(isOnCall(h, jan(17, 12), TZ), false); // Sat
    // 14:00 UTC is 08:00 in Chicago but 09:00 in New York: zone matters.
    assert.equal(isOnCall(parseOnCallHours('Mon 09:00-10:00'), Date.UTC(2026, 0, 12, 14), 'America/New_York'), true);
    assert.equal(isOnCall(parseOnCallHours('Mon 09:00-10:00'), Date.UTC(2026, 0, 12, 14), TZ), false);
  });

  test('overnight windows belong to the day they start; several segments; always', () => {
    const h = parseOnCallHours('Fri 18:00-08:00; Sat,Sun 00:00-24:00');
    assert.equal(isOnCall(h, jan(16, 23), TZ), true); // Fri night
    assert.equal(isOnCall(h, jan(17, 7), TZ), true); // Sat morning (Fri window and Sat window)
    assert.equal(isOnCall(h, jan(19, 7), TZ), false); // Mon 07:00: the Sunday window is not overnight
    assert.equal(isOnCall(h, jan(16, 12), TZ), false); // Fri noon
  });

  test('a Sun 00:00-24:00 window ends at Sunday midnight', () => {
    const h = parseOnCallHours('Sun 00:00-24:00');
    assert.equal(isOnCall(h, jan(18, 23, 59), TZ), true);
    assert.equal(isOnCall(h, jan(19, 0, 0), TZ), false);
  });

  test('always, null and wrapping day ranges', () => {
    assert.equal(isOnCall(parseOnCallHours('24/7'), jan(14, 3), TZ), true);
    assert.equal(isOnCall(null, jan(14, 3), TZ), true);
    assert.deepEqual(parseOnCallHours('Fri-Mon 09:00-17:00').windows[0]!.days, [0, 1, 5, 6]);
    assert.deepEqual(parseOnCallHours('weekdays 09:00-17:00').windows[0]!.days, [1, 2, 3, 4, 5]);
  });

  test('bad specs are refused with the reason', () => {
    for (const bad of ['', 'Mon-Fri', 'Mon-Fri 8-18', 'Funday 08:00-09:00', 'Mon 09:00-09:00', 'Mon 25:00-26:00', 'Mon 09:61-10:00']) {
      assert.throws(() => parseOnCallHours(bad), (e: unknown) => isAppError(e, 'INPUT.INVALID'), bad);
    }
  });
});

const staff = (id: number, over: Partial<StaffMember> = {}): StaffMember => ({
  id,
  businessId: 1,
  name: `S${id}`,
  mobile: `+1512555010${id}`,
  email: `s${id}@example.com`,
  onCall: null,
  channels: ['sms', 'email'],
  createdAt: 0,
  ...over,
});

describe('planDeliveries', () => {
  const day = parseOnCallHours('Mon-Fri 08:00-18:00');
  const night = parseOnCallHours('Mon-Sun 18:00-08:00');
  const all = ['sms', 'email', 'webhook'] as const;
  const at = jan(14, 22); // Wed 22:00: the night person is on call

  test('non-urgent: webhook, e-mail to all, SMS only to those on call', () => {
    const p = planDeliveries({ staff: [staff(1, { onCall: day }), staff(2, { onCall: night })], webhookUrl: 'https://x/h', urgent: false, kind: 'call', at, timezone: TZ, available: [...all] });
    assert.deepEqual(
      p.targets.map((t) => `${t.channel}:${t.staffId ?? '-'}`),
      ['webhook:-', 'email:1', 'email:2', 'sms:2'],
    );
    assert.deepEqual(p.skipped.map((s) => `${s.channel}:${s.staffId}:${s.reason}`), ['sms:1:off-call']);
    assert.equal(p.escalatedToAll, false);
  });

  test('urgent with nobody on call: every SMS staff member is texted', () => {
    const p = planDeliveries({ staff: [staff(1, { onCall: day }), staff(2, { onCall: day, channels: ['email'] })], webhookUrl: null, urgent: true, kind: 'call', at, timezone: TZ, available: [...all] });
    assert.deepEqual(p.targets.map((t) => `${t.channel}:${t.staffId}`), ['email:1', 'email:2', 'sms:1']);
    assert.equal(p.escalatedToAll, true);
  });

  test('urgent with someone on call: the on-call person, not the whole team', () => {
    const p = planDeliveries({ staff: [staff(1, { onCall: day }), staff(2, { onCall: night })], webhookUrl: null, urgent: true, kind: 'call', at, timezone: TZ, available: [...all] });
    assert.deepEqual(p.targets.filter((t) => t.channel === 'sms').map((t) => t.staffId), [2]);
    assert.equal(p.escalatedToAll, false);
  });

  test('a channel this process does not have is skipped, not silently dropped; test reaches everyone', () => {
    const p = planDeliveries({ staff: [staff(1, { onCall: day })], webhookUrl: 'https://x/h', urgent: false, kind: 'test', at, timezone: TZ, available: ['sms', 'webhook'] });
    assert.deepEqual(p.targets.map((t) => t.channel), ['webhook', 'sms']);
    assert.deepEqual(p.skipped.map((s) => `${s.channel}:${s.reason}`), ['email:channel-unavailable']);
  });
});

describe('staff SMS rate limit and staff validation', () => {
  const limit = { windowMs: 900_000, maxPerWindow: 2, urgentMaxPerWindow: 3 };
  test('normal texts stop at the limit, urgent ones at the higher one', () => {
    assert.equal(decideStaffSms(1, false, limit).allow, true);
    assert.equal(decideStaffSms(2, false, limit).allow, false);
    assert.equal(decideStaffSms(2, true, limit).allow, true);
    assert.equal(decideStaffSms(3, true, limit).allow, false);
  });

  test('validateNewStaff normalizes and reports every problem', () => {
    const s = validateNewStaff({ businessId: 1, name: ' Bo ', mobile: '512-555-0142', email: 'bo@example.com', onCall: 'Mon-Fri 08:00-18:00' });
    assert.deepEqual([s.name, s.mobile, s.email, s.channels], ['Bo', '+15125550142', 'bo@example.com', ['sms', 'email']]);
    assert.equal(s.onCall?.spec, 'Mon-Fri 08:00-18:00');
    assert.throws(
      () => validateNewStaff({ businessId: 1, name: '', mobile: '12', email: 'nope', onCall: 'whenever', channels: ['pager'] }),
      (e: unknown) => isAppError(e, 'INPUT.INVALID') && (e.details.problems as string[]).length === 5,
    );
    assert.throws(() => validateNewStaff({ businessId: 1, name: 'X' }), /mobile number or an e-mail/);
  });
});
