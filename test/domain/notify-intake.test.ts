import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCallNotification, buildReplyNotification, type CallNotificationInput } from '../../src/domain/notify/staff-notification.ts';

const BASE: CallNotificationInput = {
  business: { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' },
  callId: 9,
  did: '+15125550100',
  callerE164: '+15125550199',
  endedAt: Date.UTC(2026, 2, 3, 20, 5),
  transcript: 'This is Maria Lopez at 42 Oak Street, the toilet is overflowing, please come today, or call 512 555 0142.',
  summary: null,
  consent: 'granted',
  recordingRef: null,
  callerWasTold: null,
  urgency: null,
};

describe('staff notifications carry the checked intake fields', () => {
  const n = buildCallNotification({
    ...BASE,
    intake: { problem: 'an overflowing toilet', callerName: 'Maria Lopez', serviceAddress: '42 Oak Street', callbackNumber: '+15125550142', timeframe: 'today', summary: 'Maria Lopez reports an overflowing toilet.' },
  });
  test('e-mail: one line per field that passed, the summary first', () => {
    assert.match(n.text, /^Summary: Maria Lopez reports an overflowing toilet\.$/m);
    assert.match(n.text, /^Problem: an overflowing toilet$/m);
    assert.match(n.text, /^Name: Maria Lopez$/m);
    assert.match(n.text, /^Address: 42 Oak Street$/m);
    assert.match(n.text, /^Call back on: \+1 512-555-0142$/m);
    assert.match(n.text, /^Needed: today$/m);
  });
  test('staff text: the summary as the quote, then name, address and callback number', () => {
    assert.match(n.sms, /"Maria Lopez reports an overflowing toilet\." \(Maria Lopez, 42 Oak Street, call \+1 512-555-0142\) texts OK\.$/);
  });
  test('webhook: the fields under intake', () => {
    assert.equal(n.payload.intake?.serviceAddress, '42 Oak Street');
    assert.equal(n.payload.summary, 'Maria Lopez reports an overflowing toilet.');
  });
  test('without the assist, nothing changes: no intake lines, intake null', () => {
    const plain = buildCallNotification(BASE);
    assert.doesNotMatch(plain.text, /^(Problem|Name|Address|Needed):/m);
    assert.equal(plain.payload.intake, null);
  });
});

test('a forwarded reply: the caller\'s text to staff, event reply.received, keyed by the inbound id', () => {
  const n = buildReplyNotification({
    business: BASE.business, inboundId: 31, callId: 9, did: '+15125550100', from: '+15125550199',
    text: 'can you come tomorrow at 9?', receivedAt: BASE.endedAt, route: 'assist',
  });
  assert.equal(n.key, 'reply-31');
  assert.equal(n.kind, 'reply');
  assert.equal(n.payload.event, 'reply.received');
  assert.deepEqual(n.payload.reply, { text: 'can you come tomorrow at 9?', from: '+15125550199', receivedAt: new Date(BASE.endedAt).toISOString(), route: 'assist' });
  assert.match(n.sms, /^Acme Plumbing: text from \+1 512-555-0199: "can you come tomorrow at 9\?"$/);
  assert.match(n.text, /^can you come tomorrow at 9\?$/m);
});
