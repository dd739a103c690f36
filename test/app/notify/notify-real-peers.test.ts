import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { createNotifyStaff } from '../../../src/app/notify/notify-staff.ts';
import { createAssessUrgency } from '../../../src/app/notify/assess-urgency.ts';
import { validateNewStaff } from '../../../src/domain/notify/staff-member.ts';
import { migrate, openDatabase, type SqliteDb } from '../../../src/store/sqlite-database.ts';
import { SqliteStaffStore } from '../../../src/store/sqlite-staff-store.ts';
import { SqliteNotificationLog } from '../../../src/store/sqlite-notification-log.ts';
import { SqliteUrgencyStore } from '../../../src/store/sqlite-urgency-store.ts';
import { sqliteServeStores } from '../../../src/compose/serve-stores.ts';
import { SqliteConsentStore } from '../../../src/store/sqlite-consent-store.ts';
import { SmtpNotificationChannel } from '../../../src/notify/smtp-notification-channel.ts';
import { WebhookNotificationChannel } from '../../../src/notify/webhook-notification-channel.ts';
import { SmsNotificationChannel } from '../../../src/notify/sms-notification-channel.ts';
import { startReceiver, type Receiver } from '../../notify/webhook-receiver.ts';
import { RecordingMetrics, SplitClock, silentLogger } from './notify-fakes.ts';

/**
 * The whole notify path with real parts: SQLite on a temp file (migrations 001-003, the real outbox) behind
 * the async ports as serve wires them (sqliteServeStores: one connection, calls in turns), a
 * real SMTP server and a real signature-checking webhook receiver on port-0 sockets. The webhook first
 * answers 500, then holds the request until the attempt times out, then accepts: the e-mail and the
 * staff text must be delivered while it is still holding, and every attempt must be on record.
 */
const SECRET = 'whsec_e2e';
let dir: string;
let db: SqliteDb;
let smtp: SMTPServer;
let smtpPort: number;
const mails: { to: string[]; raw: string }[] = [];
let rx: Receiver;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ck-notify-'));
  db = openDatabase(join(dir, 'ck.db'));
  migrate(db);
  db.prepare("INSERT INTO businesses (id, name, timezone, consent_mode, created_at, updated_at) VALUES (1, 'Acme Plumbing', 'America/Chicago', 'verbal', 0, 0)").run();
  db.prepare("INSERT INTO business_dids (did, business_id) VALUES ('+15125550100', 1)").run();
  db.prepare(
    "INSERT INTO calls (id, engine, channel_id, business_id, did, caller_raw, caller_e164, started_at) VALUES (500, 'sim', 'c-1', 1, '+15125550100', '+15125550199', '+15125550199', 0)",
  ).run();
  smtp = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
        cb();
      });
    },
  });
  await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  rx = await startReceiver(SECRET, (i) => (i === 0 ? { kind: 'status', status: 500 } : i === 1 ? { kind: 'hold' } : { kind: 'status', status: 200 }));
});

