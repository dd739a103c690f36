import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createNotifyStaff, type NotifyStaffDeps } from '../../../src/app/notify/notify-staff.ts';
import type { CallNotificationInput } from '../../../src/domain/notify/staff-notification.ts';
import { parseOnCallHours } from '../../../src/domain/notify/on-call-hours.ts';
import { CapturingLogger } from '../../fakes/capturing-logger.ts';
import { FakeChannel, FakeDirectory, MemoryNotificationLog, RecordingMetrics, SplitClock, silentLogger, staffMember } from './notify-fakes.ts';

const RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, attemptTimeoutMs: 10_000 };
const RATE = { windowMs: 15 * 60_000, maxPerWindow: 2, urgentMaxPerWindow: 3 };

function call(over: Partial<CallNotificationInput> = {}): CallNotificationInput {
  return {
    business: { id: 1, name: 'Acme', timezone: 'America/Chicago' },
    callId: 100,
    did: '+15125550100',
    callerE164: '+15125550199',
    endedAt: Date.now(),
    transcript: 'Please call me back about a quote.',
    summary: null,
    consent: 'granted',
    recordingRef: null,
    callerWasTold: null,
    urgency: null,
    ...over,
  };
}

function setup(over: { staff?: FakeDirectory; channels?: FakeChannel[] } = {}) {
  const clock = new SplitClock();
  const log = new MemoryNotificationLog();
  const metrics = new RecordingMetrics();
  const directory = over.staff ?? new FakeDirectory([staffMember(1)], { businessId: 1, url: 'https://hooks.example/ck', secret: 's' });
  const channels = over.channels ?? [new FakeChannel('sms'), new FakeChannel('email'), new FakeChannel('webhook')];
  const deps: NotifyStaffDeps = { staff: directory, channels, log, clock, logger: silentLogger, retry: RETRY, smsRate: RATE, metrics };
  return { clock, log, metrics, directory, channels, notify: createNotifyStaff(deps) };
}

