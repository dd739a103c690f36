import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { renderConsentScript, CONSENT_SCRIPT_VERSION } from '../../../src/domain/consent-script.ts';
import { defaultFirstText } from '../../../src/domain/call-flow/first-text.ts';
import { GENERIC_GREETING, defaultGreeting, renderPrompt, repromptText } from '../../../src/domain/call-flow/prompts.ts';
import { ACME, createCallHarness, runToEnd, type CallHarness } from '../../fakes/call-harness.ts';
import { VERBAL, type FakeCallLeg, type HangupPoint } from '../../fakes/fake-call-leg.ts';
import { fakeSpeechWav } from '../../fakes/fake-speech.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import { waitFor } from '../../support/wait-for.ts';

const CALLER = '+15125550123';
const SCRIPT = renderConsentScript('Acme Plumbing');
const REPROMPT = repromptText('Acme Plumbing');
const GREETING = defaultGreeting('Acme Plumbing');
const BYE_YES = 'Great, Acme Plumbing will text you shortly. Goodbye.';
const BYE_NO = "No problem, we won't text you; Acme Plumbing will call you back. Goodbye.";
const FIRST_TEXT_SINK =
  'Hi, this is Acme Plumbing. We received your call about a leaking kitchen sink. Msg & data rates may apply. Reply HELP for help, STOP to opt out.';

/** Checks that apply to every call: row closed once, nothing left running, nothing texted without a stored event first. */
function assertClean(h: CallHarness, leg: FakeCallLeg, result: CallResult): void {
  assert.ok(result.callId !== null);
  const row = h.callLog.get(result.callId);
  assert.equal(row.closes, 1, 'call row closed exactly once');
  assert.equal(row.outcome, result.outcome);
  assert.equal(leg.listenerCount(), 0, 'leg listeners removed');
  assert.equal(h.clock.pending(), 0, `no timers left (${h.clock.pendingIn().join(', ')})`);
  const j = h.journal.of(result.callId);
  const close = j.findIndex((e) => e.kind === 'call.close');
  assert.equal(close, j.length - 1 - j.slice(close + 1).filter((e) => e.kind === 'call.transcript').length, 'close is the last write');
  for (const m of h.outbox.forCall(result.callId)) {
    const appended = j.findIndex((e) => e.kind === 'ledger.append' && e.ref === m.consentEventId);
    const queued = j.findIndex((e) => e.kind === 'outbox.enqueue' && e.ref === m.id);
    assert.ok(appended >= 0 && appended < queued, 'ledger append before enqueue');
    const ev = h.consentStore.events.find((e) => e.id === m.consentEventId);
    assert.ok(ev !== undefined && (ev.event === 'granted' || ev.event === 'implied'));
  }
  assert.deepEqual(h.logger.messagesContaining([CALLER, '5125550123', 'leaking', 'yes please', 'sink']), [], 'no PII in log messages');
}

