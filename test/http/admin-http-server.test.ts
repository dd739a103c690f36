import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { AdminHttpServer } from '../../src/http/admin-http-server.ts';
import { PromMetrics } from '../../src/http/prom-metrics.ts';
import { isAppError } from '../../src/domain/errors.ts';

const TOKEN = 'admin-token-for-tests';

async function withServer(
  opts: { token?: string; readiness?: () => Record<string, boolean | 'degraded'> },
  fn: (base: string, metrics: PromMetrics) => Promise<void>,
): Promise<void> {
  const metrics = new PromMetrics({ processMetrics: false });
  const server = new AdminHttpServer(
    { host: '127.0.0.1', port: 0, token: opts.token },
    { readiness: opts.readiness ?? (() => ({ store: true })), metrics: metrics.registry },
  );
  const { port } = await server.listen();
  try {
    await fn(`http://127.0.0.1:${port}`, metrics);
  } finally {
    await server.close();
  }
}

const auth = { Authorization: `Bearer ${TOKEN}` };

describe('AdminHttpServer', () => {
  test('/healthz answers without a token', async () => {
    await withServer({ token: TOKEN }, async (base) => {
      const r = await fetch(`${base}/healthz`);
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { status: 'ok' });
    });
  });

  test('/readyz and /metrics answer 401 with a JSON body without the token or with a wrong one', async () => {
    await withServer({ token: TOKEN }, async (base) => {
      for (const path of ['/readyz', '/metrics']) {
        const none = await fetch(`${base}${path}`);
        assert.equal(none.status, 401);
        assert.match(none.headers.get('content-type') ?? '', /application\/json/);
        assert.deepEqual(await none.json(), { error: 'unauthorized' });
        assert.match(none.headers.get('www-authenticate') ?? '', /^Bearer/);
        const wrong = await fetch(`${base}${path}`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
        assert.equal(wrong.status, 401);
        await wrong.body?.cancel();
        const shortWrong = await fetch(`${base}${path}`, { headers: { Authorization: 'Bearer a' } });
        assert.equal(shortWrong.status, 401);
        await shortWrong.body?.cancel();
        const basic = await fetch(`${base}${path}`, { headers: { Authorization: `Basic ${TOKEN}` } });
        assert.equal(basic.status, 401);
        await basic.body?.cancel();
      }
    });
  });

  test('/readyz is 503 until every registered dependency is up, then 200', async () => {
    const state: Record<string, boolean> = { ari: false, smpp: false, store: true };
    await withServer({ token: TOKEN, readiness: () => ({ ...state }) }, async (base) => {
      let r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 503);
      assert.deepEqual(await r.json(), { ready: false, status: 'not-ready', checks: { ari: false, smpp: false, store: true } });
      state.ari = true;
      r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 503);
      await r.body?.cancel();
      state.smpp = true;
      r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { ready: true, status: 'ready', checks: { ari: true, smpp: true, store: true } });
    });
  });

  test('/readyz stays 200 with status degraded while the speech recognizer is saturated, 503 if anything is down', async () => {
    const state: Record<string, boolean | 'degraded'> = { esl: true, smpp: true, store: true, speech: 'degraded' };
    await withServer({ token: TOKEN, readiness: () => ({ ...state }) }, async (base) => {
      let r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 200);
      assert.deepEqual(await r.json(), { ready: true, status: 'degraded', checks: { esl: true, smpp: true, store: true, speech: 'degraded' } });
      state.esl = false;
      r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 503);
      assert.equal(((await r.json()) as { status: string }).status, 'not-ready');
    });
  });

  test('/readyz is 503 when nothing is registered or the check throws', async () => {
    await withServer({ token: TOKEN, readiness: () => ({}) }, async (base) => {
      const r = await fetch(`${base}/readyz`, { headers: auth });
      assert.equal(r.status, 503);
      await r.body?.cancel();
    });
    await withServer(
      {
        token: TOKEN,
        readiness: () => {
          throw new Error('boom');
        },
      },
      async (base) => {
        const r = await fetch(`${base}/readyz`, { headers: auth });
        assert.equal(r.status, 503);
        assert.equal(((await r.json()) as { ready: boolean }).ready, false);
      },
    );
  });

  test('/metrics returns the Prometheus text with the product metric names', async () => {
    await withServer({ token: TOKEN }, async (base, metrics) => {
      metrics.callStarted();
      metrics.callEnded('consent-granted');
      metrics.consentDecided('granted', 640);
      metrics.smsState('submitted');
      metrics.outboxDepth(2);
      metrics.connection('smpp', true);
      metrics.transcription('message', 1200, 1);
      metrics.transcriptionFailed('consent-answer', 'timeout');
      metrics.recognizerLoad({ answersWaiting: 3, messagesWaiting: 4, saturated: true });
      metrics.notificationSettled('email', 'delivered', 4_000, true);
      metrics.notificationSettled('webhook', 'failed', null, false);
      const r = await fetch(`${base}/metrics`, { headers: auth });
      assert.equal(r.status, 200);
      assert.match(r.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      const text = await r.text();
      for (const name of [
        'callkeeper_calls_started_total 1',
        'callkeeper_calls_in_progress 0',
        'callkeeper_calls_total{outcome="consent-granted"} 1',
        'callkeeper_consent_decisions_total{decision="granted"} 1',
        'callkeeper_consent_decision_seconds_bucket{le="0.75",decision="granted"} 1',
        'callkeeper_consent_decision_seconds_bucket{le="0.5",decision="granted"} 0',
        'callkeeper_texts_total{state="submitted"} 1',
        'callkeeper_outbox_depth 2',
        'callkeeper_connection_up{component="smpp"} 1',
        'callkeeper_connection_up{component="ari"} 0',
        'callkeeper_transcription_queue_depth 7',
        'callkeeper_transcription_waiting{kind="answer"} 3',
        'callkeeper_transcription_waiting{kind="message"} 4',
        'callkeeper_speech_saturated 1',
        'callkeeper_transcription_failures_total{purpose="consent-answer",reason="timeout"} 1',
        'callkeeper_transcription_failures_total{purpose="message",reason="saturated"} 0',
        'callkeeper_transcription_seconds_count{purpose="message"} 1',
        'callkeeper_staff_notifications_total{channel="email",state="delivered",urgent="true"} 1',
        'callkeeper_staff_notifications_total{channel="webhook",state="failed",urgent="false"} 1',
        'callkeeper_staff_notification_seconds_bucket{le="5",channel="email",urgent="true"} 1',
        'callkeeper_staff_notification_seconds_bucket{le="2",channel="email",urgent="true"} 0',
      ]) {
        assert.ok(text.includes(name), `missing ${name}`);
      }
      // A failed delivery has no latency to observe.
      assert.ok(!text.includes('callkeeper_staff_notification_seconds_count{channel="webhook"'));
    });
  });

  test('unknown paths answer 404 and other methods 405, both as JSON', async () => {
    await withServer({ token: TOKEN }, async (base) => {
      const r = await fetch(`${base}/nope`, { headers: auth });
      assert.equal(r.status, 404);
      assert.deepEqual(await r.json(), { error: 'not found' });
      const p = await fetch(`${base}/metrics`, { method: 'POST', headers: auth });
      assert.equal(p.status, 405);
      assert.deepEqual(await p.json(), { error: 'method not allowed' });
    });
  });

  test('without a token, loopback serves openly and a public bind is refused', async () => {
    await withServer({}, async (base) => {
      const r = await fetch(`${base}/metrics`);
      assert.equal(r.status, 200);
      await r.body?.cancel();
    });
    assert.throws(
      () => new AdminHttpServer({ host: '0.0.0.0', port: 0 }, { readiness: () => ({}), metrics: new PromMetrics({ processMetrics: false }).registry }),
      (e) => isAppError(e, 'CONFIG.INVALID'),
    );
  });

  test('two PromMetrics instances do not share a registry', async () => {
    const a = new PromMetrics({ processMetrics: false });
    const b = new PromMetrics({ processMetrics: false });
    a.outboxDepth(5);
    assert.ok((await a.registry.metrics()).includes('callkeeper_outbox_depth 5'));
    assert.ok((await b.registry.metrics()).includes('callkeeper_outbox_depth 0'));
  });
});