describe('notifyCall', () => {
  test('every channel is used once, delivered, recorded with its attempt and latency', async () => {
    const { notify, log, metrics } = setup();
    const report = await notify.notifyCall(call());
    assert.deepEqual(report.deliveries.map((d) => `${d.channel}:${d.state}:${d.attempts}`).sort(), ['email:delivered:1', 'sms:delivered:1', 'webhook:delivered:1']);
    assert.equal(log.rows.length, 3);
    for (const r of log.rows) {
      assert.equal(r.state, 'delivered');
      assert.equal(r.attempts.length, 1);
      assert.equal(typeof r.settlement?.latencyMs, 'number');
      assert.equal(r.callId, 100);
    }
    assert.equal(metrics.events.length, 3);
  });

  test('a held channel does not delay the others: e-mail and webhook settle while the SMS is still held', async () => {
    const sms = new FakeChannel('sms', () => ({ hold: true }));
    const { notify, metrics, clock, log } = setup({ channels: [sms, new FakeChannel('email'), new FakeChannel('webhook')] });
    const done = notify.notifyCall(call());
    await metrics.waitFor((e) => e.channel === 'email');
    await metrics.waitFor((e) => e.channel === 'webhook');
    assert.equal(metrics.events.some((e) => e.channel === 'sms'), false, 'the SMS is still in its first attempt');
    assert.equal(sms.requests.length, 1);
    // Now the SMS attempt times out (by the clock, not by waiting), is aborted, and the retry succeeds.
    sms.rescript(() => ({ ok: true, ref: 'q1' }));
    clock.advance(RETRY.attemptTimeoutMs);
    const report = await done;
    const smsReport = report.deliveries.find((d) => d.channel === 'sms')!;
    assert.equal(smsReport.state, 'delivered');
    assert.equal(smsReport.attempts, 2);
    assert.equal(sms.aborted.length, 1, 'the timed-out attempt was aborted');
    const row = log.rows.find((r) => r.channel === 'sms')!;
    assert.deepEqual(row.attempts.map((a) => [a.ok, a.error]), [[false, `timed out after ${RETRY.attemptTimeoutMs} ms`], [true, null]]);
    assert.deepEqual(metrics.events.map((e) => e.channel).at(-1), 'sms');
  });

  test('retryable failures are retried with backoff up to the limit; a final failure stops at once', async () => {
    let webhookCalls = 0;
    const webhook = new FakeChannel('webhook', () => (++webhookCalls < 3 ? { ok: false, error: 'http 500', retryable: true } : { ok: true, ref: 'http 200' }));
    const email = new FakeChannel('email', () => ({ ok: false, error: 'smtp: 550 no such mailbox', retryable: false }));
    const sms = new FakeChannel('sms', () => ({ throws: 'database is locked' }));
    const { notify, log } = setup({ channels: [sms, email, webhook] });
    const report = await notify.notifyCall(call());
    const by = (c: string) => report.deliveries.find((d) => d.channel === c)!;
    assert.deepEqual([by('webhook').state, by('webhook').attempts], ['delivered', 3]);
    assert.deepEqual([by('email').state, by('email').attempts, by('email').lastError], ['failed', 1, 'smtp: 550 no such mailbox']);
    assert.deepEqual([by('sms').state, by('sms').attempts, by('sms').lastError], ['failed', 3, 'database is locked']);
    assert.deepEqual(webhook.requests.map((r) => r.attempt), [1, 2, 3]);
    assert.equal(new Set(webhook.requests.map((r) => r.deliveryId)).size, 1, 'one delivery id across retries');
    assert.equal(log.rows.find((r) => r.channel === 'webhook')!.attempts.filter((a) => !a.ok).length, 2);
  });

  test('staff texts are rate limited per person; e-mail still goes; urgent calls have a higher ceiling', async () => {
    const { notify } = setup();
    const states = async (over: Partial<CallNotificationInput> = {}) => {
      const r = await notify.notifyCall(call(over));
      return Object.fromEntries(r.deliveries.map((d) => [d.channel, d.state]));
    };
    assert.equal((await states()).sms, 'delivered');
    assert.equal((await states()).sms, 'delivered');
    const third = await states();
    assert.deepEqual([third.sms, third.email, third.webhook], ['rate-limited', 'delivered', 'delivered']);
    const urgent = { urgency: { urgent: true, rule: 'plumbing.flooding', matched: 'flooding' } };
    assert.equal((await states(urgent)).sms, 'delivered');
    assert.equal((await states(urgent)).sms, 'rate-limited');
  });

  test('concurrent calls count each other for the rate limit (a burst cannot slip through)', async () => {
    const { notify } = setup();
    const reports = await Promise.all([1, 2, 3, 4].map((i) => notify.notifyCall(call({ callId: i }))));
    const smsStates = reports.map((r) => r.deliveries.find((d) => d.channel === 'sms')!.state);
    assert.deepEqual(smsStates, ['delivered', 'delivered', 'rate-limited', 'rate-limited']);
  });

  test('off-call staff get no text for a routine call but do for an urgent one when nobody is on call', async () => {
    // 03:00 in Chicago: the day tech is off.
    const night = Date.UTC(2026, 0, 14, 9, 0);
    const dir = new FakeDirectory([staffMember(1, { onCall: parseOnCallHours('Mon-Fri 08:00-18:00') })]);
    const { notify, clock } = setup({ staff: dir });
    (clock as unknown as { now: () => number }).now = () => night;
    const routine = await notify.notifyCall(call({ endedAt: night }));
    assert.deepEqual(routine.deliveries.map((d) => `${d.channel}:${d.state}:${d.lastError ?? ''}`).sort(), ['email:delivered:', 'sms:skipped:off-call']);
    const urgent = await notify.notifyCall(call({ endedAt: night, urgency: { urgent: true, rule: 'common.gas', matched: 'smell gas' } }));
    assert.equal(urgent.escalatedToAll, true);
    assert.deepEqual(urgent.deliveries.map((d) => `${d.channel}:${d.state}`).sort(), ['email:delivered', 'sms:delivered']);
  });

  test('a missing channel is recorded as skipped; urgent content reaches the channels', async () => {
    const sms = new FakeChannel('sms');
    const { notify } = setup({ channels: [sms] });
    const r = await notify.notifyCall(call({ urgency: { urgent: true, rule: 'common.gas', matched: 'gas leak' } }));
    assert.deepEqual(r.deliveries.map((d) => `${d.channel}:${d.state}:${d.lastError ?? ''}`).sort(), [
      'email:skipped:channel-unavailable',
      'sms:delivered:',
      'webhook:skipped:channel-unavailable',
    ]);
    assert.match(sms.requests[0]!.notification.sms, /^URGENT: /);
  });

  test('sendTest: one attempt per target, test key, no rate limit; drain waits for everything', async () => {
    const email = new FakeChannel('email', () => ({ ok: false, error: 'smtp: ECONNREFUSED', retryable: true }));
    const { notify } = setup({ channels: [new FakeChannel('sms'), email, new FakeChannel('webhook')] });
    for (let i = 0; i < 3; i++) void notify.notifyCall(call({ callId: i }));
    await notify.drain();
    const r = await notify.sendTest({ id: 1, name: 'Acme', timezone: 'America/Chicago', did: '+15125550100' });
    assert.match(r.key, /^test-1-/);
    const by = Object.fromEntries(r.deliveries.map((d) => [d.channel, `${d.state}:${d.attempts}`]));
    assert.deepEqual(by, { sms: 'delivered:1', email: 'failed:1', webhook: 'delivered:1' });
  });
});

