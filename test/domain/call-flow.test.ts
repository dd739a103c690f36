import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallCommand } from '../../src/domain/call-flow/call-commands.ts';
import type { CallEvent } from '../../src/domain/call-flow/call-events.ts';
import { initialCallState, type CallFlowState, type CallRoute } from '../../src/domain/call-flow/call-state.ts';
import { transition } from '../../src/domain/call-flow/call-transition.ts';
import { routeCall } from '../../src/domain/call-flow/call-route.ts';
import { renderPrompt, repromptText } from '../../src/domain/call-flow/prompts.ts';
import { renderConsentScript } from '../../src/domain/consent-script.ts';
import { parseCallerId } from '../../src/domain/phone-number.ts';
import type { ConsentDecision } from '../../src/domain/ports/consent-classifier.ts';
import { brief } from './call-flow-fixtures.ts';
import { makeBusiness } from '../fakes/in-memory-business-directory.ts';

/**
 * Drives the pure machine with a tiny executor: each command's natural result comes back as an event,
 * in an order chosen by `pick` (so tests can shuffle), with `hangupAfter` events injecting a hangup.
 */
function drive(
  route: CallRoute,
  opts: { answers?: ConsentDecision[]; hangupAfter?: number; pick?: (n: number) => number; maxSteps?: number; waitsForSpeech?: boolean } = {},
): { state: CallFlowState; log: string[]; commands: CallCommand[] } {
  let state = initialCallState(route, undefined, { waitsForSpeech: opts.waitsForSpeech ?? false });
  const pending: CallEvent[] = [{ type: 'start' }];
  const log: string[] = [];
  const commands: CallCommand[] = [];
  const answers = [...(opts.answers ?? [])];
  let steps = 0;
  let hungUp = false;
  while (pending.length > 0 && state.phase !== 'ended') {
    if (++steps > (opts.maxSteps ?? 200)) throw new Error('flow did not end');
    if (!hungUp && opts.hangupAfter !== undefined && steps > opts.hangupAfter) {
      hungUp = true;
      pending.unshift({ type: 'hangup' });
    }
    const i = opts.pick?.(pending.length) ?? 0;
    const [event] = pending.splice(i, 1);
    if (event === undefined) break;
    const r = transition(state, event);
    state = r.next;
    for (const c of r.commands) {
      commands.push(c);
      log.push(brief(c));
      const result = resultOf(c, answers, state);
      if (result !== null) pending.push(result);
    }
  }
  return { state, log, commands };
}

function resultOf(c: CallCommand, answers: ConsentDecision[], state: CallFlowState): CallEvent | null {
  switch (c.type) {
    case 'answer':
      return { type: 'answered' };
    case 'play':
      return state.line === 'up' ? { type: 'playback-finished', prompt: c.prompt, outcome: 'done' } : null;
    case 'record':
      return { type: 'recording-finished', purpose: c.purpose, end: 'silence' };
    case 'collectRecording':
      return { type: 'recording-collected', purpose: c.purpose, ok: true };
    case 'transcribe':
      return { type: 'transcribed', purpose: c.purpose };
    case 'classify':
      return { type: 'classified', decision: answers.shift() ?? 'unclear' };
    case 'saveConsent':
      return { type: 'consent-saved' };
    case 'queueSms':
      return { type: 'sms-queued' };
    case 'hangup':
      return { type: 'hangup' };
    default:
      return null;
  }
}

