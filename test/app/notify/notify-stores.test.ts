/**
 * Staff notification and urgency over serve's stores (src/compose/serve-stores.ts), one scenario run on
 * both: SQLite on a temp file (one connection, calls in turns) and PostgreSQL on a throwaway cluster
 * (test/support/pg-cluster.ts). The use cases are the ones serve wires; the SMS channel is the real one
 * (the stores' outbox, the sender from the business directory); e-mail and webhook are scripted fakes.
 * What must hold on either store: the urgency decision is stored with its rule, every delivery is on
 * record, the staff text sits in the outbox as kind `staff` from the business's DID, and a burst of
 * concurrent calls cannot slip past the staff-text rate limit.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createAssessUrgency } from '../../../src/app/notify/assess-urgency.ts';
import { createNotifyStaff } from '../../../src/app/notify/notify-staff.ts';
import { pgServeStores, sqliteServeStores, type ServeStores } from '../../../src/compose/serve-stores.ts';
import { validateNewStaff } from '../../../src/domain/notify/staff-member.ts';
import type { CallNotificationInput } from '../../../src/domain/notify/staff-notification.ts';
import { SmsNotificationChannel } from '../../../src/notify/sms-notification-channel.ts';
import { DID, openMessagingDb } from '../../sms/fixtures/messaging-db.ts';
import { startPgTestCluster, BUSINESS_ID, DID as PG_DID, type PgTestCluster } from '../../store/postgres/pg-test-db.ts';
import { FakeChannel, SplitClock, silentLogger } from './notify-fakes.ts';

const DANA = '+15125550201';
const CALLER = '+15125550199';
const FLOODING = 'Hi, the basement is flooding, water everywhere. Please call me back.';
/** Three staff texts per person per window: the urgent call's, then two of the burst; the rest are held back. */
const RATE = { windowMs: 900_000, maxPerWindow: 3, urgentMaxPerWindow: 20 };

interface Harness {
  readonly stores: ServeStores;
  readonly businessId: number;
  close(): Promise<void>;
}

async function scenario(h: Harness, clock: SplitClock): Promise<void> {
  const { stores, businessId } = h;
  const dana = await stores.staff.add(validateNewStaff({ businessId, name: 'Dana Tech', mobile: DANA, email: 'dana@acme.test' }));
  await stores.staff.add(validateNewStaff({ businessId, name: 'Owner', email: 'owner@acme.test' }));
  await stores.staff.setWebhook(businessId, { url: 'https://hooks.acme.test/ck', secret: 'whsec_stores' });
  await stores.urgency.saveSettings(businessId, { trade: 'plumbing', extraPhrases: [], disabled: [] });
  const callIds: number[] = [];
  for (let i = 0; i < 5; i++) {
    callIds.push(await stores.callLog.open({ engine: 'asterisk', channelId: `c-${i}`, businessId, did: DID, callerRaw: CALLER, callerE164: CALLER, startedAt: clock.now() }));
  }

  const email = new FakeChannel('email');
  const webhook = new FakeChannel('webhook');
  const notify = createNotifyStaff({
    staff: stores.staff,
    channels: [new SmsNotificationChannel(stores.outbox, async (id) => (await stores.businesses.byId(id))?.dids[0]), email, webhook],
    log: stores.notifications,
    clock,
    logger: silentLogger,
    retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, attemptTimeoutMs: 10_000 },
    smsRate: RATE,
  });
  const assess = createAssessUrgency({ store: stores.urgency, clock, logger: silentLogger });

  const urgency = await assess.assess({ callId: callIds[0]!, businessId, transcript: FLOODING });
  assert.equal(urgency.rule, 'plumbing.flooding');
  const stored = await stores.urgency.decisionForCall(callIds[0]!);
  assert.deepEqual([stored?.decision.urgent, stored?.decision.rule], [true, 'plumbing.flooding']);

  const call = (callId: number, over: Partial<CallNotificationInput> = {}): CallNotificationInput => ({
    business: { id: businessId, name: 'Acme Plumbing', timezone: 'America/Chicago' },
    callId,
    // No DID on the call: the staff text's sender comes from the business directory.
    did: null,
    callerE164: CALLER,
    endedAt: clock.now(),
    transcript: FLOODING,
    summary: null,
    consent: 'granted',
    recordingRef: null,
    callerWasTold: null,
    urgency: null,
    ...over,
  });

  const report = await notify.notifyCall(call(callIds[0]!, { urgency: { urgent: true, rule: urgency.rule, matched: urgency.matched } }));
  assert.deepEqual(report.deliveries.map((d) => `${d.channel}:${d.address}:${d.state}`).sort(), [
    'email:dana@acme.test:delivered',
    'email:owner@acme.test:delivered',
    `sms:${DANA}:delivered`,
    'webhook:https://hooks.acme.test/ck:delivered',
  ]);
  assert.equal(webhook.requests.length, 1, 'the business webhook, read from the store, got the notification');

  // The staff text: queued as kind staff, from the business's DID, URGENT first.
  const queued = await stores.outbox.claim(10, clock.now(), () => ({ allow: true }));
  assert.deepEqual(queued.map((q) => [q.kind, q.from, q.to]), [['staff', DID, DANA]]);
  assert.match(queued[0]!.body, /^URGENT: /);
  assert.equal(await stores.notifications.staffSmsSince(dana.id, 0), 1);

  // A burst of four routine calls at once: each counts the texts the others opened before it.
  const burst = await Promise.all(callIds.slice(1).map((id) => notify.notifyCall(call(id))));
  assert.deepEqual(
    burst.map((r) => r.deliveries.find((d) => d.channel === 'sms')?.state),
    ['delivered', 'delivered', 'rate-limited', 'rate-limited'],
  );
  assert.equal(await stores.notifications.staffSmsSince(dana.id, 0), RATE.maxPerWindow);
  assert.equal(email.requests.length, 2 + 2 * 4, 'e-mail is never rate limited');
  await notify.drain();
}

describe('notify staff over serve\'s stores', () => {
  test('SQLite (one connection, in turns)', async () => {
    const m = openMessagingDb();
    const clock = new SplitClock();
    const h: Harness = { stores: sqliteServeStores(m.db, { clock, consent: m.consent }), businessId: m.businessId, close: async () => m.close() };
    try {
      await scenario(h, clock);
    } finally {
      await h.close();
    }
  });

  describe('PostgreSQL', () => {
    let pgc: PgTestCluster | undefined;
    before(async () => {
      pgc = await startPgTestCluster();
    });
    after(async () => {
      await pgc?.stop();
    });

    test('PostgreSQL (a throwaway cluster)', async () => {
      if (!pgc) throw new Error('the PostgreSQL cluster did not start (see the before hook\'s error)');
      assert.equal(PG_DID, DID, 'both databases hold the same business DID');
      const db = await pgc.freshDb();
      const clock = new SplitClock();
      const h: Harness = { stores: pgServeStores(db.pool(4), { clock, nodeId: 'node-a' }), businessId: BUSINESS_ID, close: () => db.close() };
      try {
        await scenario(h, clock);
      } finally {
        await h.close();
      }
    });
  });
});
