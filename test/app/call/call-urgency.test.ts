import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallRunnerDeps } from '../../../src/app/call/call-types.ts';
import { URGENCY_WAIT_MS } from '../../../src/domain/call-flow/call-timeouts.ts';
import { defaultFirstText } from '../../../src/domain/call-flow/first-text.ts';
import { defaultGreeting, renderPrompt } from '../../../src/domain/call-flow/prompts.ts';
import { renderConsentScript } from '../../../src/domain/consent-script.ts';
import type { Business } from '../../../src/domain/business.ts';
import { buildUrgencyRules, DEFAULT_URGENCY_SETTINGS, judgeUrgency } from '../../../src/domain/urgency/urgency-judge.ts';
import { URGENT_FIRST_TEXT_NOTE } from '../../../src/domain/urgency/urgency-messages.ts';
import { createCallHarness, runToEnd, type CallHarnessOptions } from '../../fakes/call-harness.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';
import { waitFor } from '../../support/wait-for.ts';

const INSTRUCTION = 'If you smell gas, leave the building now and call 911 from outside.';
const ACME = makeBusiness({ id: 1, name: 'Acme Plumbing', emergencyInstruction: INSTRUCTION });
const ACME_IMPLIED = { ...ACME, consentMode: 'implied' as const };
const ACME_NO_INSTRUCTION = { ...ACME, emergencyInstruction: null };
const BYE_YES = 'Great, Acme Plumbing will text you shortly. Goodbye.';
const BYE_IMPLIED = 'Thank you, we got your message. Acme Plumbing will text you shortly. Goodbye.';
const BYE_MESSAGE = 'Thank you, we got your message. Goodbye.';
const GREETING = defaultGreeting('Acme Plumbing');
const SCRIPT = renderConsentScript('Acme Plumbing');
const URGENT = 'I smell gas in the kitchen, please hurry';
const CALM = 'My kitchen sink is leaking';

/** The real judge with the default rules, recording what it was asked (the notify helper's assessor stores too). */
function fakeAssessor(opts: { throws?: boolean } = {}) {
  const rules = buildUrgencyRules(DEFAULT_URGENCY_SETTINGS);
  const calls: Array<{ callId: number; businessId: number; transcript: string }> = [];
  const assess: NonNullable<CallRunnerDeps['assessUrgency']> = async (input) => {
    calls.push({ ...input });
    if (opts.throws === true) throw new Error('urgency store is locked'); // a rejection, as from a store
    return judgeUrgency(input.transcript, rules);
  };
  return { assess, calls };
}

function harness(business: Business, extra: Partial<CallHarnessOptions> & { throws?: boolean } = {}) {
  const assessor = fakeAssessor(extra.throws === true ? { throws: true } : {});
  const h = createCallHarness({ businesses: [business], assessUrgency: assessor.assess, ...extra });
  return { h, assessor };
}