describe('call flow paths', () => {
  test('verbal yes: greeting, message, script, answer, ledger, text, goodbye', () => {
    const { state, log } = drive('verbal', { answers: ['granted'] });
    assert.equal(state.outcome, 'consent-granted');
    const main = log.filter((c) => !c.startsWith('startTimer') && !c.startsWith('cancelTimer'));
    assert.deepEqual(main, [
      'answer',
      'play:greeting',
      'record:message1',
      'collectRecording:message',
      'play:consent',
      'transcribe:message',
      'record:answer1',
      'collectRecording:answer',
      'transcribe:answer',
      'classify',
      'saveConsent:granted',
      'queueSms',
      'play:goodbye-granted',
      'hangup',
      'closeCall:consent-granted',
    ]);
  });

  test('record options come from the settings: an engine that waits for speech gives the caller 5 s to start answering', () => {
    const { commands } = drive('verbal', { answers: ['declined'], waitsForSpeech: true });
    const records = commands.filter((c) => c.type === 'record');
    assert.deepEqual(
      records.map((r) => [r.purpose, r.maxDurationMs, r.maxSilenceMs, r.speechStartTimeoutMs, r.beep, r.terminateOnHash]),
      [
        ['message', 120_000, 3_000, 0, true, true],
        ['answer', 10_000, 1_500, 5_000, false, false],
      ],
    );
  });

  test('an engine that cannot wait for speech counts silence from the start, so the answer allows the 5 s pause', () => {
    const { commands } = drive('verbal', { answers: ['declined'], waitsForSpeech: false });
    const answer = commands.find((c) => c.type === 'record' && c.purpose === 'answer');
    assert.ok(answer?.type === 'record');
    assert.deepEqual([answer.maxSilenceMs, answer.speechStartTimeoutMs], [5_000, 0]);
  });

  test('verbal no: declined stored, no text', () => {
    const { state, log } = drive('verbal', { answers: ['declined'] });
    assert.equal(state.outcome, 'consent-declined');
    assert.ok(log.includes('saveConsent:declined') && log.includes('play:goodbye-declined'));
    assert.ok(!log.includes('queueSms'));
  });

  test('unclear twice: reprompt once, then unclear stored, no text', () => {
    const { state, log } = drive('verbal', { answers: ['unclear', 'unclear'] });
    assert.equal(state.outcome, 'consent-unclear');
    assert.equal(log.filter((c) => c === 'play:reprompt').length, 1);
    assert.ok(log.includes('record:answer2') && log.includes('saveConsent:unclear') && log.includes('play:goodbye-declined'));
    assert.ok(!log.includes('queueSms'));
  });

  test('unclear then yes: granted after the reprompt', () => {
    const { state, log } = drive('verbal', { answers: ['unclear', 'granted'] });
    assert.equal(state.outcome, 'consent-granted');
    assert.ok(log.indexOf('saveConsent:granted') < log.indexOf('queueSms'));
  });

  test('implied: no question, implied event then one text', () => {
    const { state, log } = drive('implied');
    assert.equal(state.outcome, 'implied-texted');
    assert.ok(!log.includes('play:consent'));
    assert.ok(log.indexOf('saveConsent:implied') < log.indexOf('queueSms'));
    assert.ok(log.includes('play:goodbye-implied'));
  });

  for (const route of ['withheld', 'unknown-did', 'not-textable'] as const) {
    test(`${route}: message only, no ledger, no text`, () => {
      const { state, log } = drive(route);
      assert.ok(!log.some((c) => c.startsWith('saveConsent') || c === 'queueSms' || c === 'play:consent'));
      assert.ok(log.includes('record:message1') && log.includes('play:goodbye-message'));
      assert.equal(state.outcome, { withheld: 'withheld-caller', 'unknown-did': 'unknown-did', 'not-textable': 'message-only' }[route]);
    });
  }

  test('a hangup at any step ends the call, with every rule kept, in any event order', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (const route of ['verbal', 'implied', 'withheld'] as const) {
      for (let hangupAfter = 0; hangupAfter < 30; hangupAfter++) {
        for (let round = 0; round < 5; round++) {
          const first: ConsentDecision[] = ['granted', 'declined', 'unclear'];
          const second: ConsentDecision[] = ['granted', 'unclear'];
          const answers = [first[rand(3)] ?? 'unclear', second[rand(2)] ?? 'unclear'];
          const { state, log } = drive(route, { answers, hangupAfter, pick: round === 0 ? undefined : rand });
          const at = `${route} hangup after ${hangupAfter}, round ${round}`;
          assert.equal(state.phase, 'ended', at);
          assert.deepEqual(state.timers, [], at);
          assert.equal(log.filter((c) => c.startsWith('closeCall')).length, 1, at);
          const q = log.indexOf('queueSms');
          if (q >= 0) {
            const save = log.findIndex((c) => c === 'saveConsent:granted' || c === 'saveConsent:implied');
            assert.ok(save >= 0 && save < q, at);
          }
          if (route === 'withheld') assert.ok(!log.some((c) => c.startsWith('saveConsent')), at);
          // Implied consent comes from placing the call: the text goes out whenever the caller hung up.
          if (route === 'implied') assert.equal(state.outcome, 'implied-texted', at);
        }
      }
    }
  });
});

