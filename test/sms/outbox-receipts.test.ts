import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sendDecider } from '../../src/app/messaging/send-decider.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteOutbox } from '../../src/store/sqlite-outbox.ts';
import { createBusiness, DID, openMessagingDb, RULES, TestClock, type MessagingDb } from './fixtures/messaging-db.ts';

/**
 * Receipts and the queue after migration 005: a one-part text is matched by the SMSC id on its own row
 * (no part row), a long text through its part rows; ids compare case-insensitively; the newest text
 * wins when an SMSC reuses an id; rows written before the migration still work.
 */
const C = '+15125550166';

function sendOne(m: MessagingDb, body: string, ids: string[], parts = ids.length): number {
  m.grant(C);
  const id = m.outbox.enqueue({ businessId: m.businessId, from: DID, to: C, body, kind: 'first-reply', callId: null, consentEventId: null });
  const claimed = m.outbox.claim(10, m.clock.now(), m.decide);
  assert.deepEqual(claimed.map((c) => c.id), [id]);
  m.outbox.markSubmitted(id, { messageIds: ids, parts, at: m.clock.now() });
  return id;
}

const row = (m: MessagingDb, id: number) =>
  m.db.prepare('SELECT state, state_reason AS reason FROM outbound_messages WHERE id = ?').get(id) as { state: string; reason: string | null };

describe('outbox receipts', () => {
  test('one-part text: no part row; a lower-case receipt id matches; UNDELIV → undeliverable with the error', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const id = sendOne(m, 'one part', ['3E8A']);
    assert.equal(m.db.prepare('SELECT count(*) FROM outbound_parts').pluck().get(), 0);
    assert.equal(m.outbox.applyReceipt({ messageIds: ['3e8a'], state: 'enroute', error: null }, m.clock.now()), id);
    assert.equal(row(m, id).state, 'submitted', 'an intermediate receipt changes nothing');
    assert.equal(m.outbox.applyReceipt({ messageIds: ['nope', '3e8a'], state: 'undeliverable', error: '00B' }, m.clock.now()), id);
    assert.deepEqual({ ...row(m, id) }, { state: 'undeliverable', reason: 'receipt err:00B' });
    assert.equal(m.outbox.applyReceipt({ messageIds: ['ffff'], state: 'delivered', error: null }, m.clock.now()), null);
  });

  test('two-part text: delivered only when both parts are; a failed part fails the text', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const a = sendOne(m, 'long a', ['100', '101']);
    m.outbox.applyReceipt({ messageIds: ['100'], state: 'delivered', error: null }, m.clock.now());
    assert.equal(row(m, a).state, 'submitted');
    m.outbox.applyReceipt({ messageIds: ['101'], state: 'delivered', error: null }, m.clock.now());
    assert.equal(row(m, a).state, 'delivered');
    const b = sendOne(m, 'long b', ['200', '201']);
    m.outbox.applyReceipt({ messageIds: ['201'], state: 'expired', error: '0FE' }, m.clock.now());
    assert.deepEqual({ ...row(m, b) }, { state: 'expired', reason: 'receipt err:0FE' });
  });

  test('an SMSC id used twice: the receipt goes to the newer text', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const older = sendOne(m, 'older', ['77']);
    m.outbox.applyReceipt({ messageIds: ['77'], state: 'delivered', error: null }, m.clock.now());
    const newer = sendOne(m, 'newer', ['77']);
    m.db.prepare('UPDATE outbound_messages SET submitted_at = submitted_at + 1000 WHERE id = ?').run(newer);
    assert.equal(m.outbox.applyReceipt({ messageIds: ['77'], state: 'undeliverable', error: null }, m.clock.now()), newer);
    assert.equal(row(m, older).state, 'delivered');
    assert.equal(row(m, newer).state, 'undeliverable');
  });

  test('a one-part text submitted before migration 005 (it has a part row) is still finalized', (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const id = sendOne(m, 'legacy', ['AB12']);
    m.db.prepare('INSERT INTO outbound_parts (smsc_message_id, outbound_id, part) VALUES (?, ?, 1)').run('AB12', id);
    assert.equal(m.outbox.applyReceipt({ messageIds: ['ab12'], state: 'delivered', error: null }, m.clock.now()), id);
    assert.equal(row(m, id).state, 'delivered');
  });
});

describe('migration 005', () => {
  test('queued rows from before it, with no next_attempt_at, are due; a sent text still counts toward the cap', (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'ck-m005-'));
    const db = openDatabase(join(dir, 'old.db'));
    t.after(() => {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    });
    migrate(db, MIGRATIONS.filter((x) => x.version < 5));
    const biz = createBusiness(db);
    const clock = new TestClock();
    const now = clock.now();
    db.prepare(
      "INSERT INTO consent_ledger (id, at, business_id, did, consumer, event, method, source, prev_hash, hash) VALUES (1, ?, ?, ?, ?, 'granted', 'verbal', 't', 'x', 'h1')",
    ).run(now - 60_000, biz, DID, C);
    const insert = db.prepare(
      `INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, created_at, next_attempt_at, claimed_at, submitted_at)
       VALUES (?, ?, ?, ?, 'follow-up', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 3; i++) insert.run(biz, DID, C, `sent ${i}`, 'delivered', now - 3_600_000, now - 3_600_000, now - 3_600_000, now - 3_500_000);
    const legacy = Number(insert.run(biz, DID, C, 'queued before 005', 'queued', now - 60_000, null, null, null).lastInsertRowid);
    const capped = Number(insert.run(biz, DID, C, 'one too many', 'queued', now - 50_000, null, null, null).lastInsertRowid);
    assert.deepEqual(migrate(db, MIGRATIONS.filter((x) => x.version <= 5)).map((x) => x.version), [5]);
    const outbox = new SqliteOutbox(db, { clock });
    assert.equal(outbox.nextDueAt(), now - 60_000);
    assert.deepEqual(outbox.claim(10, clock.now(), sendDecider(RULES)).map((c) => c.id), [legacy]);
    assert.match(db.prepare('SELECT state_reason FROM outbound_messages WHERE id = ?').pluck().get(capped) as string, /^frequency-cap/);
    assert.equal(outbox.pendingCount(), 1);
    assert.equal(outbox.recoverInFlight(clock.now()), 1);
  });
});
