import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { sendTemplate } from '../../src/app/messaging/send-template.ts';
import { createSystemClock } from '../../src/app/system-clock.ts';
import { sqliteServeStores } from '../../src/compose/serve-stores.ts';
import { sendingRules } from '../../src/compose/sms-settings.ts';
import type { Business } from '../../src/domain/business.ts';
import { SMS_FOOTER } from '../../src/domain/consent-script.ts';
import { AppError } from '../../src/domain/errors.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { SqliteOutbox } from '../../src/store/sqlite-outbox.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import type { ScriptedCallResult } from '../../src/sim/caller-script.ts';
import { waitFor, withTimeout } from '../support/wait-for.ts';
import { memoryLogger, ServeHarness, type EngineKind } from './serve-harness.ts';
import { sayPhrase, ToneTranscriber } from './tone-speech.ts';

/**
 * The end-to-end proof, once per engine: calls through the whole running service, from the
 * engine simulator's caller to the text as the SMSC received it, the consent ledger and the call rows.
 */
const MESSAGE = sayPhrase('Hi, this is Dana. My kitchen faucet is leaking. Please call me back.');
const YES = sayPhrase('Yes, that is fine.');
const NO = sayPhrase('No thanks.');
const MUMBLE = sayPhrase('Hmm, what was that?');

const VERBAL_DID = '+15125550100';
const IMPLIED_DID = '+15125550111';
const STAFF_DID = '+15125550122';
const STAFF_MOBILE = '+15125550142';

/** Each case has its own caller, so one case's texts and ledger never count in another's. */
const caller = (n: number): string => `+1512555${String(200 + n).padStart(4, '0')}`;

