import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { transition } from '../../src/domain/call-flow/call-transition.ts';
import { CALL_EVENT_TYPES } from '../../src/domain/call-flow/call-events.ts';
import { CALL_PHASES } from '../../src/domain/call-flow/call-state.ts';
import { EVENTS, STATES, brief } from './call-flow-fixtures.ts';

/**
 * The call flow as a table: every representative state × every event sample. Each
 * cell listed here is `next phase | commands`; every cell not listed must be ignored (same state, no
 * commands, an `ignored` reason). Read a row as the spec of that state. States without an emergency
 * instruction (urgency `off`) ignore `urgency-assessed`: nothing is waited for and nothing extra is played.
 */
const TABLE: Record<string, Record<string, string>> = {
  'ringing': {
    'start': 'answering | startTimer:call answer',
    'hangup': 'ended | closeCall:no-message',
    'op-failed play': 'hanging-up | hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | hangup startTimer:hangup',
    'abort': 'hanging-up | hangup startTimer:hangup',
  },
  'answering': {
    'answered': 'greeting | play:greeting startTimer:prompt',
    'hangup': 'ended | cancelTimer:call closeCall:no-message',
    'op-failed play': 'hanging-up | hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | hangup startTimer:hangup',
    'abort': 'hanging-up | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'greeting': {
    'pf greeting': 'recording-message | cancelTimer:prompt record:message1 startTimer:recording',
    'pf greeting failed': 'recording-message | cancelTimer:prompt record:message1 startTimer:recording',
    'hangup': 'ended | stopPlayback cancelTimer:prompt cancelTimer:call closeCall:no-message',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:failed',
    'to prompt': 'recording-message | stopPlayback record:message1 startTimer:recording',
  },
  'recording-message': {
    'rf message': 'asking | cancelTimer:recording collectRecording:message play:consent startTimer:prompt',
    'rf message dtmf': 'asking | cancelTimer:recording collectRecording:message play:consent startTimer:prompt',
    'rf message failed': 'asking | cancelTimer:recording play:consent startTimer:prompt',
    'rf message hangup': 'winding-down | cancelTimer:recording collectRecording:message',
    'dtmf': 'recording-message | ',
    'hangup': 'winding-down | stopRecording cancelTimer:recording collectRecording:message',
    'op-failed play': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'abort': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'to call': 'ended | stopRecording cancelTimer:recording collectRecording:message hangup closeCall:failed',
    'to recording': 'asking | stopRecording collectRecording:message play:consent startTimer:prompt',
  },
  'asking': {
    'pf consent': 'recording-answer | cancelTimer:prompt record:answer1 startTimer:recording',
    'pf consent failed': 'prompt-failed | cancelTimer:prompt startTimer:settle',
    'hangup': 'ended | stopPlayback cancelTimer:prompt cancelTimer:call closeCall:caller-hung-up',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:failed',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
  },
  'asking/message-transcribing': {
    'pf consent': 'recording-answer | cancelTimer:prompt record:answer1 startTimer:recording',
    'pf consent failed': 'prompt-failed | cancelTimer:prompt startTimer:settle',
    'tr message': 'asking | cancelTimer:transcribe-message',
    'tf message': 'asking | cancelTimer:transcribe-message',
    'hangup': 'winding-down | stopPlayback cancelTimer:prompt',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup cancelTimer:transcribe-message closeCall:failed',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
    'to transcribe-message': 'asking | ',
  },
  'asking/message-collecting': {
    'pf consent': 'recording-answer | cancelTimer:prompt record:answer1 startTimer:recording',
    'pf consent failed': 'prompt-failed | cancelTimer:prompt startTimer:settle',
    'rc message': 'asking | transcribe:message startTimer:transcribe-message',
    'rc message !ok': 'asking | ',
    'hangup': 'winding-down | stopPlayback cancelTimer:prompt',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:failed',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
  },
  'asking/reprompt': {
    'pf reprompt': 'recording-answer | cancelTimer:prompt record:answer2 startTimer:recording',
    'hangup': 'ended | stopPlayback cancelTimer:prompt cancelTimer:call closeCall:caller-hung-up',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:failed',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
  },
  'recording-answer': {
    'rf answer': 'collecting-answer | cancelTimer:recording collectRecording:answer',
    'rf answer failed': 'asking | cancelTimer:recording play:reprompt startTimer:prompt',
    // The call ending cuts the answer short: what was recorded is collected and judged.
    'rf answer hangup': 'collecting-answer | cancelTimer:recording collectRecording:answer',
    'dtmf': 'recording-answer | ',
    'hangup': 'collecting-answer | stopRecording cancelTimer:recording collectRecording:answer',
    'op-failed play': 'collecting-answer | stopRecording cancelTimer:recording collectRecording:answer hangup startTimer:hangup',
    'op-failed hangup': 'collecting-answer | stopRecording cancelTimer:recording collectRecording:answer hangup startTimer:hangup',
    'abort': 'collecting-answer | stopRecording cancelTimer:recording collectRecording:answer hangup startTimer:hangup',
    'to call': 'ended | stopRecording cancelTimer:recording hangup closeCall:failed',
    'to recording': 'collecting-answer | stopRecording collectRecording:answer',
  },
  'collecting-answer': {
    'rc answer': 'transcribing-answer | transcribe:answer startTimer:transcribe-answer',
    'rc answer !ok': 'asking | play:reprompt startTimer:prompt',
    'hangup': 'collecting-answer | ',
    'op-failed play': 'collecting-answer | hangup startTimer:hangup',
    'op-failed hangup': 'collecting-answer | hangup startTimer:hangup',
    'abort': 'collecting-answer | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'transcribing-answer': {
    'tr answer': 'classifying | cancelTimer:transcribe-answer classify',
    'tf answer': 'asking | cancelTimer:transcribe-answer play:reprompt startTimer:prompt',
    // No capacity for the answer: no reprompt (it would fail the same way), unclear with the reason.
    'tf answer saturated': 'storing-decision | cancelTimer:transcribe-answer saveConsent:unclear(recognizer-saturated)',
    'hangup': 'transcribing-answer | ',
    'op-failed play': 'transcribing-answer | hangup startTimer:hangup',
    'op-failed hangup': 'transcribing-answer | hangup startTimer:hangup',
    'abort': 'transcribing-answer | hangup startTimer:hangup',
    'to call': 'ended | hangup cancelTimer:transcribe-answer closeCall:failed',
    'to transcribe-answer': 'storing-decision | cancelTranscription:answer saveConsent:unclear(recognizer-timeout)',
  },
  'classifying': {
    'cl granted': 'storing-decision | saveConsent:granted',
    'cl declined': 'storing-decision | saveConsent:declined',
    'cl unclear': 'asking | play:reprompt startTimer:prompt',
    'hangup': 'classifying | ',
    'op-failed play': 'classifying | hangup startTimer:hangup',
    'op-failed hangup': 'classifying | hangup startTimer:hangup',
    'abort': 'classifying | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'classifying/second': {
    'cl granted': 'storing-decision | saveConsent:granted',
    'cl declined': 'storing-decision | saveConsent:declined',
    'cl unclear': 'storing-decision | saveConsent:unclear',
    'hangup': 'classifying | ',
    'op-failed play': 'classifying | hangup startTimer:hangup',
    'op-failed hangup': 'classifying | hangup startTimer:hangup',
    'abort': 'classifying | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'classifying/line-down': {
    'cl granted': 'storing-decision | saveConsent:granted',
    'cl declined': 'storing-decision | saveConsent:declined',
    'cl unclear': 'ended | cancelTimer:call closeCall:caller-hung-up',
    'hangup': 'classifying | ',
    'to call': 'ended | closeCall:failed',
  },
  // A cut answer (the caller hung up while answering the reprompt): clear words decide, unclear ones do not.
  'classifying/cut': {
    'cl granted': 'storing-decision | saveConsent:granted',
    'cl declined': 'storing-decision | saveConsent:declined',
    'cl unclear': 'ended | cancelTimer:call closeCall:caller-hung-up',
    'hangup': 'classifying | ',
    'to call': 'ended | closeCall:failed',
  },
  'storing-decision': {
    'consent-saved': 'goodbye | queueSms play:goodbye-granted startTimer:prompt',
    'consent-save-failed': 'goodbye | play:goodbye-declined startTimer:prompt',
    'consent-superseded': 'goodbye | play:goodbye-declined startTimer:prompt',
    'hangup': 'storing-decision | ',
    'op-failed play': 'storing-decision | hangup startTimer:hangup',
    'op-failed hangup': 'storing-decision | hangup startTimer:hangup',
    'abort': 'storing-decision | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'storing-decision/line-down': {
    'consent-saved': 'winding-down | queueSms',
    'consent-save-failed': 'ended | cancelTimer:call closeCall:failed',
    'consent-superseded': 'ended | cancelTimer:call closeCall:caller-hung-up',
    'hangup': 'storing-decision | ',
    'to call': 'ended | closeCall:failed',
  },
  'goodbye': {
    'pf goodbye-granted': 'hanging-up | cancelTimer:prompt hangup startTimer:hangup',
    'sms-queued': 'goodbye | ',
    'sms-failed': 'goodbye | ',
    'hangup': 'winding-down | stopPlayback cancelTimer:prompt',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:consent-granted',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
  },
  'goodbye/implied': {
    'pf goodbye-implied': 'hanging-up | cancelTimer:prompt hangup startTimer:hangup',
    'tr message': 'goodbye | cancelTimer:transcribe-message',
    'tf message': 'goodbye | cancelTimer:transcribe-message',
    'consent-saved': 'goodbye | ',
    'consent-save-failed': 'goodbye | ',
    'consent-superseded': 'goodbye | ',
    'hangup': 'winding-down | stopPlayback cancelTimer:prompt',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup cancelTimer:transcribe-message closeCall:failed',
    'to prompt': 'hanging-up | stopPlayback hangup startTimer:hangup',
    'to transcribe-message': 'goodbye | ',
  },
  // Urgency: the business has an emergency instruction, so the goodbye may wait for the judgement.
  'storing-decision/urgent': {
    'consent-saved': 'emergency | play:emergency startTimer:prompt',
    'consent-save-failed': 'emergency | play:emergency startTimer:prompt',
    'consent-superseded': 'emergency | play:emergency startTimer:prompt',
    'hangup': 'storing-decision | ',
    'op-failed play': 'storing-decision | hangup startTimer:hangup',
    'op-failed hangup': 'storing-decision | hangup startTimer:hangup',
    'abort': 'storing-decision | hangup startTimer:hangup',
    'to call': 'ended | hangup closeCall:failed',
  },
  'storing-decision/message-transcribing': {
    'tr message': 'storing-decision | cancelTimer:transcribe-message',
    'tf message': 'storing-decision | cancelTimer:transcribe-message',
    'urgency urgent': 'storing-decision | ',
    'urgency calm': 'storing-decision | ',
    'consent-saved': 'awaiting-urgency | startTimer:urgency',
    'consent-save-failed': 'awaiting-urgency | startTimer:urgency',
    'consent-superseded': 'awaiting-urgency | startTimer:urgency',
    'hangup': 'storing-decision | ',
    'op-failed play': 'storing-decision | hangup startTimer:hangup',
    'op-failed hangup': 'storing-decision | hangup startTimer:hangup',
    'abort': 'storing-decision | hangup startTimer:hangup',
    'to call': 'ended | hangup cancelTimer:transcribe-message closeCall:failed',
    'to transcribe-message': 'storing-decision | ',
  },
  'recording-message/implied-instruction': {
    'rf message': 'awaiting-urgency | cancelTimer:recording collectRecording:message saveConsent:implied startTimer:urgency',
    'rf message dtmf': 'awaiting-urgency | cancelTimer:recording collectRecording:message saveConsent:implied startTimer:urgency',
    'rf message failed': 'goodbye | cancelTimer:recording saveConsent:implied play:goodbye-implied startTimer:prompt',
    'rf message hangup': 'winding-down | cancelTimer:recording collectRecording:message saveConsent:implied',
    'urgency urgent': 'recording-message | ',
    'urgency calm': 'recording-message | ',
    'dtmf': 'recording-message | ',
    'hangup': 'winding-down | stopRecording cancelTimer:recording collectRecording:message saveConsent:implied',
    'op-failed play': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'abort': 'hanging-up | stopRecording cancelTimer:recording collectRecording:message hangup startTimer:hangup',
    'to call': 'ended | stopRecording cancelTimer:recording collectRecording:message hangup closeCall:failed',
    'to recording': 'awaiting-urgency | stopRecording collectRecording:message saveConsent:implied startTimer:urgency',
  },
  'awaiting-urgency': {
    'tr message': 'goodbye | cancelTimer:transcribe-message queueSms cancelTimer:urgency play:goodbye-granted startTimer:prompt',
    'tf message': 'goodbye | cancelTimer:transcribe-message queueSms cancelTimer:urgency play:goodbye-granted startTimer:prompt',
    'urgency urgent': 'emergency | cancelTimer:urgency play:emergency startTimer:prompt',
    'urgency calm': 'goodbye | cancelTimer:urgency play:goodbye-granted startTimer:prompt',
    'hangup': 'winding-down | cancelTimer:urgency',
    'op-failed play': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'abort': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'to call': 'ended | cancelTimer:urgency hangup cancelTimer:transcribe-message closeCall:consent-granted',
    'to transcribe-message': 'goodbye | queueSms cancelTimer:urgency play:goodbye-granted startTimer:prompt',
    'to urgency': 'goodbye | play:goodbye-granted startTimer:prompt',
  },
  'awaiting-urgency/implied-collecting': {
    'rc message': 'awaiting-urgency | transcribe:message startTimer:transcribe-message',
    'rc message !ok': 'goodbye | cancelTimer:urgency play:goodbye-implied startTimer:prompt',
    'urgency urgent': 'emergency | cancelTimer:urgency play:emergency startTimer:prompt',
    'urgency calm': 'goodbye | cancelTimer:urgency play:goodbye-implied startTimer:prompt',
    'consent-saved': 'awaiting-urgency | ',
    'consent-save-failed': 'awaiting-urgency | ',
    'consent-superseded': 'awaiting-urgency | ',
    'hangup': 'winding-down | cancelTimer:urgency',
    'op-failed play': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'abort': 'hanging-up | cancelTimer:urgency hangup startTimer:hangup',
    'to call': 'ended | cancelTimer:urgency hangup closeCall:failed',
    'to urgency': 'goodbye | play:goodbye-implied startTimer:prompt',
  },
  'emergency': {
    'pf emergency': 'goodbye | cancelTimer:prompt play:goodbye-granted startTimer:prompt',
    'pf emergency failed': 'goodbye | cancelTimer:prompt play:goodbye-granted startTimer:prompt',
    'sms-queued': 'emergency | ',
    'sms-failed': 'emergency | ',
    'hangup': 'winding-down | stopPlayback cancelTimer:prompt',
    'op-failed play': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'abort': 'hanging-up | stopPlayback cancelTimer:prompt hangup startTimer:hangup',
    'to call': 'ended | stopPlayback cancelTimer:prompt hangup closeCall:consent-granted',
    'to prompt': 'goodbye | stopPlayback play:goodbye-granted startTimer:prompt',
  },
  'winding-down/urgency-unknown': {
    'tr message': 'winding-down | cancelTimer:transcribe-message queueSms',
    'tf message': 'winding-down | cancelTimer:transcribe-message queueSms',
    'urgency urgent': 'winding-down | ',
    'urgency calm': 'winding-down | ',
    'hangup': 'winding-down | ',
    'to call': 'ended | cancelTimer:transcribe-message closeCall:failed',
    'to transcribe-message': 'winding-down | queueSms',
  },
  'prompt-failed': {
    'hangup': 'ended | cancelTimer:settle cancelTimer:call closeCall:caller-hung-up',
    'op-failed play': 'hanging-up | cancelTimer:settle hangup startTimer:hangup',
    'op-failed hangup': 'hanging-up | cancelTimer:settle hangup startTimer:hangup',
    'abort': 'hanging-up | cancelTimer:settle hangup startTimer:hangup',
    'to call': 'ended | hangup cancelTimer:settle closeCall:failed',
    'to settle': 'hanging-up | hangup startTimer:hangup',
  },
  'hanging-up': {
    'hangup': 'ended | cancelTimer:hangup cancelTimer:call closeCall:consent-declined',
    'op-failed hangup': 'ended | cancelTimer:hangup cancelTimer:call closeCall:consent-declined',
    'to call': 'ended | hangup cancelTimer:hangup closeCall:consent-declined',
    'to hangup': 'ended | cancelTimer:call closeCall:consent-declined',
  },
  'winding-down': {
    'tr message': 'ended | cancelTimer:transcribe-message cancelTimer:call closeCall:caller-hung-up',
    'tf message': 'ended | cancelTimer:transcribe-message cancelTimer:call closeCall:caller-hung-up',
    'hangup': 'winding-down | ',
    'to call': 'ended | cancelTimer:transcribe-message closeCall:failed',
    'to transcribe-message': 'ended | cancelTimer:call closeCall:caller-hung-up',
  },
  'ended': {
    'hangup': 'ended | ',
  },
};

