import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import type { CallResult } from '../../src/app/call/call-types.ts';
import type { Business } from '../../src/domain/business.ts';
import { SMS_FOOTER } from '../../src/domain/consent-script.ts';
import { callerScript, measurePrompts, NO, YES, type AnswerPlan, type Timeline } from './support/call-timeline.ts';
import { findEngineBinaries } from './support/engine-binaries.ts';
import { EngineHarness, STATE_GUARD_MS, type EngineKind } from './support/engine-harness.ts';
import { until } from './support/engine-process.ts';
import type { SippResult } from './support/sipp-caller.ts';

/**
 * The real-engine tier: the scenarios of test/engines/README.md, once per engine, with a real Asterisk or
 * FreeSWITCH, SIPp callers sending RTP, callkeeper's `serve` in this process and the SMSC simulator.
 * Assertions state what the product promises (README "What a call looks like"); where today's product
 * falls short, the test fails and says why (the README lists which).
 */
const DID = '+15125550100';
/** FreeSWITCH's test dialplan runs this number's socket through a relay that drops callkeeper's hangup. */
const HANGUP_FAULT_DID = '+15125550199';
const GREETING = 'Thanks for calling Acme Plumbing. Please leave a message after the tone.';
/** Each scenario has its own caller, so one scenario's texts and ledger never count in another's. */
const caller = (n: number): string => `+1512555${String(1000 + n).padStart(4, '0')}`;