describe('hangups in verbal mode', () => {
  function stepTo(events: CallEvent[]): CallFlowState {
    let s = initialCallState('verbal');
    for (const e of events) s = transition(s, e).next;
    return s;
  }
  const toMessage: CallEvent[] = [{ type: 'start' }, { type: 'answered' }, { type: 'playback-finished', prompt: 'greeting', outcome: 'done' }];

  test('during the message: the message is collected, then no consent and no text', () => {
    let s = stepTo(toMessage);
    const r = transition(s, { type: 'hangup' });
    assert.deepEqual(r.commands.map(brief).filter((c) => !c.includes('Timer')), ['stopRecording', 'collectRecording:message']);
    s = r.next;
    s = transition(s, { type: 'recording-collected', purpose: 'message', ok: true }).next;
    const end = transition(s, { type: 'transcribed', purpose: 'message' });
    assert.equal(end.next.outcome, 'caller-hung-up');
    assert.ok(!end.commands.some((c) => c.type === 'saveConsent' || c.type === 'queueSms'));
  });

  test('after a complete yes, a hangup before the decision still stores it and texts', () => {
    let s = stepTo([
      ...toMessage,
      { type: 'recording-finished', purpose: 'message', end: 'silence' },
      { type: 'recording-collected', purpose: 'message', ok: true },
      { type: 'transcribed', purpose: 'message' },
      { type: 'playback-finished', prompt: 'consent', outcome: 'done' },
      { type: 'recording-finished', purpose: 'answer', end: 'silence' },
      { type: 'hangup' },
      { type: 'recording-collected', purpose: 'answer', ok: true },
      { type: 'transcribed', purpose: 'answer' },
    ]);
    const r = transition(s, { type: 'classified', decision: 'granted' });
    assert.deepEqual(r.commands.map(brief), ['saveConsent:granted']);
    s = r.next;
    const saved = transition(s, { type: 'consent-saved' });
    assert.deepEqual(saved.commands.map(brief), ['queueSms']);
    assert.equal(transition(saved.next, { type: 'sms-queued' }).next.outcome, 'consent-granted');
  });

  const toAnswer: CallEvent[] = [
    ...toMessage,
    { type: 'recording-finished', purpose: 'message', end: 'silence' },
    { type: 'recording-collected', purpose: 'message', ok: true },
    { type: 'transcribed', purpose: 'message' },
    { type: 'playback-finished', prompt: 'consent', outcome: 'done' },
  ];

  /** The answer recording ends with the caller's hangup; what was recorded is collected and judged. */
  function cutAnswer(decision: ConsentDecision, before: CallEvent[] = []): { commands: string[]; state: CallFlowState } {
    let s = stepTo([...toAnswer, ...before]);
    assert.equal(s.phase, 'recording-answer');
    const cut = transition(s, { type: 'recording-finished', purpose: 'answer', end: 'hangup' });
    const commands = cut.commands.map(brief);
    s = cut.next;
    for (const e of [
      { type: 'hangup' },
      { type: 'recording-collected', purpose: 'answer', ok: true },
      { type: 'transcribed', purpose: 'answer' },
      { type: 'classified', decision },
    ] as CallEvent[]) {
      const r = transition(s, e);
      commands.push(...r.commands.map(brief));
      s = r.next;
    }
    for (const e of [{ type: 'consent-saved' }, { type: 'sms-queued' }] as CallEvent[]) {
      const r = transition(s, e);
      if (r.ignored === undefined) {
        commands.push(...r.commands.map(brief));
        s = r.next;
      }
    }
    return { commands: commands.filter((c) => !c.includes('Timer')), state: s };
  }

  test('a hangup right after "yes" cuts the answer: what was recorded is judged, a clear yes grants and texts', () => {
    const { commands, state } = cutAnswer('granted');
    assert.deepEqual(commands, ['collectRecording:answer', 'transcribe:answer', 'classify', 'saveConsent:granted', 'queueSms', 'closeCall:consent-granted']);
    assert.equal(state.outcome, 'consent-granted');
  });

  test('a hangup during "no" declines', () => {
    const { commands, state } = cutAnswer('declined');
    assert.ok(commands.includes('saveConsent:declined') && !commands.includes('queueSms'));
    assert.equal(state.outcome, 'consent-declined');
  });

  test('a hangup with nothing clear said decides nothing, on the first answer and on the answer to the reprompt', () => {
    const first = cutAnswer('unclear');
    assert.ok(!first.commands.some((c) => c.startsWith('saveConsent') || c === 'queueSms'), first.commands.join(' '));
    assert.equal(first.state.outcome, 'caller-hung-up');
    // The reprompt's answer is the final attempt; cut short and unclear, it still stores nothing.
    const second = cutAnswer('unclear', [
      { type: 'recording-finished', purpose: 'answer', end: 'silence' },
      { type: 'recording-collected', purpose: 'answer', ok: true },
      { type: 'transcribed', purpose: 'answer' },
      { type: 'classified', decision: 'unclear' },
      { type: 'playback-finished', prompt: 'reprompt', outcome: 'done' },
    ]);
    assert.ok(!second.commands.some((c) => c.startsWith('saveConsent') || c === 'queueSms'), second.commands.join(' '));
    assert.equal(second.state.outcome, 'caller-hung-up');
  });

  test('a hangup reported before the recording ends also collects and judges the answer', () => {
    let s = stepTo(toAnswer);
    const r = transition(s, { type: 'hangup' });
    assert.deepEqual(r.commands.map(brief).filter((c) => !c.includes('Timer')), ['stopRecording', 'collectRecording:answer']);
    s = r.next;
    assert.equal(s.answerCut, true);
    s = transition(s, { type: 'recording-collected', purpose: 'answer', ok: false }).next;
    assert.equal(s.outcome, 'caller-hung-up', 'an answer that cannot be fetched is no answer');
  });

  test('a failed consent prompt waits for the hangup that usually follows', () => {
    let s = stepTo([
      ...toMessage,
      { type: 'recording-finished', purpose: 'message', end: 'silence' },
      { type: 'recording-collected', purpose: 'message', ok: true },
      { type: 'transcription-failed', purpose: 'message' },
    ]);
    s = transition(s, { type: 'playback-finished', prompt: 'consent', outcome: 'failed' }).next;
    assert.equal(s.phase, 'prompt-failed');
    assert.equal(transition(s, { type: 'hangup' }).next.outcome, 'caller-hung-up');
    const settle = transition(s, { type: 'timeout', timer: 'settle' });
    assert.equal(settle.next.phase, 'hanging-up');
    assert.equal(transition(settle.next, { type: 'hangup' }).next.outcome, 'failed');
  });

  test('a stale timeout is ignored', () => {
    const s = stepTo([{ type: 'start' }]);
    const r = transition(s, { type: 'timeout', timer: 'prompt' });
    assert.ok(r.ignored !== undefined);
  });
});

