/**
 * An inbound text is stored in the transaction that applies it, and the SMSC delivering it again (its
 * deliver_sm_resp lost) stores and applies nothing new but is still answered (src/sms/README.md,
 * "Inbound resends"; src/domain/messaging/inbound-resend.ts). On SQLite through serve's stores
 * (sqliteServeStores), the use case alone, then over the real SMPP stack. The same over PostgreSQL:
 * test/app/messaging/messaging-over-postgres.pg.test.ts; the stores' part: test/contract/.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { InboundMessageHandler, type InboundOutcome } from '../../../src/app/messaging/inbound-message-handler.ts';
import { INBOUND_RESEND_WINDOW_MS } from '../../../src/domain/messaging/inbound-resend.ts';
import type { AsyncDispatchOutbox } from '../../../src/domain/ports/async-outbox.ts';
import { failingEnqueueOutbox } from '../../support/failing-enqueue-outbox.ts';
import { withTimeout } from '../../support/wait-for.ts';
import { DID, openMessagingDb } from '../../sms/fixtures/messaging-db.ts';
import { smppPair } from '../../sms/fixtures/smpp-pair.ts';

const C = '+15125550166';
const D = '+15125550177';
/** deliver_sm_resp status for a text that could not be stored (src/sms/deliver-sm-handler.ts). */
const ESME_RX_T_APPN = 0x64;

const sms = (text: string, from = C, to = DID) => ({ from: from.slice(1), to: to.slice(1), text, receivedAt: 0 });

function setup(t: TestContext) {
  const m = openMessagingDb();
  t.after(() => m.close());
  // The handler's clock, to step past the resend window (the stores keep the fixture's).
  let skew = 0;
  const clock = { now: () => m.clock.now() + skew, setTimer: (ms: number, fn: () => void) => m.clock.setTimer(ms, fn) };
  const outcomes: InboundOutcome[] = [];
  const handler = (outbox: AsyncDispatchOutbox = m.stores.outbox) =>
    new InboundMessageHandler({}, { outbox, businesses: m.stores.businesses, clock, metrics: { inboundText: (o) => outcomes.push(o) } });
  const count = (sql: string, ...args: unknown[]): number => m.db.prepare(sql).pluck().get(...args) as number;
  return {
    m,
    outcomes,
    handler,
    later: (ms: number) => void (skew += ms),
    inbound: (from = C) => count('SELECT count(*) FROM inbound_messages WHERE sender = ?', from),
    replies: (to = C) => count("SELECT count(*) FROM outbound_messages WHERE kind = 'keyword-reply' AND recipient = ?", to),
    events: (event: string, consumer = C) => count('SELECT count(*) FROM consent_ledger WHERE consumer = ? AND event = ?', consumer, event),
  };
}

test('a STOP delivered again: stored once, revoked once, one confirmation; the resend still resolves (the SMSC gets its answer)', async (t) => {
  const s = setup(t);
  s.m.grant(C);
  await s.m.stores.outbox.enqueue({ businessId: s.m.businessId, from: DID, to: C, body: 'follow-up', kind: 'follow-up', callId: null, consentEventId: null });
  const h = s.handler();
  assert.equal(await h.handle(sms('STOP')), 'revoked');
  assert.equal(await h.handle(sms('STOP')), 'resent');
  assert.equal(s.inbound(), 1, 'the STOP is stored once');
  assert.equal(s.events('revoked'), 1);
  assert.equal(s.replies(), 1, 'one confirmation');
  assert.deepEqual(s.outcomes, ['revoked', 'resent']);
});

test('HELP and a reply delivered again: one row each, one HELP answer', async (t) => {
  const s = setup(t);
  const h = s.handler();
  assert.equal(await h.handle(sms('HELP')), 'help');
  assert.equal(await h.handle(sms('HELP')), 'resent');
  assert.equal(s.replies(), 1);
  assert.equal(await h.handle(sms('Tuesday at 3 works')), 'reply');
  assert.equal(await h.handle(sms('Tuesday at 3 works')), 'resent');
  assert.equal(s.inbound(), 2);
  // To a number no business owns: stored once too.
  assert.equal(await h.handle(sms('hello', C, '+15125550999')), 'unknown-did');
  assert.equal(await h.handle(sms('hello', C, '+15125550999')), 'resent');
  assert.equal(s.inbound(), 3);
});