after(async () => {
  await rx.close();
  await new Promise<void>((r) => smtp.close(() => r()));
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

test('a call ends: e-mail and staff text are delivered while the webhook is failing; every attempt is recorded', async () => {
  const clock = new SplitClock();
  const staff = new SqliteStaffStore(db, { clock });
  const log = new SqliteNotificationLog(db);
  const urgencyStore = new SqliteUrgencyStore(db, { clock });
  // The use cases get the async ports, as in serve; the sync stores above set up and read back.
  const stores = sqliteServeStores(db, { clock, consent: new SqliteConsentStore(db, clock) });
  staff.add(validateNewStaff({ businessId: 1, name: 'Dana Tech', mobile: '+15125550201', email: 'dana@acme.test' }));
  staff.add(validateNewStaff({ businessId: 1, name: 'Owner', email: 'owner@acme.test' }));
  staff.setWebhook(1, { url: rx.url, secret: SECRET });
  urgencyStore.saveSettings(1, { trade: 'plumbing', extraPhrases: [], disabled: [] });

  const smtpChannel = new SmtpNotificationChannel({ host: '127.0.0.1', port: smtpPort, secure: false, from: 'calls@acme.test', connectTimeoutMs: 5000, socketTimeoutMs: 10_000 });
  const metrics = new RecordingMetrics();
  const notify = createNotifyStaff({
    staff: stores.staff,
    channels: [
      new SmsNotificationChannel(stores.outbox, async () => '+15125550100'),
      smtpChannel,
      // The adapter's own timeout is long: here the use case's attempt timeout (driven by the clock) ends the held attempt.
      new WebhookNotificationChannel(stores.staff, { timeoutMs: 60_000 }),
    ],
    log: stores.notifications,
    clock,
    logger: silentLogger,
    retry: { maxAttempts: 4, baseDelayMs: 1, maxDelayMs: 4, attemptTimeoutMs: 10_000 },
    smsRate: { windowMs: 900_000, maxPerWindow: 5, urgentMaxPerWindow: 20 },
    metrics,
  });
  const assess = createAssessUrgency({ store: stores.urgency, clock, logger: silentLogger });

  const transcript = 'Hi, the basement is flooding, water everywhere. Please call me back at this number.';
  const urgency = await assess.assess({ callId: 500, businessId: 1, transcript });
  assert.equal(urgency.rule, 'plumbing.flooding');

  const held = rx.onHold();
  const done = notify.notifyCall({
    business: { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' },
    callId: 500,
    did: '+15125550100',
    callerE164: '+15125550199',
    endedAt: clock.now(),
    transcript,
    summary: null,
    consent: 'granted',
    recordingRef: 'recordings/500-message.wav',
    callerWasTold: 'Someone will call you back within 30 minutes.',
    urgency,
  });

  await held;
  await metrics.waitFor((e) => e.channel === 'sms' && e.state === 'delivered');
  await metrics.waitFor((e) => e.channel === 'email' && metrics.events.filter((x) => x.channel === 'email').length === 2);
  assert.equal(metrics.events.some((e) => e.channel === 'webhook'), false, 'the webhook has not settled yet');
  assert.equal(rx.received.at(-1)?.answered, 'held');
  assert.equal(mails.length, 2, 'both e-mails arrived while the webhook is still unsettled');
  // The held attempt now times out (by the clock), is aborted, and the third attempt is accepted.
  clock.advance(10_000);
  const report = await done;
  smtpChannel.close();

  const by = (c: string) => report.deliveries.filter((d) => d.channel === c);
  assert.deepEqual(by('webhook').map((d) => [d.state, d.attempts]), [['delivered', 3]]);
  assert.deepEqual(by('email').map((d) => d.state), ['delivered', 'delivered']);
  assert.deepEqual(by('sms').map((d) => [d.state, d.address]), [['delivered', '+15125550201']]);

  // E-mail: URGENT subject, to both staff members.
  assert.deepEqual(mails.map((m) => m.to[0]).sort(), ['dana@acme.test', 'owner@acme.test']);
  for (const m of mails) assert.match(m.raw, /^Subject: URGENT: Missed call from \+1 512-555-0199 \(Acme Plumbing\)/m);

  // Staff text: in the outbox as kind staff, no consent event, URGENT first.
  const row = db.prepare("SELECT sender, recipient, body, kind, consent_event_id, call_id FROM outbound_messages WHERE kind = 'staff'").get() as Record<string, unknown>;
  assert.equal(row.sender, '+15125550100');
  assert.equal(row.recipient, '+15125550201');
  assert.equal(row.consent_event_id, null);
  assert.equal(row.call_id, 500);
  assert.match(String(row.body), /^URGENT: Acme Plumbing: missed call from \+1 512-555-0199/);

  // Webhook: 500, held (timed out), accepted; all verified by the receiver; all attempts on record.
  assert.deepEqual(rx.received.map((r) => [r.verdict, r.answered]), [['accepted', 500], ['accepted', 'held'], ['accepted', 200]]);
  assert.equal(JSON.parse(rx.received[2]!.body).urgency.rule, 'plumbing.flooding');
  const records = log.forCall(500);
  const hook = records.find((r) => r.channel === 'webhook')!;
  assert.deepEqual([hook.state, hook.attempts, hook.urgent], ['delivered', 3, true]);
  assert.deepEqual(log.attemptsOf(hook.id).map((a) => [a.ok, a.error]), [[false, 'webhook: http 500'], [false, 'timed out after 10000 ms'], [true, null]]);
  for (const r of records) {
    assert.equal(r.state, 'delivered');
    assert.equal(typeof r.latencyMs, 'number', 'call end → delivered latency is recorded');
  }
  // The urgency decision is stored with the rule that fired.
  const stored = urgencyStore.decisionForCall(500)!;
  assert.deepEqual([stored.decision.urgent, stored.decision.rule, stored.decision.phrase], [true, 'plumbing.flooding', 'flooding']);
});