describe('routing and prompts', () => {
  const verbal = makeBusiness({ id: 1, name: 'Acme Plumbing' });
  const implied = makeBusiness({ id: 2, name: 'Bolt Electric', consentMode: 'implied' });
  const mobile = parseCallerId('+15125550123');

  test('routes', () => {
    assert.equal(routeCall({ business: undefined, callerId: mobile, priorConsent: null }), 'unknown-did');
    assert.equal(routeCall({ business: verbal, callerId: parseCallerId('anonymous'), priorConsent: null }), 'withheld');
    assert.equal(routeCall({ business: verbal, callerId: parseCallerId('alice.smith'), priorConsent: null }), 'withheld');
    assert.equal(routeCall({ business: verbal, callerId: parseCallerId('+18005550199'), priorConsent: null }), 'not-textable');
    assert.equal(routeCall({ business: verbal, callerId: mobile, priorConsent: 'revoked' }), 'verbal');
    assert.equal(routeCall({ business: implied, callerId: mobile, priorConsent: 'none' }), 'implied');
    assert.equal(routeCall({ business: implied, callerId: mobile, priorConsent: 'revoked' }), 'not-textable');
  });

  test('prompt texts', () => {
    assert.equal(renderPrompt('consent', verbal), renderConsentScript('Acme Plumbing'));
    assert.ok(renderPrompt('consent', verbal).includes('would it be okay if Acme Plumbing texts you'));
    assert.equal(renderPrompt('reprompt', verbal), repromptText('Acme Plumbing'));
    assert.equal(renderPrompt('reprompt', verbal), "Sorry, I didn't catch that. May Acme Plumbing text you about your request? Please say yes or no.");
    assert.equal(renderPrompt('goodbye-granted', verbal), 'Great, Acme Plumbing will text you shortly. Goodbye.');
    assert.equal(renderPrompt('goodbye-declined', verbal), "No problem, we won't text you; Acme Plumbing will call you back. Goodbye.");
    assert.match(renderPrompt('greeting', verbal), /^Thanks for calling Acme Plumbing\. We can't come to the phone right now\./);
    assert.equal(renderPrompt('greeting', { name: 'X', greeting: 'Hello from X.' }), 'Hello from X.');
    assert.doesNotMatch(renderPrompt('greeting', null), /Acme/);
  });
});