test('only the pair\'s latest text counts: STOP, START, STOP are all stored and applied, ending revoked', async (t) => {
  const s = setup(t);
  s.m.grant(C);
  const h = s.handler();
  assert.deepEqual([await h.handle(sms('STOP')), await h.handle(sms('START')), await h.handle(sms('STOP'))], ['revoked', 'reinstated', 'revoked']);
  assert.equal(s.inbound(), 3);
  assert.equal(s.m.consent.current(s.m.businessId, C), 'revoked');
  // Another number's same text, and the same text to another pair, are their own.
  assert.equal(await h.handle(sms('STOP', D)), 'revoked');
  assert.equal(s.inbound(D), 1);
});

test('the same text again after the resend window is a new text: stored and answered again', async (t) => {
  const s = setup(t);
  const h = s.handler();
  assert.equal(await h.handle(sms('HELP')), 'help');
  s.later(INBOUND_RESEND_WINDOW_MS + 1);
  assert.equal(await h.handle(sms('HELP')), 'help');
  assert.equal(s.inbound(), 2);
  assert.equal(s.replies(), 2);
});

test('a STOP again after consent was given since (a new call) is applied, never taken as a resend', async (t) => {
  const s = setup(t);
  s.m.grant(C);
  const h = s.handler();
  assert.equal(await h.handle(sms('STOP')), 'revoked');
  s.m.grant(C);
  assert.equal(await h.handle(sms('STOP')), 'revoked');
  assert.equal(s.m.consent.current(s.m.businessId, C), 'revoked');
  assert.equal(s.inbound(), 2);
});

test('applying fails: the text is not stored and the handling rejects; the SMSC\'s resend is stored and applied once', async (t) => {
  const s = setup(t);
  s.m.grant(C);
  const failures = { left: 1 };
  const h = s.handler(failingEnqueueOutbox(s.m.stores.outbox, failures));
  await assert.rejects(h.handle(sms('STOP')), /injected/);
  assert.equal(s.inbound(), 0, 'no stored row claims a STOP that was not applied');
  assert.equal(s.m.consent.current(s.m.businessId, C), 'granted');
  assert.equal(await h.handle(sms('STOP')), 'revoked', 'the resend applies');
  assert.equal(s.inbound(), 1);
  assert.equal(s.events('revoked'), 1);
  assert.equal(s.replies(), 1);
});

test('over SMPP: a deliver_sm sent again is answered ESME_ROK both times and stored once; one that fails is answered with an error and stored only when it succeeds', async (t) => {
  const s = setup(t);
  s.m.grant(C);
  const p = await smppPair();
  t.after(() => p.close());
  const failures = { left: 0 };
  const h = s.handler(failingEnqueueOutbox(s.m.stores.outbox, failures));
  p.gw.onInbound(async (m) => {
    await h.handle(m);
  });
  const deliver = (text: string) => withTimeout(p.sim.deliver({ from: C.slice(1), to: DID.slice(1), text }), 10_000, `the deliver_sm_resp for ${text}`);
  assert.equal(await deliver('HELP'), 0);
  assert.equal(await deliver('HELP'), 0, 'the resend is answered');
  assert.equal(s.inbound(), 1);
  assert.equal(s.replies(), 1);

  failures.left = 1;
  assert.equal(await deliver('STOP'), ESME_RX_T_APPN, 'a STOP that could not be applied is refused, so the SMSC sends it again');
  assert.equal(s.inbound(), 1, 'and not stored');
  assert.equal(await deliver('STOP'), 0);
  assert.equal(await deliver('STOP'), 0);
  assert.equal(s.inbound(), 2);
  assert.equal(s.events('revoked'), 1);
  assert.equal(s.m.consent.current(s.m.businessId, C), 'revoked');
});
