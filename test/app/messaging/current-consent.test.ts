import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ConsentEventType } from '../../../src/domain/consent.ts';
import { currentConsentIdSql } from '../../../src/store/current-consent-sql.ts';
import { DID, openMessagingDb, type MessagingDb } from '../../sms/fixtures/messaging-db.ts';

/**
 * One "current consent" everywhere: the consent store, the outbox's claim and `optout list` all take the
 * pair's latest event by (at, id), so an old event imported late never overrides a live one.
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

describe('current consent is the latest event by (at, id) for every reader', () => {
  test('an old `granted` imported after a live `revoked`: the outbox refuses, optout list still lists the number', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const now = m.clock.now();
    append(m, 'granted', now - 2 * 60_000, 'verbal');
    const revoked = append(m, 'revoked', now - 60_000, 'sms-keyword');
    // An installer's file from last year, imported today: a higher id, an older time.
    const imported = append(m, 'granted', now - YEAR_MS, 'import');
    assert.ok(imported > revoked);
    assert.equal(m.consent.current(m.businessId, C), 'revoked');
    const pre = m.outbox.preflight({ businessId: m.businessId, to: C, kind: 'follow-up' }, m.clock.now());
    assert.equal(pre.allow ? 'allow' : pre.rule, 'consent');
    const id = follow(m);
    assert.deepEqual(m.outbox.claim(10, m.clock.now()), []);
    assert.match(stateOf(m, id), /^refused consent: consent is revoked/);
    assert.deepEqual(m.messages.optOuts({}).map((o) => [o.consumer, o.method]), [[C, 'sms-keyword']]);
  });

  test('the other way round: an old `revoked` imported after a live `granted` does not stop texts', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const now = m.clock.now();
    append(m, 'granted', now - 60_000, 'verbal');
    append(m, 'revoked', now - YEAR_MS, 'import');
    assert.equal(m.consent.current(m.businessId, C), 'granted');
    const id = follow(m);
    assert.deepEqual(m.outbox.claim(10, m.clock.now()).map((c) => c.id), [id]);
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
    assert.deepEqual(m.outbox.claim(10, m.clock.now()), []);
  });

  test('the shared expression is served by the (business, consumer, at, id) index without a sort', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const plan = m.db
      .prepare(`EXPLAIN QUERY PLAN SELECT event FROM consent_ledger WHERE id = ${currentConsentIdSql('?', '?')}`)
      .all(1, C) as Array<{ detail: string }>;
    const details = plan.map((p) => p.detail).join(' | ');
    assert.match(details, /consent_ledger_pair/);
    assert.doesNotMatch(details, /TEMP B-TREE/);
  });
});
