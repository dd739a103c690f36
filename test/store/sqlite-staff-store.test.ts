import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { SqliteNotificationLog } from '../../src/store/sqlite-notification-log.ts';
import { SqliteUrgencyStore } from '../../src/store/sqlite-urgency-store.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { isOnCall } from '../../src/domain/notify/on-call-hours.ts';
import { buildUrgencyRules, judgeUrgency } from '../../src/domain/urgency/urgency-judge.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { tempDir } from './store-test-helpers.ts';

function setup(t: { after(fn: () => void): void }) {
  const { dir, cleanup } = tempDir();
  const db = openDatabase(join(dir, 'ck.db'));
  migrate(db);
  t.after(() => {
    db.close();
    cleanup();
  });
  db.prepare("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES (1, 'Acme', 'America/Chicago', 'verbal', 0, 0)").run();
  let now = 1_000;
  const clock = { now: () => now };
  return { db, clock, advance: (ms: number) => (now += ms) };
}

test('staff store: on-call hours survive the round trip; removed staff are hidden but kept; webhook set/clear', (t) => {
  const { db, clock } = setup(t);
  const store = new SqliteStaffStore(db, { clock });
  const a = store.add(validateNewStaff({ businessId: 1, name: 'Dana', mobile: '+15125550142', onCall: 'Mon-Fri 08:00-18:00' }));
  const b = store.add(validateNewStaff({ businessId: 1, name: 'Owner', email: 'o@acme.test' }));
  assert.equal(isOnCall(store.get(a.id)!.onCall, Date.UTC(2026, 0, 12, 15), 'America/Chicago'), true);
  assert.deepEqual(store.staffOf(1).map((s) => s.name), ['Dana', 'Owner']);
  store.remove(b.id);
  assert.deepEqual(store.list().map((s) => s.name), ['Dana']);
  assert.equal(db.prepare('SELECT count(*) FROM staff').pluck().get(), 2, 'the row is kept for the records');
  assert.throws(() => store.remove(b.id), (e: unknown) => isAppError(e, 'INPUT.NOT_FOUND'));
  assert.throws(() => store.add({ ...validateNewStaff({ businessId: 1, name: 'X', email: 'x@acme.test' }), businessId: 99 }), (e: unknown) => isAppError(e, 'INPUT.NOT_FOUND'));
  assert.equal(store.webhookOf(1), undefined);
  store.setWebhook(1, { url: 'https://crm.example/h', secret: 's1' });
  store.setWebhook(1, { url: 'https://crm.example/h2', secret: 's2' });
  assert.deepEqual(store.webhookOf(1), { businessId: 1, url: 'https://crm.example/h2', secret: 's2' });
  store.setWebhook(1, null);
  assert.equal(store.webhookOf(1), undefined);
});

test('notification log: attempts, settlement, and the staff SMS count for the rate limit', (t) => {
  const { db, clock } = setup(t);
  const staff = new SqliteStaffStore(db, { clock }).add(validateNewStaff({ businessId: 1, name: 'Dana', mobile: '+15125550142' }));
  const log = new SqliteNotificationLog(db);
  const open = (createdAt: number, channel: 'sms' | 'email' = 'sms') =>
    log.open({ notificationKey: 'test-1', kind: 'test', businessId: 1, callId: null, channel, staffId: staff.id, address: '+15125550142', urgent: false, createdAt });
  const id = open(100);
  log.attempt(id, { attempt: 1, startedAt: 100, endedAt: 110, ok: false, error: 'boom', ref: null });
  assert.equal(db.prepare('SELECT state FROM notification_deliveries WHERE id = ?').pluck().get(id), 'retrying');
  log.attempt(id, { attempt: 2, startedAt: 120, endedAt: 130, ok: true, error: null, ref: 'outbox 1' });
  log.settle(id, { state: 'delivered', at: 130, lastError: null, latencyMs: 30, ref: 'outbox 1' });
  const row = db.prepare('SELECT state, attempts, latency_ms, ref FROM notification_deliveries WHERE id = ?').get(id);
  assert.deepEqual(row, { state: 'delivered', attempts: 2, latency_ms: 30, ref: 'outbox 1' });
  assert.deepEqual(log.attemptsOf(id).map((a) => a.ok), [false, true]);
  const limited = open(200);
  log.settle(limited, { state: 'rate-limited', at: 200, lastError: 'rate limit', latencyMs: null, ref: null });
  open(300, 'email');
  assert.equal(log.staffSmsSince(staff.id, 0), 1, 'only texts that were sent count');
  assert.equal(log.staffSmsSince(staff.id, 100), 0, 'the window is exclusive of its start');
});

test('urgency store: settings round trip, decisions stored with the rule that fired and the suppressed matches', (t) => {
  const { db, clock } = setup(t);
  const store = new SqliteUrgencyStore(db, { clock });
  assert.equal(store.settings(1), undefined);
  store.saveSettings(1, { trade: 'hvac', extraPhrases: ['no hot water'], disabled: ['hvac.no-cooling'] });
  const s = store.settings(1)!;
  assert.deepEqual(s, { trade: 'hvac', extraPhrases: ['no hot water'], disabled: ['hvac.no-cooling'] });
  db.prepare("INSERT INTO calls (id, engine, channel_id, business_id, did, caller_raw, started_at) VALUES (7, 'sim', 'c', 1, '+15125550100', 'anonymous', 0)").run();
  const decision = judgeUrgency("There's no gas smell but we have no heat.", buildUrgencyRules(s));
  store.recordDecision({ callId: 7, businessId: 1, decision, at: 5 });
  const back = store.decisionForCall(7)!;
  assert.deepEqual(back.decision, decision);
  assert.equal(back.decision.rule, 'hvac.no-heat');
  assert.equal(back.decision.suppressed[0]?.reason, 'negated');
  assert.throws(() => store.saveSettings(42, s), (e: unknown) => isAppError(e, 'INPUT.NOT_FOUND'));
});
