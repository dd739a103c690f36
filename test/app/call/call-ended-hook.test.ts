import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffCallSummary } from '../../../src/app/call/call-types.ts';
import { buildCallNotification, type CallNotificationInput } from '../../../src/domain/notify/staff-notification.ts';
import { buildUrgencyRules, DEFAULT_URGENCY_SETTINGS, judgeUrgency } from '../../../src/domain/urgency/urgency-judge.ts';
import { createCallHarness, flush, runToEnd, type CallHarness, type CallHarnessOptions } from '../../fakes/call-harness.ts';
import { VERBAL, type CallerScript } from '../../fakes/fake-call-leg.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';

const CALLER = '+15125550123';
const BYE_YES = 'Great, Acme Plumbing will text you shortly. Goodbye.';
const BYE_NO = "No problem, we won't text you; Acme Plumbing will call you back. Goodbye.";
const INSTRUCTION = 'If you smell gas, leave the building and call 911.';

/** A harness whose hook records each summary together with whether the call row was closed by then. */
function hooked(opts: CallHarnessOptions = {}): { h: CallHarness; seen: Array<{ summary: StaffCallSummary; closedBefore: boolean }> } {
  const seen: Array<{ summary: StaffCallSummary; closedBefore: boolean }> = [];
  const box: { h?: CallHarness } = {};
  const h = createCallHarness({
    ...opts,
    onCallEnded: (summary) => {
      seen.push({ summary, closedBefore: box.h!.callLog.get(summary.callId).closes === 1 });
    },
  });
  box.h = h;
  return { h, seen };
}

async function endOf(script: CallerScript, opts: CallHarnessOptions = {}): Promise<StaffCallSummary> {
  const { h, seen } = hooked(opts);
  const { done } = h.start(script);
  await runToEnd(h.clock, done, 1_000);
  await flush();
  assert.equal(seen.length, 1, 'called exactly once');
  return seen[0]!.summary;
}

