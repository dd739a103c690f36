import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../../src/app/messaging/inbound-message-handler.ts';
import { revokeConsent } from '../../../src/app/consent/revoke-consent.ts';
import type { ConsentEventType } from '../../../src/domain/consent.ts';
import { currentConsentIdSql } from '../../../src/store/current-consent-sql.ts';
import { DID, openMessagingDb, type MessagingDb } from '../../sms/fixtures/messaging-db.ts';

/**
 * One "current consent" everywhere: the consent store, the outbox's claim and `optout list` all take the
 * pair's event recorded last (append order), never the one with the latest `at`: a record dated in the
 * future must not outrank a later STOP.
 */
const C = '+15125550177';
const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

function append(m: MessagingDb, event: ConsentEventType, at: number, method: 'verbal' | 'sms-keyword' | 'import'): number {
  return m.consent.append({
    event,
    businessId: m.businessId,
    did: DID,
    consumer: C,
    method,
    scriptVersion: null,
    scriptText: null,
    transcript: null,
    audioPath: null,
    audioSha256: null,
    callId: null,
    source: `test:${method}`,
    at,
  }).id;
}

const follow = (m: MessagingDb) => m.outbox.enqueue({ businessId: m.businessId, from: DID, to: C, body: 'hello', kind: 'follow-up', callId: null, consentEventId: null });

function stateOf(m: MessagingDb, id: number): string {
  return m.db.prepare("SELECT state || ' ' || COALESCE(state_reason, '') FROM outbound_messages WHERE id = ?").pluck().get(id) as string;
}

/** Every reader agrees the pair is revoked: the store, a claim (refused), `optout list`. */
function assertRevokedEverywhere(m: MessagingDb, method: string): void {
  assert.equal(m.consent.current(m.businessId, C), 'revoked');
  const pre = m.outbox.preflight({ businessId: m.businessId, to: C, kind: 'follow-up' }, m.clock.now(), m.decide);
  assert.equal(pre.allow ? 'allow' : pre.rule, 'consent');
  const id = follow(m);
  // The STOP confirmation (a keyword reply) may be claimed; the follow-up never.
  assert.deepEqual(m.outbox.claim(10, m.clock.now(), m.decide).filter((c) => c.kind !== 'keyword-reply'), []);
  assert.match(stateOf(m, id), /^refused consent: consent is revoked/);
  assert.deepEqual(m.messages.optOuts({}).map((o) => [o.consumer, o.method]), [[C, method]]);
}

describe('current consent is the event recorded last, for every reader', () => {
  test('a `granted` dated 2099, then a keyword STOP: revoked for the store, the claim and optout list', async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    append(m, 'granted', Date.UTC(2099, 0, 1), 'import');
    const inbound = new InboundMessageHandler({}, { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock });
    assert.equal(await inbound.handle({ from: '15125550177', to: '15125550100', text: 'STOP', receivedAt: 0 }), 'revoked');
    assertRevokedEverywhere(m, 'sms-keyword');
  });

  test('a `granted` dated 2099, then `consent revoke`: revoked everywhere', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    append(m, 'granted', Date.UTC(2099, 0, 1), 'import');
    revokeConsent({ ledger: m.consent, businesses: m.businesses }, { consumer: C, businessId: m.businessId, reason: 'asked by phone', actor: 'test' });
    assertRevokedEverywhere(m, 'admin');
  });

  test('a STOP recorded while the clock is behind the grant (clock stepped back) still wins', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const now = m.clock.now();
    append(m, 'granted', now, 'verbal');
    append(m, 'revoked', now - YEAR_MS, 'sms-keyword');
    assertRevokedEverywhere(m, 'sms-keyword');
  });

  test('a grant recorded after a STOP reinstates, whatever the times say', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const now = m.clock.now();
    append(m, 'revoked', now - 60_000, 'sms-keyword');
    append(m, 'granted', now - 2 * 60_000, 'verbal');
    assert.equal(m.consent.current(m.businessId, C), 'granted');
    const id = follow(m);
    assert.deepEqual(m.outbox.claim(10, m.clock.now(), m.decide).map((c) => c.id), [id]);
    assert.deepEqual(m.messages.optOuts({}), []);
  });

  test('events at the same instant: the later append wins', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const at = m.clock.now() - 1_000;
    append(m, 'granted', at, 'verbal');
    append(m, 'revoked', at, 'sms-keyword');
    assert.equal(m.consent.current(m.businessId, C), 'revoked');
    follow(m);
    assert.deepEqual(m.outbox.claim(10, m.clock.now(), m.decide), []);
  });

  test('the shared expression walks the (consumer, id) index from the newest row, without a sort', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const plan = m.db
      .prepare(`EXPLAIN QUERY PLAN SELECT event FROM consent_ledger WHERE id = ${currentConsentIdSql('?', '?')}`)
      .all(1, C) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    assert.match(details, /INDEX consent_ledger_consumer/);
    assert.doesNotMatch(details, /TEMP B-TREE/);
  });
});