describe('urgent calls', () => {
  test('verbal, urgent: the instruction plays after the decision and before the goodbye; the text carries the note', async () => {
    const { h, assessor } = harness(ACME);
    const { result, played } = await h.call({ says: [URGENT, 'yes'] });
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(played, [GREETING, SCRIPT, INSTRUCTION, BYE_YES]);
    assert.deepEqual(assessor.calls, [{ callId: result.callId, businessId: 1, transcript: URGENT }]);
    const body = h.outbox.messages[0]?.body ?? '';
    assert.equal(body, `${URGENT_FIRST_TEXT_NOTE} ${defaultFirstText(ACME, URGENT)}`);
    assert.ok(body.includes('about a gas smell'), body);
  });

  test('verbal, not urgent: no instruction, no note', async () => {
    const { h, assessor } = harness(ACME);
    const { played } = await h.call({ says: [CALM, 'yes'] });
    assert.deepEqual(played, [GREETING, SCRIPT, BYE_YES]);
    assert.equal(assessor.calls.length, 1);
    assert.equal(h.outbox.messages[0]?.body, defaultFirstText(ACME, CALM));
  });

  test('declined: the instruction still plays (it is for the caller\'s safety), and nothing is texted', async () => {
    const { h } = harness(ACME);
    const { played } = await h.call({ says: [URGENT, 'no'] });
    assert.deepEqual(played, [GREETING, SCRIPT, INSTRUCTION, "No problem, we won't text you; Acme Plumbing will call you back. Goodbye."]);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('implied mode: the goodbye waits for the transcript within the bound, then the instruction plays', async () => {
    const { h } = harness(ACME_IMPLIED, { transcriber: (clock) => ({ delay: { clock, ms: URGENCY_WAIT_MS - 1_000, only: 'message' } }) });
    const { leg, done } = h.start({ says: [URGENT] });
    const result = await runToEnd(h.clock, done, 250);
    assert.equal(result.outcome, 'implied-texted');
    assert.deepEqual(h.playedTexts(leg), [GREETING, INSTRUCTION, BYE_IMPLIED]);
    assert.ok(h.outbox.messages[0]?.body.startsWith(URGENT_FIRST_TEXT_NOTE));
    assert.equal(h.clock.pending(), 0);
  });

  test('implied mode: a transcript slower than the bound skips the instruction; the note still goes in the text', async () => {
    const { h, assessor } = harness(ACME_IMPLIED, { transcriber: (clock) => ({ delay: { clock, ms: URGENCY_WAIT_MS + 5_000, only: 'message' } }) });
    const { leg, done } = h.start({ says: [URGENT] });
    const result = await runToEnd(h.clock, done, 250);
    assert.equal(result.outcome, 'implied-texted');
    assert.deepEqual(h.playedTexts(leg), [GREETING, BYE_IMPLIED]);
    assert.equal(assessor.calls.length, 1);
    assert.ok(h.outbox.messages[0]?.body.startsWith(URGENT_FIRST_TEXT_NOTE));
    assert.equal(h.clock.pending(), 0);
  });

  test('a business without an instruction never waits, but the text still carries the note', async () => {
    const { h, assessor } = harness({ ...ACME_NO_INSTRUCTION, consentMode: 'implied' }, {
      // Within the call's wait for the message transcript (transcribeMessageTimeoutMs), so the text has it.
      transcriber: (clock) => ({ delay: { clock, ms: 30_000, only: 'message' } }),
    });
    const { leg, done } = h.start({ says: [URGENT] });
    // The goodbye plays before any fake time passes: no wait.
    await waitFor(() => h.playedTexts(leg).length >= 2, { what: 'the greeting and the goodbye to be played' });
    assert.deepEqual(h.playedTexts(leg), [GREETING, BYE_IMPLIED]);
    const result = await runToEnd(h.clock, done, 5_000);
    assert.equal(result.outcome, 'implied-texted');
    assert.equal(assessor.calls.length, 1);
    assert.ok(h.outbox.messages[0]?.body.startsWith(URGENT_FIRST_TEXT_NOTE));
  });

  test('a withheld caller hears the instruction too (nothing is texted)', async () => {
    const { h } = harness(ACME);
    const { result, played } = await h.call({ callerId: 'anonymous', says: [URGENT] });
    assert.equal(result.outcome, 'withheld-caller');
    assert.deepEqual(played, [GREETING, INSTRUCTION, BYE_MESSAGE]);
    assert.equal(h.outbox.messages.length, 0);
  });

  test('a hangup during the instruction: cleaned up, the decision and the urgent text stand', async () => {
    const { h } = harness(ACME);
    const { leg, result } = await h.call({ says: [URGENT, 'yes'], hangup: { when: 'during', op: 'play', nth: 2 } });
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(h.playedTexts(leg), [GREETING, SCRIPT, INSTRUCTION]);
    assert.ok(h.outbox.messages[0]?.body.startsWith(URGENT_FIRST_TEXT_NOTE));
    assert.equal(leg.listenerCount(), 0);
    assert.equal(h.clock.pending(), 0);
  });

  test('an assessor that throws: logged, the call goes on as not urgent', async () => {
    const { h } = harness(ACME, { throws: true });
    const { result, played } = await h.call({ says: [URGENT, 'yes'] });
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(played, [GREETING, SCRIPT, BYE_YES]);
    assert.equal(h.outbox.messages[0]?.body, defaultFirstText(ACME, URGENT));
    assert.ok(h.logger.entries.some((e) => e.level === 'error' && e.msg === 'urgency could not be judged'));
  });

  test('without an assessor nothing is judged and nothing waits', async () => {
    const h = createCallHarness({ businesses: [ACME] });
    const { played } = await h.call({ says: [URGENT, 'yes'] });
    assert.deepEqual(played, [GREETING, SCRIPT, BYE_YES]);
    assert.equal(h.outbox.messages[0]?.body, defaultFirstText(ACME, URGENT));
  });

  test('the instruction is prepared while the caller listens, never logged with the transcript', async () => {
    const { h } = harness(ACME);
    await h.call({ says: [URGENT, 'yes'] });
    assert.ok(h.synthesizer.requests.includes(renderPrompt('emergency', ACME)));
    assert.deepEqual(h.logger.messagesContaining(['smell gas', 'kitchen']), []);
  });
});