describe('onCallEnded: the staff hook', () => {
  test('called once, after the call row is closed, with everything the staff need', async () => {
    const { h, seen } = hooked();
    const { result } = await h.call({ says: ['My kitchen sink is leaking', 'yes please'] });
    await flush();
    assert.equal(seen.length, 1);
    assert.equal(seen[0]!.closedBefore, true);
    const row = h.callLog.get(result.callId!);
    assert.deepEqual(seen[0]!.summary, {
      business: { id: 1, name: 'Acme Plumbing', timezone: 'America/Chicago' },
      callId: result.callId,
      did: '+15125550100',
      callerE164: CALLER,
      endedAt: row.endedAt,
      transcript: 'My kitchen sink is leaking',
      summary: null,
      consent: 'granted',
      recordingRef: row.recordingPath,
      callerWasTold: BYE_YES,
      urgency: null,
      outcome: 'consent-granted',
    });
    assert.ok(row.recordingPath !== null);
  });

  const consentCases: Array<{ name: string; script: CallerScript; consent: StaffCallSummary['consent']; told: string | null; outcome: string }> = [
    { name: 'declined', script: { says: ['leak', 'no'] }, consent: 'declined', told: BYE_NO, outcome: 'consent-declined' },
    { name: 'unclear twice', script: { says: ['leak', 'hmm', 'what'] }, consent: 'unclear', told: BYE_NO, outcome: 'consent-unclear' },
    {
      name: 'hung up during the question (asked, never answered: do not text)',
      script: { says: ['leak', 'yes'], hangup: { when: 'during', ...VERBAL.consent } },
      consent: 'unclear',
      told: null,
      outcome: 'caller-hung-up',
    },
    { name: 'hung up during the greeting', script: { says: ['leak'], hangup: { when: 'during', ...VERBAL.greeting } }, consent: 'not-asked', told: null, outcome: 'no-message' },
    { name: 'withheld caller', script: { callerId: 'anonymous', says: ['leak'] }, consent: 'not-asked', told: 'Thank you, we got your message. Goodbye.', outcome: 'withheld-caller' },
  ];
  for (const c of consentCases) {
    test(`consent outcome: ${c.name} → ${c.consent}`, async () => {
      const s = await endOf(c.script);
      assert.equal(s.consent, c.consent);
      assert.equal(s.callerWasTold, c.told);
      assert.equal(s.outcome, c.outcome);
    });
  }

  test('withheld caller: callerE164 null; implied mode: consent implied', async () => {
    assert.equal((await endOf({ callerId: 'anonymous', says: ['hi'] })).callerE164, null);
    const implied = makeBusiness({ id: 2, name: 'Bolt Electric', consentMode: 'implied' });
    const s = await endOf({ says: ['lights are out'] }, { businesses: [implied] });
    assert.equal(s.consent, 'implied');
    assert.equal(s.business?.name, 'Bolt Electric');
  });

  test('a DID no business owns: business null (nobody to notify)', async () => {
    const s = await endOf({ dialed: '+15125559999', says: ['hello?'] });
    assert.equal(s.business, null);
    assert.equal(s.outcome, 'unknown-did');
  });

  test('urgent: the urgency, and the instruction as part of what the caller was told', async () => {
    const rules = buildUrgencyRules(DEFAULT_URGENCY_SETTINGS);
    const s = await endOf(
      { says: ['I smell gas in the basement', 'yes'] },
      {
        businesses: [makeBusiness({ id: 1, name: 'Acme Plumbing', emergencyInstruction: INSTRUCTION })],
        assessUrgency: async ({ transcript }) => judgeUrgency(transcript, rules),
      },
    );
    assert.deepEqual(s.urgency, { urgent: true, rule: 'common.gas', matched: 'smell gas' });
    assert.equal(s.callerWasTold, `${INSTRUCTION} ${BYE_YES}`);
  });

  test('maps onto notifyCall input as it is', async () => {
    const s = await endOf({ says: ['My kitchen sink is leaking', 'yes'] });
    assert.ok(s.business !== null);
    const input: CallNotificationInput = { ...s, business: s.business };
    const n = buildCallNotification(input);
    assert.match(n.subject, /^Missed call from \+1 512-555-0123 \(Acme Plumbing\)$/);
    assert.match(n.text, /agreed to texts/);
  });

  test('a hook that throws is logged and changes nothing', async () => {
    const h = createCallHarness({
      onCallEnded: () => {
        throw new Error('notify is down');
      },
    });
    const { result } = await h.call({ says: ['leak', 'yes'] });
    assert.equal(result.outcome, 'consent-granted');
    assert.ok(h.logger.entries.some((e) => e.level === 'error' && e.msg === 'call-ended hook failed'));
  });

  test('a hook that rejects is logged; one that never settles does not hold the call', async () => {
    const rejecting = createCallHarness({ onCallEnded: () => Promise.reject(new Error('webhook 500')) });
    await rejecting.call({ says: ['leak', 'yes'] });
    await flush();
    assert.ok(rejecting.logger.entries.some((e) => e.level === 'error' && e.msg === 'call-ended hook failed'));

    let calls = 0;
    const hanging = createCallHarness({
      onCallEnded: () => {
        calls++;
        return new Promise(() => undefined);
      },
    });
    const { result } = await hanging.call({ says: ['leak', 'no'] });
    assert.equal(result.outcome, 'consent-declined');
    assert.equal(calls, 1);
  });

  test('once per call under load and on shutdown', async () => {
    const { h, seen } = hooked();
    const calls = Array.from({ length: 20 }, (_, i) =>
      h.start({ says: ['leak', i % 2 === 0 ? 'yes' : 'no'], ...(i % 5 === 0 ? { silent: [{ op: 'record' as const, nth: 0 }] } : {}) }),
    );
    await flush();
    await h.runner.abortAll();
    const results = await Promise.all(calls.map((c) => c.done));
    await flush();
    assert.equal(seen.length, 20);
    assert.deepEqual(new Set(seen.map((s) => s.summary.callId)).size, 20);
    assert.ok(seen.every((s) => s.closedBefore));
    assert.deepEqual(
      seen.map((s) => s.summary.outcome).sort(),
      results.map((r) => r.outcome).sort(),
    );
  });
});