describe('a verbal call', () => {
  test('yes: script word for word, ledger event with evidence, then one first text', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ says: ['My kitchen sink is leaking', 'yes please'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(played, [GREETING, SCRIPT, BYE_YES]);
    assert.ok(leg.ops.some((o) => o.op === 'answer') && leg.ops.at(-1)?.op === 'hangup');
    const [ev] = h.consentStore.forCall(result.callId!);
    assert.ok(ev);
    assert.equal(h.consentStore.forCall(result.callId!).length, 1);
    assert.equal(ev.event, 'granted');
    assert.equal(ev.method, 'verbal');
    assert.equal(ev.scriptText, SCRIPT);
    assert.equal(ev.scriptVersion, CONSENT_SCRIPT_VERSION);
    assert.equal(ev.transcript, 'yes please');
    assert.equal(ev.consumer, CALLER);
    assert.equal(ev.did, '+15125550100');
    assert.equal(ev.businessId, ACME.id);
    assert.equal(ev.source, 'call');
    assert.equal(ev.audioSha256, createHash('sha256').update(fakeSpeechWav('yes please')).digest('hex'));
    assert.ok(ev.audioPath !== null && h.recordings.files.has(ev.audioPath));
    const [sms] = h.outbox.forCall(result.callId!);
    assert.deepEqual(
      { ...sms },
      { id: 1, businessId: 1, from: '+15125550100', to: CALLER, body: FIRST_TEXT_SINK, kind: 'first-reply', callId: result.callId, consentEventId: ev.id },
    );
    const row = h.callLog.get(result.callId!);
    assert.equal(row.transcript, 'My kitchen sink is leaking');
    assert.equal(row.recordingPath, result.message?.path);
    assert.equal(row.callerE164, CALLER);
    assert.equal(row.engine, 'fake');
    assert.deepEqual(h.metrics.decisions.map((d) => d.decision), ['granted']);
    assert.deepEqual(h.metrics.callsEnded, ['consent-granted']);
    assert.equal(result.consentEventId, ev.id);
    assert.equal(result.outboundMessageId, sms?.id);
  });

  test('the message recording beeps, ends on # or 3 s of silence, 120 s at most; the answer waits 5 s for speech, ends 1.5 s after it, 10 s at most', async () => {
    const h = createCallHarness({ settings: { messageMaxMs: 90_000 }, engineCapabilities: { waitsForSpeech: true } });
    const { leg } = await h.call({ says: ['hi', 'no'], recordingEnds: ['dtmf'] });
    assert.deepEqual(
      leg.recordOptions.map((o) => [o.maxDurationMs, o.maxSilenceMs, o.speechStartTimeoutMs, o.beep, o.terminateOnHash]),
      [
        [90_000, 3_000, undefined, true, true],
        [10_000, 1_500, 5_000, false, false],
      ],
    );
    assert.equal(new Set(leg.recordOptions.map((o) => o.name)).size, 2);
  });

  test('on an engine that cannot wait for speech, the answer ends only after 5 s of silence', async () => {
    const h = createCallHarness();
    const { leg } = await h.call({ says: ['hi', 'no'] });
    assert.deepEqual(leg.recordOptions.map((o) => [o.maxSilenceMs, o.speechStartTimeoutMs]).at(-1), [5_000, undefined]);
  });

  test('no: declined stored, goodbye without a promise to text, no text', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ says: ['call me back', 'no thanks'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-declined');
    assert.deepEqual(played, [GREETING, SCRIPT, BYE_NO]);
    assert.deepEqual(h.consentStore.events.map((e) => e.event), ['declined']);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('unclear twice: one reprompt, then `unclear` with both texts as played, no text', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ says: ['hello', 'hmm what', 'maybe'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-unclear');
    assert.deepEqual(played, [GREETING, SCRIPT, REPROMPT, BYE_NO]);
    const [ev] = h.consentStore.events;
    assert.equal(h.consentStore.events.length, 1);
    assert.equal(ev?.event, 'unclear');
    assert.equal(ev?.scriptText, `${SCRIPT}\n${REPROMPT}`);
    assert.equal(ev?.transcript, 'maybe');
    assert.equal(h.outbox.messages.length, 0);
  });

  test('unclear then yes: granted on the second answer, with its audio', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ says: ['hello', 'what was that', 'yeah sure'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(played, [GREETING, SCRIPT, REPROMPT, BYE_YES]);
    const [ev] = h.consentStore.events;
    assert.equal(ev?.event, 'granted');
    assert.equal(ev?.scriptText, `${SCRIPT}\n${REPROMPT}`);
    assert.equal(ev?.transcript, 'yeah sure');
    assert.equal(ev?.audioSha256, createHash('sha256').update(fakeSpeechWav('yeah sure')).digest('hex'));
    assert.equal(h.outbox.messages.length, 1);
  });

  test('the decision latency runs from the end of the answer to the stored decision', async () => {
    const h = createCallHarness({ transcriber: (clock) => ({ delay: { clock, ms: 700 } }) });
    const { leg, done } = h.start({ says: ['leak', 'yes'] });
    const result = await runToEnd(h.clock, done, 100);
    assertClean(h, leg, result);
    assert.equal(result.decisionLatencyMs, 700);
    assert.deepEqual(h.metrics.decisions, [{ decision: 'granted', latencyMs: 700 }]);
  });

  test('by default the first text names the issue only when the transcript is clear', async () => {
    const cases: Array<[string, string]> = [
      ['The toilet is overflowing, please hurry', 'We received your call about an overflowing toilet.'],
      ['Hi, this is Dan, call me back', 'We received your call.'],
      ["It's not leaking anymore but call me", 'We received your call.'],
    ];
    for (const [message, sentence] of cases) {
      const h = createCallHarness();
      await h.call({ says: [message, 'yes'] });
      assert.equal(h.outbox.messages[0]?.body, defaultFirstText(ACME, message));
      assert.ok(h.outbox.messages[0]?.body.includes(` ${sentence} Msg & data rates`), h.outbox.messages[0]?.body);
    }
  });

  test('the first text body comes from the injected renderer, with the message transcript', async () => {
    const seen: Array<string | null> = [];
    const h = createCallHarness({
      renderFirstText: (b, t) => {
        seen.push(t);
        return `${b.name}: got it`;
      },
    });
    await h.call({ says: ['water heater broke', 'yes'] });
    assert.deepEqual(seen, ['water heater broke']);
    assert.equal(h.outbox.messages[0]?.body, 'Acme Plumbing: got it');
  });

  test('a per-business greeting, and operator recordings for everything but the consent prompts', async () => {
    const biz = makeBusiness({ id: 1, name: 'Acme Plumbing', greeting: 'Acme here, leave a message.' });
    const h = createCallHarness({
      businesses: [biz],
      promptOverride: (_id, key) => (key === 'goodbye-granted' || key === 'consent' ? { file: `/operator/1/${key}.wav` } : null),
    });
    const { played } = await h.call({ says: ['leak', 'yes'] });
    assert.deepEqual(played, ['Acme here, leave a message.', SCRIPT, '/operator/1/goodbye-granted.wav']);
  });
});

describe('hangups', () => {
  const cases: Array<{ name: string; hangup: HangupPoint; outcome: string; ledger: string[]; texts: number; message: boolean }> = [
    { name: 'before the answer', hangup: { when: 'before-answer' }, outcome: 'no-message', ledger: [], texts: 0, message: false },
    { name: 'during the greeting', hangup: { when: 'during', ...VERBAL.greeting }, outcome: 'no-message', ledger: [], texts: 0, message: false },
    { name: 'during the message', hangup: { when: 'during', ...VERBAL.message }, outcome: 'caller-hung-up', ledger: [], texts: 0, message: true },
    { name: 'after the message', hangup: { when: 'after', ...VERBAL.message }, outcome: 'caller-hung-up', ledger: [], texts: 0, message: true },
    { name: 'during the consent question', hangup: { when: 'during', ...VERBAL.consent }, outcome: 'caller-hung-up', ledger: [], texts: 0, message: true },
    // The recording kept up to the hangup holds "yes please": a partial answer is still an answer.
    { name: 'during the answer, after a yes', hangup: { when: 'during', ...VERBAL.answer }, outcome: 'consent-granted', ledger: ['granted'], texts: 1, message: true },
    { name: 'after a complete yes', hangup: { when: 'after', ...VERBAL.answer }, outcome: 'consent-granted', ledger: ['granted'], texts: 1, message: true },
    { name: 'during the goodbye', hangup: { when: 'during', ...VERBAL.goodbye }, outcome: 'consent-granted', ledger: ['granted'], texts: 1, message: true },
  ];
  for (const c of cases) {
    test(`${c.name}: ${c.outcome}`, async () => {
      const h = createCallHarness();
      const { leg, result } = await h.call({ says: ['my sink is leaking', 'yes please'], hangup: c.hangup });
      assertClean(h, leg, result);
      assert.equal(result.outcome, c.outcome);
      assert.deepEqual(h.consentStore.events.map((e) => e.event), c.ledger);
      assert.equal(h.outbox.messages.length, c.texts);
      assert.equal(h.callLog.get(result.callId!).recordingPath !== null, c.message);
      if (c.message) assert.equal(h.callLog.get(result.callId!).transcript, 'my sink is leaking');
      assert.ok(!leg.up);
    });
  }

  test('during the reprompt: nothing stored, no text', async () => {
    const h = createCallHarness();
    const { leg, result } = await h.call({ says: ['leak', 'hmm', 'yes'], hangup: { when: 'during', ...VERBAL.reprompt } });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'caller-hung-up');
    assert.equal(h.consentStore.events.length, 0);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('during the answer to the reprompt: what was said decides (yes grants, no declines, nothing clear stores nothing)', async () => {
    const cases = [
      { says: 'yes', outcome: 'consent-granted', ledger: ['granted'], texts: 1 },
      { says: 'no', outcome: 'consent-declined', ledger: ['declined'], texts: 0 },
      { says: '', outcome: 'caller-hung-up', ledger: [], texts: 0 },
    ];
    for (const c of cases) {
      const h = createCallHarness();
      const { leg, result } = await h.call({ says: ['leak', 'hmm', c.says], hangup: { when: 'during', ...VERBAL.secondAnswer } });
      assertClean(h, leg, result);
      assert.equal(result.outcome, c.outcome, c.says);
      assert.deepEqual(h.consentStore.events.map((e) => e.event), c.ledger, c.says);
      assert.equal(h.outbox.messages.length, c.texts, c.says);
      // Message, first answer, and the cut answer: fetching is what deletes the engine's copy.
      assert.equal(leg.ops.filter((o) => o.op === 'fetchRecording').length, 3, `${c.says}: the cut answer is fetched`);
    }
  });

  test('during the first answer with nothing said: nothing stored, no text', async () => {
    const h = createCallHarness();
    const { leg, result } = await h.call({ says: ['my sink is leaking', ''], hangup: { when: 'during', ...VERBAL.answer } });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'caller-hung-up');
    assert.equal(h.consentStore.events.length, 0);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('a caller who hangs up mid-playback gets the playback stopped and the call cleaned up', async () => {
    const h = createCallHarness();
    const { leg, done } = h.start({ says: ['leak', 'yes'], silent: [{ op: 'play', nth: 0 }], bareHangup: true });
    await waitFor(() => leg.played.length > 0, { what: 'the first playback' });
    leg.callerHangsUp();
    const result = await done;
    assertClean(h, leg, result);
    assert.ok(leg.ops.some((o) => o.op === 'stopPlayback'));
    assert.equal(result.outcome, 'no-message');
  });
});

describe('callers who cannot be texted, and other routes', () => {
  test('anonymous: message taken, no consent question, no ledger, no text', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ callerId: 'anonymous', says: ['this is Bob at 512 555 0199'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'withheld-caller');
    assert.deepEqual(played, [GREETING, 'Thank you, we got your message. Goodbye.']);
    assert.equal(h.consentStore.events.length, 0);
    assert.equal(h.outbox.messages.length, 0);
    const row = h.callLog.get(result.callId!);
    assert.equal(row.callerE164, null);
    assert.equal(row.callerRaw, 'anonymous');
    assert.equal(row.transcript, 'this is Bob at 512 555 0199');
  });

  test('invalid caller ID (a SIP user name) is treated as withheld', async () => {
    const h = createCallHarness();
    const { result } = await h.call({ callerId: 'alice.smith', says: ['hi'] });
    assert.equal(result.outcome, 'withheld-caller');
    assert.equal(h.consentStore.events.length, 0);
  });

  test('unknown DID: generic greeting, message kept, outcome unknown-did', async () => {
    const h = createCallHarness();
    const { leg, result, played } = await h.call({ dialed: '+15125559999', says: ['hello?'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'unknown-did');
    assert.equal(played[0], GENERIC_GREETING);
    assert.equal(h.callLog.get(result.callId!).businessId, null);
    assert.equal(h.consentStore.events.length, 0);
  });

  test('the dialed number is normalized before the business lookup', async () => {
    const h = createCallHarness();
    const { result } = await h.call({ dialed: '5125550100', says: ['leak', 'yes'] });
    assert.equal(result.outcome, 'consent-granted');
    assert.equal(h.outbox.messages[0]?.from, '+15125550100');
  });
});

describe('implied mode', () => {
  const bolt = makeBusiness({ id: 2, name: 'Bolt Electric', dids: ['+15125550100'], consentMode: 'implied' });

  test('greet, take the message, `implied` event, one text, goodbye', async () => {
    const h = createCallHarness({ businesses: [bolt] });
    const { leg, result, played } = await h.call({ says: ['lights are out'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'implied-texted');
    assert.deepEqual(played, [defaultGreeting('Bolt Electric'), 'Thank you, we got your message. Bolt Electric will text you shortly. Goodbye.']);
    const [ev] = h.consentStore.events;
    assert.equal(ev?.event, 'implied');
    assert.equal(ev?.method, 'implied');
    assert.equal(ev?.scriptText, null);
    assert.equal(h.outbox.messages.length, 1);
    assert.equal(h.outbox.messages[0]?.consentEventId, ev?.id);
    assert.match(h.outbox.messages[0]?.body ?? '', /^Hi, this is Bolt Electric\. Sorry we missed your call\./);
  });

  test('a hangup during the message still gets the one text (consent came from placing the call)', async () => {
    const h = createCallHarness({ businesses: [bolt] });
    const { leg, result } = await h.call({ says: ['lights are'], hangup: { when: 'during', op: 'record', nth: 0 } });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'implied-texted');
    assert.equal(h.outbox.messages.length, 1);
    assert.equal(h.callLog.get(result.callId!).transcript, 'lights are');
  });

  test('a consumer who replied STOP is not texted again because they called', async () => {
    const h = createCallHarness({ businesses: [bolt] });
    h.consentStore.append({
      event: 'revoked', businessId: 2, did: '+15125550100', consumer: CALLER, method: 'sms-keyword', scriptVersion: null,
      scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'sms:1',
    });
    const { result } = await h.call({ says: ['lights are out'] });
    assert.equal(result.outcome, 'message-only');
    assert.equal(h.outbox.messages.length, 0);
    assert.deepEqual(h.consentStore.events.map((e) => e.event), ['revoked']);
  });
});

describe('failures', () => {
  test('message transcription fails: audio kept, call closed, consent still asked and honoured', async () => {
    const h = createCallHarness({ transcriber: { failOn: (p) => p === 'message' } });
    const { leg, result } = await h.call({ says: ['leak', 'yes'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    const row = h.callLog.get(result.callId!);
    assert.ok(row.recordingPath !== null && h.recordings.files.has(row.recordingPath));
    assert.equal(row.transcript, null);
    assert.equal(h.outbox.messages.length, 1);
  });

  test('answer transcription fails twice: unclear, never yes', async () => {
    const h = createCallHarness({ transcriber: { failOn: (p) => p === 'consent-answer' } });
    const { leg, result, played } = await h.call({ says: ['leak', 'yes', 'yes'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-unclear');
    assert.deepEqual(played, [GREETING, SCRIPT, REPROMPT, BYE_NO]);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('an answer transcription that never returns: unclear with the reason, no reprompt (it would wait on the same recognizer), no text', async () => {
    const h = createCallHarness({ transcriber: { hangOn: (p, n) => p === 'consent-answer' && n === 0 } });
    const { leg, done } = h.start({ says: ['leak', 'yes', 'yes'] });
    const result = await runToEnd(h.clock, done, 5_000);
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-unheard');
    assert.equal(h.callLog.get(result.callId!).outcome, 'consent-unheard');
    const [event] = h.consentStore.events;
    assert.equal(event?.event, 'unclear');
    assert.equal(event?.source, 'call: answer not transcribed (recognizer-timeout)');
    assert.equal(event?.scriptText, SCRIPT, 'asked once');
    assert.equal(h.outbox.messages.length, 0);
    const played = h.playedTexts(leg);
    assert.ok(!played.includes(REPROMPT));
    assert.equal(played.at(-1), renderPrompt('goodbye-unheard', ACME));
    assert.deepEqual(h.metrics.transcriptionFailures, [{ purpose: 'consent-answer', reason: 'timeout' }]);
  });

  test('an answer the recognizer refuses for saturation: unclear with the reason at once, no reprompt, no text', async () => {
    const h = createCallHarness({ transcriber: { failOn: (p) => p === 'consent-answer', failWith: 'SPEECH.SATURATED' } });
    const { leg, done } = h.start({ says: ['leak', 'yes', 'yes'] });
    const result = await runToEnd(h.clock, done, 5_000);
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-unheard');
    assert.equal(h.consentStore.events[0]?.source, 'call: answer not transcribed (recognizer-saturated)');
    assert.equal(h.transcriber.requests.filter((r) => r.purpose === 'consent-answer').length, 1, 'asked once');
    assert.equal(h.outbox.messages.length, 0);
    assert.deepEqual(h.metrics.transcriptionFailures, [{ purpose: 'consent-answer', reason: 'saturated' }]);
  });

  test('an engine error on the first answer is still asked again (only capacity failures skip the reprompt)', async () => {
    const h = createCallHarness({ transcriber: { failOn: (p, n) => p === 'consent-answer' && n === 0 } });
    const { leg, done } = h.start({ says: ['leak', 'mumble', 'yes'] });
    const result = await runToEnd(h.clock, done, 5_000);
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    assert.equal(h.consentStore.events[0]?.scriptText, `${SCRIPT}\n${REPROMPT}`);
    assert.equal(h.consentStore.events[0]?.source, 'call');
    assert.deepEqual(h.metrics.transcriptionFailures, [{ purpose: 'consent-answer', reason: 'error' }]);
  });

  test('a low-confidence yes is unclear', async () => {
    const h = createCallHarness({ transcriber: { confidence: 0.2 } });
    const { result } = await h.call({ says: ['leak', 'yes', 'yes'] });
    assert.equal(result.outcome, 'consent-unclear');
  });

  test('the engine never reports the end of the greeting or of the message: safety timers move on', async () => {
    const h = createCallHarness();
    const { leg, done } = h.start({ says: ['leak', 'yes'], silent: [{ op: 'play', nth: 0 }, { op: 'record', nth: 0 }] });
    const result = await runToEnd(h.clock, done, 5_000);
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    assert.ok(leg.ops.some((o) => o.op === 'stopPlayback') && leg.ops.some((o) => o.op === 'stopRecording'));
  });

  test('play rejects (engine error): the call is hung up, closed as failed, nothing stored', async () => {
    const h = createCallHarness();
    const { leg, result } = await h.call({ says: ['leak', 'yes'], failures: [{ op: 'play', nth: 1 }] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'failed');
    assert.ok(leg.ops.at(-1)?.op === 'hangup');
    assert.equal(h.consentStore.events.length, 0);
    assert.ok(h.callLog.get(result.callId!).recordingPath !== null, 'the message is still kept');
  });

  test('play rejects because the channel is gone: recorded as a hangup', async () => {
    const h = createCallHarness();
    const { leg, result } = await h.call({ says: ['leak', 'yes'], failures: [{ op: 'play', nth: 1, error: 'gone' }] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'caller-hung-up');
  });

  test('answer rejects: failed, and no operation is tried after the hangup', async () => {
    const h = createCallHarness();
    const { leg, result } = await h.call({ failures: [{ op: 'answer' }] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(leg.ops.map((o) => o.op), ['answer', 'hangup']);
  });

  test('a consent prompt that fails to play (broken file) ends the call without asking', async () => {
    const h = createCallHarness();
    const { leg, done } = h.start({ says: ['leak', 'yes'], playbackEnds: ['done', 'failed'] });
    const result = await runToEnd(h.clock, done, 500);
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'failed');
    assert.equal(leg.recordOptions.length, 1);
  });

  test('prompt synthesis fails: failed, cleaned up', async () => {
    const h = createCallHarness({ synthesizerFailOn: (t) => t.startsWith('Thanks for calling') });
    const { leg, result } = await h.call({ says: ['leak', 'yes'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'failed');
  });

  test('the ledger refuses the write: no text, no promise of one, outcome failed', async () => {
    const h = createCallHarness();
    h.consentStore.failNext = 1;
    const { leg, result, played } = await h.call({ says: ['leak', 'yes'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'failed');
    assert.equal(played.at(-1), BYE_NO);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('the recording cannot be fetched: the call goes on, no message, answer unclear', async () => {
    const h = createCallHarness({ recordingFailOn: (name) => name.includes('message') });
    const { leg, result } = await h.call({ says: ['leak', 'yes'] });
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'consent-granted');
    assert.equal(h.callLog.get(result.callId!).recordingPath, null);
  });

  test('the call row cannot be opened: the caller is hung up, nothing else happens', async () => {
    const h = createCallHarness();
    h.callLog.failOpen = true;
    const { leg, result } = await h.call({ says: ['leak'] });
    assert.equal(result.callId, null);
    assert.equal(result.outcome, 'failed');
    assert.deepEqual(leg.ops.map((o) => o.op), ['hangup']);
  });

  test('abortAll (service shutdown) hangs up the calls in progress: interrupted', async () => {
    const h = createCallHarness();
    const { leg, done } = h.start({ says: ['leak', 'yes'], silent: [{ op: 'record', nth: 0 }] });
    await waitFor(() => leg.recordOptions.length > 0, { what: 'the first recording to start' });
    assert.equal(h.runner.active(), 1);
    await h.runner.abortAll();
    const result = await done;
    assertClean(h, leg, result);
    assert.equal(result.outcome, 'interrupted');
    assert.equal(h.runner.active(), 0);
    assert.ok(h.callLog.get(result.callId!).recordingPath !== null, 'the partial message is kept');
  });
});
