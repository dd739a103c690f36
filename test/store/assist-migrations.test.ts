import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteAssistLog } from '../../src/store/sqlite-assist-log.ts';
import { SqliteNotificationLog } from '../../src/store/sqlite-notification-log.ts';
import { tempDir } from './store-test-helpers.ts';

describe('assist migrations', () => {
  test('reply notifications: deliveries and attempts written before the rebuild survive it, and kind reply is accepted', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const db = openDatabase(join(dir, 'ck.db'));
    t.after(() => db.close());
    migrate(db, MIGRATIONS.filter((m) => m.version <= 5));
    db.prepare("INSERT INTO businesses (id, name, timezone, consent_mode, templates_json, created_at, updated_at) VALUES (1, 'Acme', 'America/Chicago', 'verbal', '{}', 0, 0)").run();
    const before = new SqliteNotificationLog(db);
    const id = before.open({ notificationKey: 'call-1', kind: 'call', businessId: 1, callId: null, channel: 'webhook', staffId: null, address: 'http://x', urgent: false, createdAt: 5 });
    before.attempt(id, { attempt: 1, startedAt: 5, endedAt: 6, ok: true, error: null, ref: 'r1' });
    assert.throws(() => before.open({ notificationKey: 'reply-1', kind: 'reply', businessId: 1, callId: null, channel: 'webhook', staffId: null, address: 'http://x', urgent: false, createdAt: 7 }));

    assert.deepEqual(migrate(db, MIGRATIONS.filter((m) => m.version <= 7)).map((m) => m.version), [6, 7]);
    const after = new SqliteNotificationLog(db);
    const rows = db.prepare('SELECT d.id, d.kind, a.attempt, a.ref FROM notification_deliveries d JOIN notification_attempts a ON a.delivery_id = d.id').all();
    assert.deepEqual(rows, [{ id, kind: 'call', attempt: 1, ref: 'r1' }]);
    const replyId = after.open({ notificationKey: 'reply-1', kind: 'reply', businessId: 1, callId: null, channel: 'webhook', staffId: null, address: 'http://x', urgent: false, createdAt: 7 });
    after.attempt(replyId, { attempt: 1, startedAt: 7, endedAt: 8, ok: false, error: 'x', ref: null });
    assert.deepEqual(db.pragma('foreign_key_check'), []);
    // The rebuilt attempts table still refuses an attempt of a delivery that does not exist: the store
    // says so first (INPUT.NOT_FOUND), and the table's own foreign key below it.
    assert.throws(() => after.attempt(9999, { attempt: 1, startedAt: 1, endedAt: 2, ok: true, error: null, ref: null }), /no notification delivery with id 9999/);
    assert.throws(() => db.prepare('INSERT INTO notification_attempts (delivery_id, attempt, started_at, ended_at, ok) VALUES (9999, 1, 1, 2, 1)').run(), /FOREIGN KEY/);
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'notification_deliveries'").all() as Array<{ name: string }>).map((r) => r.name);
    assert.ok(indexes.includes('notification_deliveries_call') && indexes.includes('notification_deliveries_staff_sms'), indexes.join(','));
  });

  test('assist_results keeps model, prompt version, latency, checks and what was applied', (t) => {
    const { dir, cleanup } = tempDir();
    t.after(cleanup);
    const db = openDatabase(join(dir, 'ck.db'));
    t.after(() => db.close());
    migrate(db);
    const log = new SqliteAssistLog(db);
    const id = log.record({
      use: 'intake', businessId: null, callId: null, inboundId: null, model: 'mistral-small-latest', promptVersion: 'intake-1',
      outcome: 'ok', errorCode: null, latencyMs: 412.6,
      checks: { problem: 'accepted', callerName: 'empty', serviceAddress: 'rejected', callbackNumber: 'empty', timeframe: 'empty', summary: 'accepted' },
      result: { problem: 'a leaking faucet' }, applied: 'fields:problem,summary', at: 1000,
    });
    const row = db.prepare('SELECT * FROM assist_results WHERE id = ?').get(id) as Record<string, unknown>;
    assert.equal(row.model, 'mistral-small-latest');
    assert.equal(row.prompt_version, 'intake-1');
    assert.equal(row.latency_ms, 413);
    assert.equal(JSON.parse(String(row.checks_json)).serviceAddress, 'rejected');
    assert.equal(row.applied, 'fields:problem,summary');
    assert.throws(() => log.record({ use: 'intake', businessId: null, callId: null, inboundId: null, model: null, promptVersion: null, outcome: 'weird' as never, errorCode: null, latencyMs: 0, checks: null, result: null, applied: 'none', at: 1 }), /CHECK/);
  });
});
