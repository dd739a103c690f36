import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { SmtpNotificationChannel } from '../../src/notify/smtp-notification-channel.ts';
import { buildCallNotification, buildTestNotification } from '../../src/domain/notify/staff-notification.ts';
import type { DeliveryRequest } from '../../src/domain/ports/notification-channel.ts';

interface Received {
  from: string;
  to: string[];
  raw: string;
}

/** A real SMTP server on a port-0 socket, with auth; `rejectRcpt` makes it refuse a mailbox with 550. */
function startSmtp(): Promise<{ server: SMTPServer; port: number; mails: Received[] }> {
  const mails: Received[] = [];
  const server = new SMTPServer({
    authOptional: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'ck' && auth.password === 'pw') cb(null, { user: 'ck' });
      else cb(new Error('bad credentials'));
    },
    onRcptTo(address, _session, cb) {
      if (address.address.startsWith('nobody@')) {
        const err = new Error('no such mailbox') as Error & { responseCode: number };
        err.responseCode = 550;
        cb(err);
      } else cb();
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        cb();
      });
    },
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, port: (server.server.address() as AddressInfo).port, mails })));
}

const notification = buildCallNotification({
  business: { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' },
  callId: 9,
  did: '+15125550100',
  callerE164: '+15125550199',
  endedAt: Date.UTC(2026, 0, 15, 20, 5),
  transcript: 'The basement is flooding, please call back.',
  summary: null,
  consent: 'granted',
  recordingRef: 'rec-9.wav',
  callerWasTold: 'Someone will call you back shortly.',
  urgency: { urgent: true, rule: 'plumbing.flooding', matched: 'flooding' },
});

const req = (address: string, n = notification): DeliveryRequest => ({
  deliveryId: `${n.key}/email/3`,
  attempt: 1,
  notification: n,
  target: { channel: 'email', staffId: 3, name: 'Dana Tech', address },
  signal: new AbortController().signal,
});

describe('SmtpNotificationChannel against a real SMTP server', () => {
  let smtp: Awaited<ReturnType<typeof startSmtp>>;
  let channel: SmtpNotificationChannel;
  before(async () => {
    smtp = await startSmtp();
    channel = new SmtpNotificationChannel({ host: '127.0.0.1', port: smtp.port, secure: false, user: 'ck', password: 'pw', from: '"Callkeeper" <calls@acme.test>', connectTimeoutMs: 2000, socketTimeoutMs: 5000 });
  });
  after(async () => {
    channel.close();
    await new Promise<void>((r) => smtp.server.close(() => r()));
  });

  test('an urgent call arrives with URGENT subject, priority headers and the call details', async () => {
    const r = await channel.send(req('dana@acme.test'));
    assert.equal(r.ok, true);
    assert.ok(r.ok && r.ref, 'message id returned');
    const mail = smtp.mails.at(-1)!;
    assert.equal(mail.from, 'calls@acme.test');
    assert.deepEqual(mail.to, ['dana@acme.test']);
    const [head, ...rest] = mail.raw.split(/\r\n\r\n/);
    const bodyText = rest.join('\n').replace(/=\r\n/g, '');
    assert.match(head!, /^Subject: URGENT: Missed call from \+1 512-555-0199 \(Acme Plumbing\)/m);
    assert.match(head!, /^To: Dana Tech <dana@acme\.test>/m);
    assert.match(head!, /^X-Priority: 1/m);
    assert.match(head!, /^X-Callkeeper-Call-Id: 9/im);
    assert.match(head!, /^X-Callkeeper-Delivery: call-9\/email\/3/m);
    assert.match(bodyText, /The basement is flooding, please call back\./);
    assert.match(bodyText, /Texts: agreed to texts/);
    assert.match(bodyText, /Recording: rec-9\.wav/);
  });

  test('a non-urgent message carries no URGENT marker', async () => {
    const r = await channel.send(req('owner@acme.test', buildTestNotification({ id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' }, Date.now(), null)));
    assert.equal(r.ok, true);
    const mail = smtp.mails.at(-1)!;
    assert.match(mail.raw, /^Subject: Test notification \(Acme Plumbing\)/m);
    assert.doesNotMatch(mail.raw, /URGENT|X-Priority: 1/);
  });

  test('a rejected mailbox (550) is a final failure; a dead server is a retryable one', async () => {
    const r = await channel.send(req('nobody@acme.test'));
    assert.deepEqual([r.ok, !r.ok && r.retryable], [false, false]);
    assert.match(!r.ok ? r.error : '', /550/);
    const dead = new SmtpNotificationChannel({ host: '127.0.0.1', port: 1, secure: false, from: 'x@y.test', connectTimeoutMs: 1000, socketTimeoutMs: 1000 });
    const r2 = await dead.send(req('dana@acme.test'));
    dead.close();
    assert.deepEqual([r2.ok, !r2.ok && r2.retryable], [false, true]);
  });
});