export function engineSuite(kind: EngineKind): void {
  const found = findEngineBinaries(process.env, [kind]);
  // The runner (scripts/run-engine-tests.ts) checks this first; a direct run fails here, loudly.
  if (!found.ok) throw new Error(found.problem);
  // The runner (scripts/run-engine-tests.ts) gives a folder it removes afterwards unless asked to keep it.
  const work = mkdtempSync(join(process.env['CALLKEEPER_ENGINES_WORK'] ?? tmpdir(), `${kind}-`));
  const promptsDir = join(work, 'prompts');
  mkdirSync(promptsDir);

  describe(`callkeeper on a real ${kind}`, () => {
    let h: EngineHarness;
    let business: Business;
    let timeline: Timeline;

    before(async () => {
      h = await EngineHarness.start(kind, found.bins, join(work, 'run'), promptsDir);
      business = h.addBusiness('Acme Plumbing', [DID, HANGUP_FAULT_DID], GREETING);
      timeline = await measurePrompts(h.config.prompts, { name: business.name, greeting: GREETING }, h.config.call);
      await h.ready();
    });
    after(async () => {
      await h?.close();
    });

    /** A caller who leaves the message and then answers as `answer` says; waits for both ends. */
    async function place(n: number, answer: AnswerPlan | undefined, opts: { hash?: boolean; hangupAfterAnswerMs?: number; from?: string; did?: string } = {}) {
      const from = opts.from ?? caller(n);
      const did = opts.did ?? DID;
      const script = callerScript(timeline, { answer, endMessageWithHash: opts.hash });
      const hangupAfterMs = opts.hangupAfterAnswerMs === undefined ? undefined : script.questionEndsAtMs + opts.hangupAfterAnswerMs;
      const sipp = await h.call({ from, to: did.slice(1), parts: script.parts, hangupAfterMs, maxCallMs: script.questionEndsAtMs + 60_000 });
      assert.equal(sipp.inviteStatus, 200, `the call was answered (SIPp: ${sipp.errors})`);
      const result = await h.resultFor(from, did);
      return { from, sipp, result };
    }

    /** What the log says about one call, for a failure message (no phone numbers, no transcripts). */
    const about = (r: CallResult): string => `outcome ${r.outcome}; log:\n${h.logExcerpt((l) => l.fields['callId'] === r.callId)}`;

    /** The caller's message was recorded, kept and heard (a lost message: src/speech/beep-prompt.ts). */
    function expectMessageKept(r: CallResult): void {
      const row = h.db.prepare('SELECT recording_path, transcript FROM calls WHERE id = ?').get(r.callId) as { recording_path: string | null; transcript: string | null };
      assert.notEqual(row.recording_path, null, `the message recording is kept (${about(r)})`);
      assert.match(row.transcript ?? '', /faucet is leaking/, 'the message was heard');
    }

    async function expectGrantedAndTexted(from: string, r: CallResult): Promise<void> {
      expectMessageKept(r);
      assert.equal(r.outcome, 'consent-granted', about(r));
      await until(() => h.textsTo(from).length > 0, 'the first text at the SMSC', STATE_GUARD_MS);
      const [text] = h.textsTo(from);
      assert.equal(text!.from, DID.slice(1));
      assert.match(text!.text, /^Hi, this is Acme Plumbing\./);
      assert.ok(text!.text.endsWith(SMS_FOOTER), 'the compliance footer ends the text');
      assert.deepEqual(h.ledgerFor(from).map((l) => [l.event, l.method, l.call_id]), [['granted', 'verbal', r.callId]]);
    }

    function expectNoText(from: string, r: CallResult): void {
      const queued = h.db.prepare("SELECT COUNT(*) AS n FROM outbound_messages WHERE call_id = ? AND kind != 'staff'").get(r.callId) as { n: number };
      assert.equal(queued.n, 0, 'no text queued for the caller');
      assert.equal(h.textsTo(from).length, 0, 'no text reached the SMSC');
    }

    describe('one call per scenario, all at once', { concurrency: true }, () => {
      test('yes: the message is kept, the ledger says granted, the first text reaches the SMSC', async () => {
        const { from, result } = await place(1, { kind: 'say', phrase: YES });
        await expectGrantedAndTexted(from, result);
      });

      test('no: a declined ledger row and no text', async () => {
        const { from, result } = await place(2, { kind: 'say', phrase: NO });
        expectMessageKept(result);
        assert.equal(result.outcome, 'consent-declined', about(result));
        assert.deepEqual(h.ledgerFor(from).map((l) => l.event), ['declined']);
        expectNoText(from, result);
      });

      test('anonymous caller: the message is kept, never asked, never texted', async () => {
        const { from, result } = await place(3, undefined, { from: 'anonymous' });
        assert.equal(result.outcome, 'withheld-caller', about(result));
        expectMessageKept(result);
        const ledger = h.db.prepare('SELECT COUNT(*) AS n FROM consent_ledger WHERE call_id = ?').get(result.callId) as { n: number };
        assert.equal(ledger.n, 0, 'no ledger row');
        expectNoText(from, result);
      });

      test('# ends the message at once: the question follows without the silence wait, and a yes is heard', async () => {
        // The yes is laid out for a question that starts right after the `#`. Had the `#` been missed,
        // the message would end on 3 s of silence and the question 3 s later: past the answer's 1.5 s
        // of slack (call-timeline.ts), so the grant is the proof.
        const { from, result } = await place(4, { kind: 'say', phrase: YES }, { hash: true });
        await expectGrantedAndTexted(from, result);
      });

      test('a 3 s pause after the question, then yes: granted', async () => {
        const { from, result } = await place(5, { kind: 'pause-then-say', phrase: YES, pauseMs: 3_000 });
        await expectGrantedAndTexted(from, result);
      });

      test('hang up right after yes: the answer is kept, granted and texted', async () => {
        const { from, sipp, result } = await place(6, { kind: 'say-until', phrase: YES, untilMs: 800 }, { hangupAfterAnswerMs: 1_000 });
        assert.equal(sipp.endedBy, 'caller', 'the caller hung up before callkeeper did');
        // Recordings of this call still on the engine (callkeeper deletes the engine's copy once fetched).
        const left = h.engineRecordingsLeft().filter((f) => f.includes(`ck${result.callId}-`));
        const problems = [
          ...(result.outcome === 'consent-granted' ? [] : [`outcome ${result.outcome}, not consent-granted`]),
          ...(left.length === 0 ? [] : [`left on the engine: ${left.join(', ')}`]),
        ];
        assert.deepEqual(problems, [], about(result));
        await expectGrantedAndTexted(from, result);
      });

      test('STOP, HELP and START through the SMSC after a granted call', async () => {
        const { from, result } = await place(7, { kind: 'say', phrase: YES });
        await expectGrantedAndTexted(from, result);
        const texts = (): string[] => h.textsTo(from).map((t) => t.text);
        assert.equal(await h.smsc.deliver({ from: from.slice(1), to: DID.slice(1), text: 'HELP' }), 0, 'the service acknowledged HELP');
        await until(() => texts().length === 2, 'the HELP reply', STATE_GUARD_MS);
        assert.match(texts()[1]!, /Acme Plumbing/);
        assert.equal(await h.smsc.deliver({ from: from.slice(1), to: DID.slice(1), text: 'STOP' }), 0, 'the service acknowledged STOP');
        await until(() => h.consent().current(business.id, from) === 'revoked', 'the STOP in the ledger', STATE_GUARD_MS);
        await until(() => texts().length === 3, 'the STOP confirmation', STATE_GUARD_MS);
        assert.match(texts()[2]!, /unsubscribed/i);
        assert.equal(await h.smsc.deliver({ from: from.slice(1), to: DID.slice(1), text: 'START' }), 0, 'the service acknowledged START');
        await until(() => texts().length === 4, 'the START confirmation', STATE_GUARD_MS);
        assert.match(texts()[3]!, /resubscribed/i);
        assert.deepEqual(h.ledgerFor(from).map((l) => l.event), ['granted', 'revoked', 'reinstated']);
      });
    });

    test('25 calls at once: every caller who says yes is granted and texted', async () => {
      const calls = await Promise.all(Array.from({ length: 25 }, (_, i) => place(100 + i, { kind: 'say', phrase: YES })));
      const outcomes: Record<string, number> = {};
      for (const c of calls) outcomes[c.result.outcome] = (outcomes[c.result.outcome] ?? 0) + 1;
      const notGranted = calls.filter((c) => c.result.outcome !== 'consent-granted');
      assert.deepEqual(outcomes, { 'consent-granted': 25 }, notGranted.length > 0 ? `first one not granted: ${about(notGranted[0]!.result)}` : '');
      await until(() => calls.every((c) => h.textsTo(c.from).length === 1), 'a text for each of the 25 callers', STATE_GUARD_MS);
    });

    test('the engine restarts during a call: that call is closed without a text, then calls flow again', async () => {
      const script = callerScript(timeline, { answer: { kind: 'say', phrase: YES } });
      const from = caller(200);
      const during = h.call({ from, to: DID.slice(1), parts: script.parts, maxCallMs: script.questionEndsAtMs + 60_000 });
      // Restart while the consent question plays: the caller left a message and has not answered.
      await new Promise((r) => setTimeout(r, script.questionEndsAtMs - 6_000));
      if (kind === 'asterisk') await h.asterisk!.restart();
      else await h.freeswitch!.restart();
      const lost: SippResult = await during;
      assert.notEqual(lost.endedBy, 'caller', 'the engine ended the call, not the caller giving up');
      const r = await h.resultFor(from, DID);
      assert.notEqual(r.outcome, 'consent-granted', about(r));
      expectNoText(from, r);
      await h.ready(90_000);
      const after = await place(201, { kind: 'say', phrase: YES });
      await expectGrantedAndTexted(after.from, after.result);
    });

    if (kind === 'freeswitch') {
      test('a hangup FreeSWITCH never answers: callkeeper closes the socket and ends the parked channel with uuid_kill', async () => {
        const swallower = h.hangupSwallower!;
        const before = swallower.swallowed;
        // After the socket closes this number's dialplan parks the channel: without uuid_kill it would stay up
        // until SIPp gives up (60 s after the question) and SIPp, not FreeSWITCH, would send the BYE.
        const { from, sipp, result } = await place(400, { kind: 'say', phrase: YES }, { did: HANGUP_FAULT_DID });
        assert.equal(result.outcome, 'consent-granted', about(result));
        assert.ok(swallower.swallowed > before, 'the relay held back callkeeper\'s hangup (else this test proves nothing)');
        assert.equal(sipp.endedBy, 'engine', `FreeSWITCH ended the call (SIPp: ${sipp.errors}); log:\n${h.logExcerpt()}`);
        assert.ok(
          h.logger.records.some((r) => r.msg.startsWith('hangup unanswered on the call socket') && r.fields['channel'] !== undefined),
          'callkeeper logged the unanswered hangup',
        );
      });
    }

    test('SIGTERM with calls up and new calls arriving: calls up finish, new callers go back to the dialplan', async () => {
      const script = callerScript(timeline, { answer: { kind: 'say', phrase: YES } });
      const up = [caller(300), caller(301)].map((from) => ({
        from,
        sipp: h.call({ from, to: DID.slice(1), parts: script.parts, maxCallMs: script.questionEndsAtMs + 60_000 }),
      }));
      // Both are leaving their message when the stop comes.
      await new Promise((r) => setTimeout(r, script.messageAtMs + 500));
      let drained = false;
      const stopping = h.shutdown('SIGTERM').finally(() => (drained = true));
      await new Promise((r) => setTimeout(r, 1_000));
      const late = caller(302);
      const lateSipp = await h.call({ from: late, to: DID.slice(1), parts: script.parts, maxCallMs: 30_000 });
      const lateDuringDrain = !drained;
      const report = await stopping;
      const ups = await Promise.all(up.map((u) => u.sipp));
      assert.ok(lateDuringDrain, 'the late caller was turned away while the drain was still going on');
      assert.deepEqual(ups.map((s) => s.inviteStatus), [200, 200]);
      assert.equal(report.drained, true, JSON.stringify(report));
      // The service closed its database; read what it left.
      const db = new Database(h.config.database.path, { readonly: true });
      try {
        for (const u of up) {
          const row = db.prepare('SELECT outcome FROM calls WHERE caller_e164 = ?').get(u.from) as { outcome: string } | undefined;
          assert.equal(row?.outcome, 'consent-granted', 'a call that was up when SIGTERM came finished normally');
          const ledger = db.prepare('SELECT event FROM consent_ledger WHERE consumer = ?').all(u.from) as Array<{ event: string }>;
          assert.deepEqual(ledger.map((l) => l.event), ['granted']);
        }
        const lateRow = db.prepare('SELECT COUNT(*) AS n FROM calls WHERE caller_e164 = ?').get(late) as { n: number };
        assert.ok(lateRow.n <= 1);
      } finally {
        db.close();
      }
      // The test dialplans' fallback answers "busy" (486): reached only when callkeeper hands the call back.
      assert.equal(lateSipp.inviteStatus, 486, `a caller arriving during the drain reaches the dialplan fallback (got ${lateSipp.inviteStatus})`);
    });
  });
}