export function serveSuite(engine: EngineKind): void {
  const promptsDir = mkdtempSync(join(tmpdir(), `ck-e2e-prompts-${engine}-`));
  after(() => rmSync(promptsDir, { recursive: true, force: true }));

  describe(`serve end to end on ${engine}`, () => {
    let h: ServeHarness;
    let verbal: Business;
    let withStaff: Business;
    const logger = memoryLogger();

    before(async () => {
      h = await ServeHarness.start({ engine, transcriber: new ToneTranscriber(), promptsDir, logger });
      verbal = h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
      h.addBusiness('Bolt Electric', IMPLIED_DID, 'implied');
      withStaff = h.addBusiness('Cedar Heating', STAFF_DID, 'verbal');
      // `callkeeper staff add --business N --name Dana --mobile …`: the same validation, the same store.
      new SqliteStaffStore(h.db).add(validateNewStaff({ businessId: withStaff.id, name: 'Dana', mobile: STAFF_MOBILE }));
      await h.ready();
    });
    after(async () => {
      await h.close();
    });

    test('verbal yes: the ledger says granted, then the first text with the issue and the footer reaches the SMSC', async () => {
      const who = caller(1);
      const call = h.placeCall({ caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] });
      const result = await call.result;
      assert.equal(result.outcome, 'consent-granted');
      assert.equal(result.decision, 'granted');
      await waitFor(() => h.textsTo(who).length > 0, { what: 'the first text' });
      await h.settled();

      const texts = h.textsTo(who);
      assert.equal(texts.length, 1);
      const text = texts[0]!;
      assert.equal(text.from, VERBAL_DID.slice(1));
      assert.match(text.text, /^Hi, this is Acme Plumbing\. We received your call about a leaking kitchen faucet\./);
      assert.ok(text.text.endsWith(SMS_FOOTER), 'the compliance footer ends the text');

      const ledger = h.ledgerFor(who);
      assert.deepEqual(ledger.map((l) => [l.event, l.method]), [['granted', 'verbal']]);
      const grant = ledger[0]!;
      assert.equal(grant.call_id, result.callId);
      assert.equal(grant.transcript, 'Yes, that is fine.');
      const [row] = h.outboundTo(who);
      assert.ok(row);
      assert.equal(row.kind, 'first-reply');
      assert.equal(row.consent_event_id, grant.id, 'the text points at the ledger event that allows it');
      assert.ok(grant.at <= row.created_at, 'granted was written before the text was queued');
      assert.ok(row.claimed_at !== null && grant.at <= row.claimed_at, 'and before it was claimed for sending');
      assert.ok(['submitted', 'delivered'].includes(row.state), row.state);

      const call1 = h.callRow(result.callId!);
      assert.equal(call1.outcome, 'consent-granted');
      assert.notEqual(call1.ended_at, null);
      assert.match(call1.transcript ?? '', /faucet is leaking/);
      assert.notEqual(call1.recording_sha256, null);
    });

    test('verbal no: a declined ledger row and no text', async () => {
      const who = caller(2);
      const result = await h.placeCall({ caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, NO] }).result;
      await h.settled();
      assert.equal(result.outcome, 'consent-declined');
      assert.deepEqual(h.ledgerFor(who).map((l) => l.event), ['declined']);
      assert.deepEqual(h.outboundTo(who), []);
      assert.equal(h.textsTo(who).length, 0);
    });

    test('a caller who pauses 3 s before saying yes is heard: granted, and the first text', async () => {
      const who = caller(10);
      const result = await h.placeCall({
        caller: who,
        dialed: VERBAL_DID.slice(1),
        says: [MESSAGE],
        script: [{ when: { on: 'recording-started', nth: 2 }, do: [{ act: 'speak', wav: YES, afterMs: 3000 }] }],
      }).result;
      assert.equal(result.outcome, 'consent-granted');
      await waitFor(() => h.textsTo(who).length > 0, { what: 'the first text' });
      await h.settled();
      assert.deepEqual(h.ledgerFor(who).map((l) => [l.event, l.transcript]), [['granted', 'Yes, that is fine.']]);
      assert.equal(h.textsTo(who).length, 1);
    });

    /** The caller's answer, then a hangup `hangupAfterMs` into the answer recording. */
    const answerThenHangUp = (who: string, answer: Buffer | null, hangupAfterMs: number) =>
      h.placeCall({
        caller: who,
        dialed: VERBAL_DID.slice(1),
        says: [MESSAGE],
        script: [{ when: { on: 'recording-started', nth: 2 }, do: [...(answer ? [{ act: 'speak' as const, wav: answer }] : []), { act: 'hangup', afterMs: hangupAfterMs }] }],
      }).result;

    test('"Yes." then a hang-up 0.3 s later: the partial answer grants, the first text goes out, the engine keeps no copy', async () => {
      const who = caller(11);
      const result = await answerThenHangUp(who, YES, 900);
      assert.equal(result.outcome, 'consent-granted');
      await waitFor(() => h.textsTo(who).length > 0, { what: 'the first text implied by the grant' });
      await h.settled();
      const ledger = h.ledgerFor(who);
      assert.deepEqual(ledger.map((l) => [l.event, l.method, l.transcript]), [['granted', 'verbal', 'Yes, that is fine.']]);
      assert.equal(h.outboundTo(who)[0]?.consent_event_id, ledger[0]!.id);
      assert.deepEqual(h.engineRecordings(), [], 'the message and the answer were fetched and the engine copies deleted');
    });

    test('a hang-up while saying no: declined, no text', async () => {
      const who = caller(12);
      const result = await answerThenHangUp(who, sayPhrase('No thanks.', 1500), 800);
      await h.settled();
      assert.equal(result.outcome, 'consent-declined');
      assert.deepEqual(h.ledgerFor(who).map((l) => l.event), ['declined']);
      assert.equal(h.textsTo(who).length, 0);
      assert.deepEqual(h.engineRecordings(), []);
    });

    test('a hang-up with nothing said: no decision, no text, no engine copy left', async () => {
      const who = caller(13);
      const result = await answerThenHangUp(who, null, 1000);
      await h.settled();
      assert.equal(result.outcome, 'caller-hung-up');
      assert.deepEqual(h.ledgerFor(who), []);
      assert.equal(h.textsTo(who).length, 0);
      assert.deepEqual(h.engineRecordings(), []);
    });

    test('unclear twice: the question is asked again, then an unclear ledger row and no text', async () => {
      const who = caller(3);
      const call = h.placeCall({ caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, MUMBLE, MUMBLE] });
      const [lived, result] = await Promise.all([call.caller, call.result]);
      await h.settled();
      assert.equal(lived.recordings, 3, 'message, answer, answer to the reprompt');
      assert.equal(result.outcome, 'consent-unclear');
      assert.deepEqual(h.ledgerFor(who).map((l) => l.event), ['unclear']);
      assert.deepEqual(h.outboundTo(who), []);
      assert.equal(h.textsTo(who).length, 0);
    });

    test('implied-mode business: no question, an implied ledger row and exactly one text', async () => {
      const who = caller(4);
      const call = h.placeCall({ caller: who, dialed: IMPLIED_DID.slice(1), says: [MESSAGE] });
      const [lived, result] = await Promise.all([call.caller, call.result]);
      await waitFor(() => h.textsTo(who).length > 0, { what: 'the implied-mode text' });
      await h.settled();
      assert.equal(lived.recordings, 1, 'only the message is recorded');
      assert.equal(result.outcome, 'implied-texted');
      const ledger = h.ledgerFor(who);
      assert.deepEqual(ledger.map((l) => [l.event, l.method]), [['implied', 'implied']]);
      const texts = h.textsTo(who);
      assert.equal(texts.length, 1);
      assert.match(texts[0]!.text, /^Hi, this is Bolt Electric\. Sorry we missed your call\./);
      assert.ok(texts[0]!.text.endsWith(SMS_FOOTER));
      assert.equal(h.outboundTo(who)[0]?.consent_event_id, ledger[0]!.id);
      assert.equal(texts[0]!.from, IMPLIED_DID.slice(1));
    });

    test('STOP reply: revoked, a confirmation, and a later follow-up is refused and never reaches the SMSC', async () => {
      const who = caller(5);
      const result = await h.placeCall({ caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] }).result;
      assert.equal(result.outcome, 'consent-granted');
      await waitFor(() => h.textsTo(who).length === 1, { what: 'the first text' });

      const status = await h.smsc.deliver({ from: who.slice(1), to: VERBAL_DID.slice(1), text: 'STOP' });
      assert.equal(status, 0, 'the service acknowledged the deliver_sm');
      await waitFor(() => h.consent().current(verbal.id, who) === 'revoked', { what: 'the STOP in the ledger' });
      await waitFor(() => h.textsTo(who).length === 2, { what: 'the STOP confirmation' });
      assert.deepEqual(h.ledgerFor(who).map((l) => [l.event, l.method]), [['granted', 'verbal'], ['revoked', 'sms-keyword']]);
      assert.match(h.textsTo(who)[1]!.text, /unsubscribed/i);

      // `callkeeper sms send` (the sendTemplate use case) refuses at once, naming the rule.
      const outbox = new SqliteOutbox(h.db);
      const clock = createSystemClock();
      const stores = sqliteServeStores(h.db, { clock, consent: h.consent() });
      const deps = { outbox: stores.outbox, rules: sendingRules(h.config.messaging), businesses: stores.businesses, consent: stores.consent, clock };
      await assert.rejects(
        () => sendTemplate(deps, { businessId: verbal.id, to: who, template: 'callback' }),
        (e: unknown) => e instanceof AppError && e.code === 'CONSENT.REVOKED',
      );
      // A follow-up already in the outbox (queued before the STOP was known) is refused at claim time.
      const queued = outbox.enqueue({ businessId: verbal.id, from: VERBAL_DID, to: who, body: 'Acme Plumbing: are you still there?', kind: 'follow-up', callId: result.callId, consentEventId: null });
      h.service.dispatcher.kick();
      await waitFor(() => h.outboundTo(who).find((r) => r.id === queued)?.state !== 'queued', { what: 'the queued follow-up to be judged' });
      await h.settled();
      assert.ok(['refused', 'cancelled'].includes(h.outboundTo(who).find((r) => r.id === queued)!.state));
      assert.equal(h.textsTo(who).length, 2, 'nothing after the confirmation');
    });

    test('withheld caller: the message is kept, no consent question, no ledger row, no text', async () => {
      const call = h.placeCall({ caller: 'anonymous', dialed: VERBAL_DID.slice(1), says: [MESSAGE] });
      const [lived, result] = await Promise.all([call.caller, call.result]);
      await h.settled();
      assert.equal(result.outcome, 'withheld-caller');
      assert.equal(lived.recordings, 1, 'no answer was recorded: the question was never asked');
      const row = h.callRow(result.callId!);
      assert.notEqual(row.recording_path, null, 'the message recording is kept');
      assert.match(row.transcript ?? '', /faucet is leaking/);
      const ledger = h.db.prepare('SELECT COUNT(*) AS n FROM consent_ledger WHERE call_id = ?').get(result.callId) as { n: number };
      assert.equal(ledger.n, 0);
      const texts = h.db.prepare("SELECT COUNT(*) AS n FROM outbound_messages WHERE call_id = ? AND kind != 'staff'").get(result.callId) as { n: number };
      assert.equal(texts.n, 0);
    });

    test('staff on call get a text about the call', async () => {
      const who = caller(6);
      const result = await h.placeCall({ caller: who, dialed: STAFF_DID.slice(1), says: [MESSAGE, YES] }).result;
      assert.equal(result.outcome, 'consent-granted');
      // Staff are notified after the call row is closed, which may be just after the caller's side ends.
      await waitFor(
        () => (h.db.prepare("SELECT count(*) AS n FROM notification_deliveries WHERE call_id = ? AND state = 'delivered'").get(result.callId) as { n: number }).n > 0,
        { what: 'the staff delivery to settle' },
      );
      await h.settled();
      const deliveries = h.db
        .prepare("SELECT channel, address, state, last_error FROM notification_deliveries WHERE call_id = ? ORDER BY id")
        .all(result.callId) as Array<{ channel: string; address: string; state: string; last_error: string | null }>;
      assert.deepEqual(deliveries.map((d) => [d.channel, d.address, d.state]), [['sms', STAFF_MOBILE, 'delivered']], JSON.stringify(deliveries));
      const staffRows = h.outboundTo(STAFF_MOBILE);
      assert.equal(staffRows.length, 1);
      assert.equal(staffRows[0]!.kind, 'staff');
      assert.ok(['submitted', 'delivered'].includes(staffRows[0]!.state), `staff text ${staffRows[0]!.state}`);
      const texts = h.textsTo(STAFF_MOBILE);
      assert.equal(texts.length, 1, 'the staff text reached the SMSC');
      assert.match(texts[0]!.text, /Cedar Heating/);
      // The consumer still got their own first text.
      assert.equal(h.textsTo(who).length, 1);
    });

    test('no error was logged across the calls', () => {
      const errors = logger.records.filter((r) => r.level === 'error');
      assert.deepEqual(errors, []);
    });

    test('no log line of the whole run carries a caller number; call phase lines show the phases', () => {
      assert.ok(logger.lines.length > 0);
      const leaks = logger.lines.filter((l) => /\+?1512555(0[2-9]\d\d)\b/.test(l) || l.includes(STAFF_MOBILE.slice(1)));
      assert.deepEqual(leaks, [], 'caller and staff numbers are redacted in every line');
      const phases = logger.records.filter((r) => r.msg === 'call phase');
      assert.ok(phases.length > 0, 'the run logged call phases');
      assert.ok(phases.every((r) => typeof r.fields.from === 'string' && r.fields.from !== '[redacted]' && r.fields.to !== '[redacted]'));
    });
  });

  describe(`serve shutdown and readiness on ${engine}`, () => {
    test('SIGTERM while the caller leaves a message: the call completes within the drain, its row is closed, nothing is left in flight', async () => {
      const h = await ServeHarness.start({ engine, transcriber: new ToneTranscriber(), promptsDir });
      const dbPath = h.config.database.path;
      try {
        const b = h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
        await h.ready();
        const who = caller(7);
        let shutdown: ReturnType<typeof h.service.shutdown> | null = null;
        const call = h.placeCall(
          { caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] },
          { onRecordingStarted: (nth) => void (nth === 1 && (shutdown = h.service.shutdown('SIGTERM'))) },
        );
        const result = await call.result;
        assert.ok(shutdown !== null, 'the shutdown began during the message');
        const report = await (shutdown as unknown as ReturnType<typeof h.service.shutdown>);
        assert.equal(report.drained, true);
        assert.equal(report.interruptedCalls, 0);
        assert.equal(result.outcome, 'consent-granted');
        assert.deepEqual(report.failures, []);

        // The service closed its database; read what it left.
        const db = new Database(dbPath, { readonly: true });
        try {
          const row = db.prepare('SELECT outcome, ended_at FROM calls WHERE id = ?').get(result.callId) as { outcome: string | null; ended_at: number | null };
          assert.equal(row.outcome, 'consent-granted');
          assert.notEqual(row.ended_at, null);
          const ledger = db.prepare('SELECT event FROM consent_ledger WHERE consumer = ? AND business_id = ?').all(who, b.id) as Array<{ event: string }>;
          assert.deepEqual(ledger.map((l) => l.event), ['granted']);
          const states = db.prepare('SELECT state FROM outbound_messages WHERE recipient = ?').all(who) as Array<{ state: string }>;
          assert.equal(states.length, 1, 'the first text is in the outbox');
          assert.ok(['queued', 'submitted', 'delivered'].includes(states[0]!.state), `the first text is ${states[0]!.state}`);
          const inFlight = db.prepare("SELECT COUNT(*) AS n FROM outbound_messages WHERE state = 'submitting'").get() as { n: number };
          assert.equal(inFlight.n, 0, 'no text left half-sent');
          // Either it reached the SMSC before the gateway stopped, or it waits, queued, for the next start.
          assert.equal(h.textsTo(who).length, states[0]!.state === 'queued' ? 0 : 1);
          // The ledger head was signed at shutdown: the last checkpoint covers the granted record.
          const head = db.prepare('SELECT id, hash FROM consent_ledger ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string };
          const last = JSON.parse(readFileSync(`${dbPath}.checkpoints`, 'utf8').trim().split('\n').at(-1)!) as { id: number; head: string; reason: string };
          assert.deepEqual([last.id, last.head, last.reason], [head.id, head.hash, 'shutdown']);
        } finally {
          db.close();
        }
      } finally {
        await h.close();
      }
    });

    test('a call arriving during the drain goes back to the dialplan with CALLKEEPER_RESULT=draining, never declined; the draining call still completes', async () => {
      let handedBack: Promise<ScriptedCallResult> | null = null;
      // The first caller's consent answer is held until the second call is over, so the drain is
      // certainly still waiting on the first call when the second one arrives and leaves.
      const transcriber = new ToneTranscriber({
        onTranscribe: async (purpose) => {
          if (purpose === 'consent-answer' && handedBack) await handedBack;
        },
      });
      const logger = memoryLogger();
      const h = await ServeHarness.start({ engine, transcriber, promptsDir, logger });
      const dbPath = h.config.database.path;
      try {
        h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
        await h.ready();
        const first = caller(10);
        const second = caller(11);
        let shutdown: ReturnType<typeof h.service.shutdown> | null = null;
        let secondChannel = '';
        const call = h.placeCall(
          { caller: first, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] },
          {
            onRecordingStarted: (nth) => {
              if (nth !== 1) return;
              shutdown = h.service.shutdown('SIGTERM');
              const late = h.ring({ caller: second, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] });
              secondChannel = late.channelId;
              handedBack = late.caller;
            },
          },
        );
        const [result, lived] = await Promise.all([call.result, call.caller]);
        assert.ok(shutdown !== null && handedBack !== null, 'the shutdown began and the second call arrived during the first call');
        const back = await withTimeout(handedBack as Promise<ScriptedCallResult>, 20_000, 'the second caller to leave the service');
        assert.equal(back.endedBy, 'continued', 'the second call went on in the dialplan: not declined, not hung up');
        assert.equal(back.answered, false);
        assert.equal(back.appVariables['CALLKEEPER_RESULT'], 'draining', 'the dialplan can tell why');
        assert.ok(
          logger.records.some((r) => r.msg === 'call handed back to the dialplan: service is shutting down' && r.fields['channelId'] === secondChannel),
          'the hand-back is logged',
        );

        const report = await (shutdown as unknown as ReturnType<typeof h.service.shutdown>);
        assert.equal(report.drained, true);
        assert.equal(report.interruptedCalls, 0);
        assert.deepEqual(report.failures, []);
        assert.equal(result.outcome, 'consent-granted', 'the call in progress completed during the drain');
        assert.equal(lived.endedBy, 'app');

        const db = new Database(dbPath, { readonly: true });
        try {
          const rows = db.prepare('SELECT COUNT(*) AS n FROM calls WHERE channel_id = ?').get(secondChannel) as { n: number };
          assert.equal(rows.n, 0, 'callkeeper did not take the second call');
          const ledger = db.prepare('SELECT COUNT(*) AS n FROM consent_ledger WHERE consumer = ?').get(second) as { n: number };
          assert.equal(ledger.n, 0);
          const texts = db.prepare('SELECT COUNT(*) AS n FROM outbound_messages WHERE recipient = ?').get(second) as { n: number };
          assert.equal(texts.n, 0);
        } finally {
          db.close();
        }
      } finally {
        await h.close();
      }
    });

    test('SIGTERM with a message that outlasts the drain: the call is hung up, recorded as interrupted, the message kept', async () => {
      // Real-time-ish simulation (1/20) and a long message, so the call is still recording when the
      // drain (100 ms of the service's own clock) runs out.
      const h = await ServeHarness.start({ engine, transcriber: new ToneTranscriber(), promptsDir, timeScale: 0.05, call: { drainTimeoutMs: 100 } });
      const dbPath = h.config.database.path;
      try {
        h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
        await h.ready();
        const who = caller(8);
        let shutdown: ReturnType<typeof h.service.shutdown> | null = null;
        const longMessage = sayPhrase('Hi, this is Dana. My kitchen faucet is leaking. Please call me back.', 60_000);
        const call = h.placeCall(
          { caller: who, dialed: VERBAL_DID.slice(1), says: [longMessage, YES] },
          { onRecordingStarted: (nth) => void (nth === 1 && (shutdown = h.service.shutdown('SIGTERM'))) },
        );
        const [lived, result] = await Promise.all([call.caller, call.result]);
        assert.ok(shutdown !== null, 'the shutdown began during the message');
        const report = await (shutdown as unknown as ReturnType<typeof h.service.shutdown>);
        assert.equal(report.drained, false);
        assert.equal(report.interruptedCalls, 1);
        assert.deepEqual(report.failures, []);
        assert.equal(result.outcome, 'interrupted');
        assert.equal(lived.endedBy, 'app', 'the service hung up on the caller');
        assert.equal(lived.recordings, 1, 'the consent question was never reached');

        const db = new Database(dbPath, { readonly: true });
        try {
          const row = db.prepare('SELECT outcome, ended_at, recording_path, transcript FROM calls WHERE id = ?').get(result.callId) as {
            outcome: string | null;
            ended_at: number | null;
            recording_path: string | null;
            transcript: string | null;
          };
          assert.equal(row.outcome, 'interrupted');
          assert.notEqual(row.ended_at, null);
          assert.notEqual(row.recording_path, null, 'the part of the message left before the hangup is kept');
          const ledger = db.prepare('SELECT COUNT(*) AS n FROM consent_ledger WHERE consumer = ?').get(who) as { n: number };
          assert.equal(ledger.n, 0);
          const texts = db.prepare('SELECT COUNT(*) AS n FROM outbound_messages WHERE recipient = ?').get(who) as { n: number };
          assert.equal(texts.n, 0);
          const inFlight = db.prepare("SELECT COUNT(*) AS n FROM outbound_messages WHERE state = 'submitting'").get() as { n: number };
          assert.equal(inFlight.n, 0);
        } finally {
          db.close();
        }
      } finally {
        await h.close();
      }
    });

    test('engine down at start: /readyz is 503 until the simulator comes up, then 200, and calls flow', async () => {
      const h = await ServeHarness.start({ engine, transcriber: new ToneTranscriber(), promptsDir, engineUp: false });
      try {
        h.addBusiness('Acme Plumbing', VERBAL_DID, 'verbal');
        await waitFor(() => h.service.readiness.snapshot()['smpp'] === true, { what: 'the SMPP bind' });
        const engineKey = engine === 'asterisk' ? 'ari' : 'esl';
        assert.deepEqual(h.service.readiness.snapshot(), { store: true, [engineKey]: false, smpp: true, speech: true });
        const down = await h.readyz();
        assert.equal(down.status, 503, JSON.stringify(down.body));

        await h.bringEngineUp();
        await h.ready();
        const upNow = await h.readyz();
        assert.equal(upNow.status, 200, JSON.stringify(upNow.body));

        const who = caller(9);
        const result = await h.placeCall({ caller: who, dialed: VERBAL_DID.slice(1), says: [MESSAGE, YES] }).result;
        assert.equal(result.outcome, 'consent-granted');
        await waitFor(() => h.textsTo(who).length === 1, { what: 'the first text' });
      } finally {
        await h.close();
      }
    });
  });
}
