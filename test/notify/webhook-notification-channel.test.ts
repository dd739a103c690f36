import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { WebhookNotificationChannel } from '../../src/notify/webhook-notification-channel.ts';
import { buildCallNotification } from '../../src/domain/notify/staff-notification.ts';
import type { DeliveryRequest } from '../../src/domain/ports/notification-channel.ts';
import { startReceiver, type Receiver } from './webhook-receiver.ts';

const SECRET = 'whsec_0123456789';
const n = buildCallNotification({
  business: { id: 4, name: 'Keys R Us', timezone: 'America/Denver' },
  callId: 77,
  did: '+15125550100',
  callerE164: null,
  endedAt: Date.UTC(2026, 0, 15, 3, 0),
  transcript: "I'm locked out of my house.",
  summary: null,
  consent: 'unclear',
  recordingRef: null,
  callerWasTold: null,
  urgency: { urgent: true, rule: 'locksmith.lockout', matched: 'locked out' },
});
const req = (url: string, attempt = 1, signal = new AbortController().signal): DeliveryRequest => ({
  deliveryId: 'call-77/webhook/business',
  attempt,
  notification: n,
  target: { channel: 'webhook', staffId: null, name: null, address: url },
  signal,
});

describe('WebhookNotificationChannel against a real receiver', () => {
  const receivers: Receiver[] = [];
  const open = async (script: Parameters<typeof startReceiver>[1]): Promise<Receiver> => {
    const r = await startReceiver(SECRET, script);
    receivers.push(r);
    return r;
  };
  const channelFor = (url: string, opts: { timeoutMs?: number; skewMs?: number; secret?: string } = {}): WebhookNotificationChannel =>
    new WebhookNotificationChannel(
      { webhookOf: async (id) => (id === 4 ? { businessId: 4, url, secret: opts.secret ?? SECRET } : undefined) },
      { timeoutMs: opts.timeoutMs ?? 5000 },
      { now: () => Date.now() + (opts.skewMs ?? 0) },
    );
  after(async () => {
    for (const r of receivers) await r.close();
  });

  test('a signed POST is verified by the receiver and carries the JSON payload', async () => {
    const rx = await open(() => ({ kind: 'status', status: 204 }));
    const r = await channelFor(rx.url).send(req(rx.url));
    assert.deepEqual(r, { ok: true, ref: 'http 204' });
    const got = rx.received[0]!;
    assert.equal(got.verdict, 'accepted');
    assert.equal(got.headers['content-type'], 'application/json');
    assert.equal(got.headers['x-callkeeper-delivery'], 'call-77/webhook/business');
    assert.match(String(got.headers['x-callkeeper-signature']), /^sha256=[0-9a-f]{64}$/);
    const payload = JSON.parse(got.body);
    assert.equal(payload.event, 'call.ended');
    assert.equal(payload.urgent, true);
    assert.equal(payload.call.callerWithheld, true);
    assert.equal(payload.transcript, "I'm locked out of my house.");
  });

  test('the receiver rejects a replay of the same request, a stale timestamp and a wrong secret', async () => {
    const rx = await open(() => ({ kind: 'status', status: 200 }));
    assert.equal((await channelFor(rx.url).send(req(rx.url))).ok, true);
    const first = rx.received[0]!;
    // Replay: the exact same headers and body, sent again by an eavesdropper.
    const replay = await fetch(rx.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-callkeeper-timestamp': String(first.headers['x-callkeeper-timestamp']),
        'x-callkeeper-signature': String(first.headers['x-callkeeper-signature']),
      },
      body: first.body,
    });
    await replay.arrayBuffer();
    assert.equal(replay.status, 401);
    assert.equal(rx.received[1]!.verdict, 'replay');

    const stale = await channelFor(rx.url, { skewMs: -10 * 60_000 }).send(req(rx.url));
    assert.deepEqual(stale, { ok: false, error: 'webhook: http 401', retryable: false });
    assert.equal(rx.received[2]!.verdict, 'stale');

    const wrong = await channelFor(rx.url, { secret: 'not-the-secret' }).send(req(rx.url));
    assert.equal(wrong.ok, false);
    assert.equal(rx.received[3]!.verdict, 'bad-signature');
  });

  test('500 is retryable; a receiver that holds the request past the timeout is retryable; retries are re-signed', async () => {
    const rx = await open((i) => (i === 0 ? { kind: 'status', status: 500 } : { kind: 'hold' }));
    const ch = channelFor(rx.url, { timeoutMs: 150 });
    const r1 = await ch.send(req(rx.url, 1));
    assert.deepEqual(r1, { ok: false, error: 'webhook: http 500', retryable: true });
    const r2 = await ch.send(req(rx.url, 2));
    assert.equal(r2.ok, false);
    assert.ok(!r2.ok && r2.retryable);
    assert.match(!r2.ok ? r2.error : '', /no answer within 150 ms/);
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[1]!.headers['x-callkeeper-delivery'], rx.received[0]!.headers['x-callkeeper-delivery']);
    assert.notEqual(rx.received[1]!.headers['x-callkeeper-signature'], rx.received[0]!.headers['x-callkeeper-signature']);
    assert.equal(rx.received[1]!.verdict, 'accepted', 'a quick retry is not mistaken for a replay');
  });

  test('an aborted attempt stops at once; no webhook configured is a final failure', async () => {
    const rx = await open(() => ({ kind: 'hold' }));
    const ac = new AbortController();
    const pending = channelFor(rx.url, { timeoutMs: 60_000 }).send(req(rx.url, 1, ac.signal));
    await rx.onHold();
    ac.abort();
    const r = await pending;
    assert.ok(!r.ok && r.retryable);
    const none = await new WebhookNotificationChannel({ webhookOf: async () => undefined }, { timeoutMs: 100 }).send(req(rx.url));
    assert.deepEqual(none, { ok: false, error: 'webhook: no webhook configured for this business', retryable: false });
  });
});
