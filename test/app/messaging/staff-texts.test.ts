import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../../src/app/messaging/inbound-message-handler.ts';
import { OutboxDispatcher } from '../../../src/app/messaging/outbox-dispatcher.ts';
import type { MessageKind } from '../../../src/domain/ports/outbox.ts';
import type { StaffNotification } from '../../../src/domain/notify/staff-notification.ts';
import { SmsNotificationChannel } from '../../../src/notify/sms-notification-channel.ts';
import { DID, openMessagingDb, type MessagingDb } from '../../sms/fixtures/messaging-db.ts';
import { smppPair } from '../../sms/fixtures/smpp-pair.ts';

/**
 * Staff texts through the consumer outbox: internal alerts, so no consent, no
 * consumer cap and no quiet hours; consumer texts keep every rule. Real SQLite outbox, real SMSC.
 */
const STAFF = '+15125550201';
const CALLER = '+15125550199';

const req = (to: string, body: string, kind: MessageKind) => ({ businessId: 1, from: DID, to, body, kind, callId: null, consentEventId: null });

function stateOf(m: MessagingDb, id: number): string {
  return m.db.prepare("SELECT state || ' ' || COALESCE(state_reason, '') FROM outbound_messages WHERE id = ?").pluck().get(id) as string;
}

function notification(sms: string): StaffNotification {
  // Only the fields the SMS channel reads matter here; the rest is built by the notify use case.
  return { key: 'call-1', kind: 'call', businessId: 1, callId: null, did: DID, urgent: true, since: 0, subject: 's', text: 't', sms } as StaffNotification;
}

describe('staff texts through the outbox', () => {
  test('a staff alert queued by the SMS notification channel reaches the SMSC; a consumer text with no consent is refused', async (t) => {
    const m = openMessagingDb();
    const p = await smppPair();
    const dispatcher = new OutboxDispatcher({ window: 10, pollMs: 20 }, { outbox: m.stores.outbox, rules: m.rules, gateway: p.gw, clock: m.clock });
    t.after(async () => {
      await dispatcher.stop();
      await p.close();
      m.close();
    });
    // The channel takes the async outbox port; here the SQLite outbox answers at once.
    const channel = new SmsNotificationChannel({ enqueue: async (r) => m.outbox.enqueue(r) }, async () => DID);
    const sent = await channel.send({
      deliveryId: 'call-1/sms/1',
      attempt: 1,
      notification: notification('URGENT Acme Plumbing: missed call, burst pipe'),
      target: { channel: 'sms', staffId: 1, name: 'Dana', address: STAFF },
      signal: new AbortController().signal,
    });
    assert.equal(sent.ok, true);
    const consumerId = m.outbox.enqueue(req(CALLER, 'consumer text without consent', 'follow-up'));
    dispatcher.start();
    await dispatcher.drain();
    const texts = p.sim.messages().map((x) => ({ to: x.to, text: x.text }));
    assert.deepEqual(texts, [{ to: STAFF.slice(1), text: 'URGENT Acme Plumbing: missed call, burst pipe' }]);
    assert.match(stateOf(m, consumerId), /^refused consent: consent is none/);
    const staffRow = m.db.prepare("SELECT state, smsc_message_id IS NOT NULL AS hasId FROM outbound_messages WHERE kind = 'staff'").get();
    assert.deepEqual({ ...(staffRow as object) }, { state: 'submitted', hasId: 1 });
  });

  test('staff texts skip quiet hours; consumer follow-ups are still deferred', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    m.grant(CALLER);
    const night = Date.UTC(2026, 2, 11, 4, 0); // 23:00 in Chicago
    const follow = m.outbox.enqueue(req(CALLER, 'late follow-up', 'follow-up'));
    const staff = m.outbox.enqueue(req(STAFF, 'on-call alert', 'staff'));
    assert.deepEqual(m.outbox.claim(10, night, m.decide).map((c) => c.id), [staff]);
    assert.match(stateOf(m, follow), /^queued quiet-hours/);
    assert.deepEqual(m.outbox.preflight({ businessId: 1, to: STAFF, kind: 'staff' }, night, m.decide), { allow: true });
  });

  test('caps are separate: staff texts neither count toward nor are stopped by a consumer cap', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    // A staff member who is also a customer (consented) gets five staff alerts, then consumer texts.
    m.grant(STAFF);
    const alerts = Array.from({ length: 5 }, (_, i) => m.outbox.enqueue(req(STAFF, `alert ${i}`, 'staff')));
    const now = (): number => m.clock.now();
    assert.deepEqual(m.outbox.claim(10, now(), m.decide).map((c) => c.id), alerts);
    const consumer = Array.from({ length: 5 }, (_, i) => m.outbox.enqueue(req(STAFF, `follow-up ${i}`, 'follow-up')));
    // The five in-flight alerts do not use up the consumer's 4/24 h: four follow-ups go, the fifth is refused.
    assert.deepEqual(m.outbox.claim(10, now(), m.decide).map((c) => c.id), consumer.slice(0, 4));
    assert.match(stateOf(m, consumer[4]!), /^refused frequency-cap: already 4 texts/);
    // And a full consumer cap does not hold a staff alert back.
    const late = m.outbox.enqueue(req(STAFF, 'alert after the cap', 'staff'));
    assert.deepEqual(m.outbox.claim(10, now(), m.decide).map((c) => c.id), [late]);
  });

  test('a staff member who texts STOP: consumer texts are cancelled and refused, staff alerts still go', async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    m.grant(STAFF);
    const dispatcherKicks: number[] = [];
    const inbound = new InboundMessageHandler(
      {},
      { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock, onEnqueued: () => dispatcherKicks.push(1) },
    );
    const queuedFollow = m.outbox.enqueue(req(STAFF, 'follow-up', 'follow-up'));
    const queuedAlert = m.outbox.enqueue(req(STAFF, 'alert queued before STOP', 'staff'));
    assert.equal(await inbound.handle({ from: STAFF.slice(1), to: DID.slice(1), text: 'STOP', receivedAt: 0 }), 'revoked');
    assert.match(stateOf(m, queuedFollow), /^cancelled revoked by inbound text/);
    const laterFollow = m.outbox.enqueue(req(STAFF, 'follow-up after STOP', 'follow-up'));
    const laterAlert = m.outbox.enqueue(req(STAFF, 'alert after STOP', 'staff'));
    const claimed = m.outbox.claim(10, m.clock.now(), m.decide);
    const kinds = claimed.map((c) => [c.id, c.kind]);
    assert.deepEqual(
      kinds.filter(([, k]) => k !== 'keyword-reply'),
      [
        [queuedAlert, 'staff'],
        [laterAlert, 'staff'],
      ],
    );
    assert.equal(claimed.filter((c) => c.kind === 'keyword-reply').length, 1, 'the STOP confirmation');
    assert.match(stateOf(m, laterFollow), /^refused consent: consent is revoked/);
    assert.equal(dispatcherKicks.length, 1);
  });
});

