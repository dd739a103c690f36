import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildCallNotification, buildTestNotification, truncateWords, type CallNotificationInput } from '../../src/domain/notify/staff-notification.ts';

const base: CallNotificationInput = {
  business: { id: 7, name: 'Acme Plumbing', timezone: 'America/Chicago' },
  callId: 42,
  did: '+15125550100',
  callerE164: '+15125550199',
  // 2026-01-15 20:05 UTC = 14:05 CST
  endedAt: Date.UTC(2026, 0, 15, 20, 5, 0),
  transcript: 'Hi, this is Dana on Oak Street, the pipe burst in the basement, please call me back.',
  summary: null,
  consent: 'granted',
  recordingRef: '/var/lib/callkeeper/recordings/42-message.wav',
  callerWasTold: 'A technician will call you back within 30 minutes.',
  urgency: { urgent: true, rule: 'plumbing.burst-pipe', matched: 'pipe burst' },
};

describe('truncateWords', () => {
  test('keeps short text, cuts long text on a word boundary with an ellipsis', () => {
    assert.equal(truncateWords('short text', 20), 'short text');
    assert.equal(truncateWords('the quick brown fox jumps over', 16), 'the quick brown…');
    assert.equal(truncateWords('the quick, brown fox', 12), 'the quick…');
    assert.ok(truncateWords('a '.repeat(500), 50).length <= 50);
  });
  test('a single very long word is cut rather than dropped', () => {
    assert.equal(truncateWords('x'.repeat(30), 10), `${'x'.repeat(9)}…`);
  });
});

describe('buildCallNotification', () => {
  test('urgent call: URGENT subject, text and SMS; caller, local time, consent, recording, promise', () => {
    const n = buildCallNotification(base);
    assert.equal(n.key, 'call-42');
    assert.equal(n.urgent, true);
    assert.match(n.subject, /^URGENT: Missed call from \+1 512-555-0199 \(Acme Plumbing\)$/);
    assert.match(n.text, /URGENT - flagged by rule plumbing\.burst-pipe \("pipe burst"\)/);
    assert.match(n.text, /Time: Thu, Jan 15, 2026, 2:05 PM CST/);
    assert.match(n.text, /Texts: agreed to texts/);
    assert.match(n.text, /Caller was told: "A technician will call you back within 30 minutes\."/);
    assert.match(n.text, /Recording: \/var\/lib\/callkeeper\/recordings\/42-message\.wav/);
    assert.match(n.text, /the pipe burst in the basement/);
    assert.match(n.sms, /^URGENT: Acme Plumbing: missed call from \+1 512-555-0199 at 2:05 PM\. "Hi, this is Dana/);
    assert.equal(n.payload.urgent, true);
    assert.equal(n.payload.call?.caller, '+15125550199');
    assert.equal(n.payload.call?.endedAt, '2026-01-15T20:05:00.000Z');
    assert.deepEqual(n.payload.urgency, { rule: 'plumbing.burst-pipe', matched: 'pipe burst' });
  });

  test('withheld caller, not urgent, no message, declined', () => {
    const n = buildCallNotification({ ...base, callerE164: null, urgency: null, transcript: '  ', consent: 'declined', recordingRef: null });
    assert.equal(n.urgent, false);
    assert.equal(n.subject, 'Missed call from withheld (Acme Plumbing)');
    assert.doesNotMatch(n.text + n.sms, /URGENT/);
    assert.match(n.text, /\(no message left\)/);
    assert.match(n.text, /Texts: declined texts/);
    assert.match(n.text, /Recording: none/);
    assert.match(n.sms, /\(no message\) no texts\.$/);
    assert.equal(n.payload.call?.callerWithheld, true);
    assert.equal(n.payload.transcript, null);
  });

  test('a long transcript is quoted short in the SMS, cut on a word boundary; the summary wins when given', () => {
    const long = `${'water everywhere in the basement '.repeat(20)}end`;
    const n = buildCallNotification({ ...base, transcript: long }, { fullTranscriptChars: 200, smsQuoteChars: 60 });
    const quote = /"([^"]*)"/.exec(n.sms)![1]!;
    assert.ok(quote.length <= 60, quote);
    assert.match(quote, /\w\.\.\.$/);
    assert.ok(long.replace(/\s+/g, ' ').startsWith(quote.slice(0, -3)), 'the quote is a word-aligned prefix');
    assert.ok((n.payload.transcript ?? '').length <= 200);
    assert.ok(n.payload.transcript?.endsWith('…'));
    const s = buildCallNotification({ ...base, transcript: long, summary: 'Basement flooding, wants a callback.' });
    assert.match(s.sms, /"Basement flooding, wants a callback\."/);
    assert.match(s.text, /Summary: Basement flooding/);
  });

  test('the SMS is GSM-7 friendly even when the transcript has curly quotes and dashes', () => {
    const n = buildCallNotification({ ...base, transcript: 'It’s “bad” — really…' });
    assert.doesNotMatch(n.sms, /[\u2018\u2019\u201c\u201d\u2014\u2026]/);
  });

  test('test notification is never urgent and names the business', () => {
    const n = buildTestNotification({ id: 7, name: 'Acme Plumbing', timezone: 'America/Chicago' }, Date.UTC(2026, 0, 15, 20, 5), '+15125550100');
    assert.equal(n.kind, 'test');
    assert.equal(n.urgent, false);
    assert.match(n.subject, /Test notification \(Acme Plumbing\)/);
    assert.equal(n.payload.event, 'notify.test');
  });
});
