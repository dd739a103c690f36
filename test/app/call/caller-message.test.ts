import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffCallSummary } from '../../../src/app/call/call-types.ts';
import { DEFAULT_CALL_FLOW_SETTINGS } from '../../../src/domain/call-flow/call-state.ts';
import { buildCallNotification, buildTranscriptNotification } from '../../../src/domain/notify/staff-notification.ts';
import { buildUrgencyRules, DEFAULT_URGENCY_SETTINGS, judgeUrgency } from '../../../src/domain/urgency/urgency-judge.ts';
import { createCallHarness, flush, runToEnd, type CallHarnessOptions } from '../../fakes/call-harness.ts';
import type { FakeTranscriberOptions } from '../../fakes/fake-speech.ts';
import type { ManualClock } from '../../fakes/manual-clock.ts';

const BOUND = DEFAULT_CALL_FLOW_SETTINGS.transcribeMessageTimeoutMs;
const MESSAGE = 'I smell gas in the kitchen, please hurry';

/** A call whose message transcription takes `messageMs` of fake time; records both staff hooks. */
function harness(transcriber: (clock: ManualClock) => FakeTranscriberOptions, extra: Partial<CallHarnessOptions> = {}) {
  const ended: StaffCallSummary[] = [];
  const late: StaffCallSummary[] = [];
  const rules = buildUrgencyRules(DEFAULT_URGENCY_SETTINGS);
  const h = createCallHarness({
    transcriber,
    assessUrgency: async (i) => judgeUrgency(i.transcript, rules),
    onCallEnded: (s) => void ended.push(s),
    onLateTranscript: (s) => void late.push(s),
    ...extra,
  });
  return { h, ended, late };
}

/** Lets fake time pass until `cond` holds, at most `maxMs`; fails saying what did not happen. */
async function advanceUntil(clock: ManualClock, cond: () => boolean, maxMs: number, what: string): Promise<void> {
  for (let waited = 0; !cond(); waited += 1_000) {
    if (waited > maxMs) assert.fail(`${what}: not within ${maxMs} ms of fake time`);
    await flush();
    if (!cond()) clock.advance(1_000);
  }
}

describe('the caller message after the call', () => {
  test('a transcript slower than the bound: the call ends without it, staff are told it is pending, then get it', async () => {
    const { h, ended, late } = harness((clock) => ({ delay: { clock, ms: BOUND + 30_000, only: 'message' } }));
    const { done } = h.start({ says: [MESSAGE, 'yes'] });
    const result = await runToEnd(h.clock, done, 1_000);
    await flush();
    // The call did not wait past its bound: the decision and the first text stand, the text without the issue.
    assert.equal(result.outcome, 'consent-granted');
    assert.equal(result.messageTranscript, null);
    assert.equal(h.outbox.messages.length, 1);
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!.transcript, null);
    assert.equal(ended[0]!.transcriptStatus, 'pending');
    assert.equal(h.callLog.get(result.callId!).transcript, null);
    assert.equal(late.length, 0, 'nothing follows before the transcript lands');

    await advanceUntil(h.clock, () => late.length > 0, 60_000, 'the late transcript reaching the staff hook');
    assert.equal(late.length, 1);
    assert.equal(late[0]!.callId, result.callId);
    assert.equal(late[0]!.transcript, MESSAGE);
    assert.equal(late[0]!.transcriptStatus, undefined);
    assert.equal(late[0]!.urgency?.urgent, true, 'the late transcript is judged for urgency too');
    assert.equal(late[0]!.consent, 'granted');
    assert.equal(h.callLog.get(result.callId!).transcript, MESSAGE, 'the call row keeps the late transcript');
    assert.equal(ended.length, 1, 'the call-ended hook is not called again');
    assert.equal(h.metrics.transcriptionFailures.length, 0, 'the message was not counted as given up');

    // What the staff read: a notice saying the transcript follows, then the transcript under its own key.
    const business = { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' };
    const notice = buildCallNotification({ ...ended[0]!, business });
    assert.match(notice.text, /being transcribed: the transcript follows/);
    assert.equal(notice.payload.transcriptStatus, 'pending');
    const followUp = buildTranscriptNotification({ ...late[0]!, business });
    assert.equal(followUp.key, `call-${result.callId}-transcript`);
    assert.equal(followUp.payload.event, 'call.transcript');
    assert.ok(followUp.text.includes(MESSAGE));
    assert.ok(followUp.urgent);
  });

  test('a transcription that fails after the call: the staff are told it could not be made', async () => {
    const { h, ended, late } = harness((clock) => ({ delay: { clock, ms: BOUND + 5_000, only: 'message' }, failOn: (p) => p === 'message' }));
    const { done } = h.start({ says: [MESSAGE, 'no'] });
    const result = await runToEnd(h.clock, done, 1_000);
    await flush();
    assert.equal(ended[0]?.transcriptStatus, 'pending');
    await advanceUntil(h.clock, () => late.length > 0, 60_000, 'word of the failed transcription reaching the staff hook');
    assert.equal(late[0]!.transcript, null);
    assert.equal(late[0]!.transcriptStatus, 'failed');
    assert.equal(h.callLog.get(result.callId!).transcript, null);
    const followUp = buildTranscriptNotification({ ...late[0]!, business: { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' } });
    assert.match(followUp.text, /could not be transcribed/);
  });

  test('a transcript within the bound: one summary with it, nothing pending, nothing follows', async () => {
    const { h, ended, late } = harness((clock) => ({ delay: { clock, ms: BOUND - 10_000, only: 'message' } }));
    const { done } = h.start({ says: [MESSAGE, 'yes'] });
    const result = await runToEnd(h.clock, done, 1_000);
    await flush();
    assert.equal(result.messageTranscript, MESSAGE);
    assert.equal(ended[0]?.transcript, MESSAGE);
    assert.equal(ended[0]?.transcriptStatus, undefined);
    h.clock.advance(BOUND * 2);
    await flush();
    assert.equal(late.length, 0);
  });
});
