import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature, WebhookReplayGuard } from '../../src/domain/notify/webhook-signature.ts';

const secret = 'whsec_test';
const body = '{"event":"call.ended","id":"call-1"}';
const now = 1_760_000_000_000;
const ts = now / 1000;

test('the signature is sha256=hex HMAC of "<timestamp>.<body>" (what integrators implement)', () => {
  const expected = createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
  assert.equal(signWebhook(secret, ts, body), `sha256=${expected}`);
});

test('verify accepts a good request and refuses tampering, a wrong secret, stale or missing headers', () => {
  const headers = { 'X-Callkeeper-Timestamp': String(ts), 'X-Callkeeper-Signature': signWebhook(secret, ts, body) };
  assert.equal(verifyWebhookSignature(secret, headers, body, now).ok, true);
  assert.equal(verifyWebhookSignature(secret, headers, Buffer.from(body), now + 60_000).ok, true);
  const no = (r: ReturnType<typeof verifyWebhookSignature>): string => (r.ok ? 'ok' : r.reason);
  assert.equal(no(verifyWebhookSignature(secret, headers, body.replace('1', '2'), now)), 'bad-signature');
  assert.equal(no(verifyWebhookSignature('other', headers, body, now)), 'bad-signature');
  assert.equal(no(verifyWebhookSignature(secret, headers, body, now + 5 * 60_000 + 1)), 'stale');
  assert.equal(no(verifyWebhookSignature(secret, { 'x-callkeeper-timestamp': String(ts) }, body, now)), 'missing-headers');
  assert.equal(no(verifyWebhookSignature(secret, { ...headers, 'X-Callkeeper-Timestamp': 'soon' }, body, now)), 'bad-timestamp');
  // A fresh timestamp on an old signature does not verify: the timestamp is signed.
  assert.equal(no(verifyWebhookSignature(secret, { ...headers, 'X-Callkeeper-Timestamp': String(ts + 1) }, body, now)), 'bad-signature');
});

test('the replay guard accepts a signature once, and forgets it after the tolerance', () => {
  const guard = new WebhookReplayGuard(300_000);
  const v = { signature: 'sha256=ab', timestampMs: now };
  assert.equal(guard.accept(v, now), true);
  assert.equal(guard.accept(v, now + 1000), false);
  assert.equal(guard.accept({ signature: 'sha256=cd', timestampMs: now }, now + 1000), true);
});