describe('a store that fails part-way', () => {
  test('the notification fails only once the deliveries it had started have settled, and drain waits for them', async () => {
    // Targets open in plan order: webhook, e-mail, then the staff text, whose row cannot be opened.
    class FailingLog extends MemoryNotificationLog {
      override async open(d: Parameters<MemoryNotificationLog['open']>[0]): Promise<number> {
        if (d.channel === 'sms') throw new Error('store unavailable');
        return super.open(d);
      }
      // A staff text is counted and opened in one step (openStaffSms): that step fails the same way.
      override async openStaffSms(): Promise<never> {
        throw new Error('store unavailable');
      }
    }
    const webhook = new FakeChannel('webhook', () => ({ hold: true }));
    const log = new FailingLog();
    const metrics = new RecordingMetrics();
    const notify = createNotifyStaff({
      staff: new FakeDirectory([staffMember(1)], { businessId: 1, url: 'https://hooks.example/ck', secret: 's' }),
      channels: [new FakeChannel('sms'), new FakeChannel('email'), webhook],
      log,
      clock: new SplitClock(),
      logger: silentLogger,
      retry: RETRY,
      smsRate: RATE,
      metrics,
    });
    let outcome = 'pending';
    const done = notify.notifyCall(call());
    done.then(() => (outcome = 'resolved'), () => (outcome = 'rejected'));
    let drained = false;
    void notify.drain().then(() => (drained = true));
    await metrics.waitFor((e) => e.channel === 'email' && e.state === 'delivered');
    // A few event-loop turns: were the failure reported now, it would be by these.
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    assert.equal(webhook.requests.length, 1);
    assert.equal(outcome, 'pending', 'the held webhook delivery has not settled, so neither has the notification');
    assert.equal(drained, false, 'drain waits for the held delivery');
    webhook.release();
    await assert.rejects(done, /store unavailable/);
    await notify.drain();
    assert.deepEqual(log.rows.map((r) => `${r.channel}:${r.state}`), ['webhook:delivered', 'email:delivered']);
  });
});

describe('a business with no staff', () => {
  test('is warned about once, not on every call; later calls log it at debug', async () => {
    const logger = new CapturingLogger();
    const deps: NotifyStaffDeps = {
      staff: new FakeDirectory([]),
      channels: [new FakeChannel('sms')],
      log: new MemoryNotificationLog(),
      clock: new SplitClock(),
      logger,
      retry: RETRY,
      smsRate: RATE,
      metrics: new RecordingMetrics(),
    };
    const notify = createNotifyStaff(deps);
    for (const callId of [1, 2, 3]) await notify.notifyCall(call({ callId }));
    const lines = logger.entries.filter((e) => e.msg === 'no staff channel to notify');
    assert.deepEqual(lines.map((e) => e.level), ['warn', 'debug', 'debug']);
  });
});