describe('call flow transition table', () => {
  test('covers every phase and every event type', () => {
    const phases = new Set(Object.values(STATES).map((s) => s.phase));
    assert.deepEqual([...CALL_PHASES].filter((p) => !phases.has(p)), []);
    const types = new Set(Object.values(EVENTS).map((e) => e.type));
    assert.deepEqual(CALL_EVENT_TYPES.filter((t) => !types.has(t)), []);
    assert.deepEqual(Object.keys(TABLE).sort(), Object.keys(STATES).sort());
  });

  for (const [stateName, state] of Object.entries(STATES)) {
    test(`row ${stateName}`, () => {
      const row = TABLE[stateName] ?? {};
      for (const name of Object.keys(row)) assert.ok(name in EVENTS, `unknown event sample ${name}`);
      for (const [eventName, event] of Object.entries(EVENTS)) {
        const r = transition(state, event);
        const expected = row[eventName];
        if (expected === undefined) {
          assert.ok(r.ignored !== undefined, `${stateName} × ${eventName} should be ignored, got ${r.next.phase}`);
          assert.equal(r.next, state, `${stateName} × ${eventName}: ignored events leave the state alone`);
          assert.equal(r.commands.length, 0);
        } else {
          assert.equal(r.ignored, undefined, `${stateName} × ${eventName} should be handled`);
          assert.equal(`${r.next.phase} | ${r.commands.map(brief).join(' ')}`, expected, `${stateName} × ${eventName}`);
        }
      }
    });
  }

  test('a hangup is handled in every state and leaves the line down', () => {
    for (const [name, state] of Object.entries(STATES)) {
      const r = transition(state, { type: 'hangup' });
      assert.equal(r.ignored, undefined, name);
      assert.equal(r.next.line, 'down', name);
      assert.equal(r.next.playing, null, name);
      assert.equal(r.next.recording, null, name);
    }
  });

  test('invariants hold in every cell', () => {
    for (const [stateName, state] of Object.entries(STATES)) {
      for (const [eventName, event] of Object.entries(EVENTS)) {
        const cell = `${stateName} × ${eventName}`;
        const { next, commands } = transition(state, event);
        const types = commands.map((c) => c.type);
        // A text is only queued on a stored granted/implied event.
        if (types.includes('queueSms')) {
          assert.equal(next.ledger, 'saved', cell);
          assert.ok(next.decision === 'granted' || next.decision === 'implied', cell);
        }
        // The timers the state says are running are exactly those started and not cancelled.
        const running = new Set(state.timers);
        // A timer that fired is no longer running; it may be started again below (a prompt after a prompt).
        if (event.type === 'timeout') running.delete(event.timer);
        for (const c of commands) {
          if (c.type === 'startTimer') running.add(c.timer);
          if (c.type === 'cancelTimer') {
            assert.ok(running.has(c.timer), `${cell}: cancels ${c.timer}, which is not running`);
            running.delete(c.timer);
          }
        }
        assert.deepEqual([...running].sort(), [...next.timers].sort(), cell);
        // Closing the call leaves no timer behind and happens once, last among the bookkeeping.
        if (types.includes('closeCall')) {
          assert.equal(next.phase, 'ended', cell);
          assert.deepEqual(next.timers, [], cell);
          assert.equal(types.filter((t) => t === 'closeCall').length, 1, cell);
          assert.ok(!types.slice(types.indexOf('closeCall')).includes('queueSms'), `${cell}: queueSms after closeCall`);
        }
        if (next.phase === 'ended' && state.phase !== 'ended') assert.ok(types.includes('closeCall'), cell);
        // Nothing plays or records with the line down.
        if (next.line === 'down') {
          assert.ok(!types.includes('play') && !types.includes('record'), cell);
        }
      }
    }
  });
});
