import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { StaffCallSummary } from '../../../src/app/call/call-types.ts';
import { DEFAULT_CALL_FLOW_SETTINGS } from '../../../src/domain/call-flow/call-state.ts';
import { createCallHarness, flush, runToEnd } from '../../fakes/call-harness.ts';
import { withTimeout } from '../../support/wait-for.ts';

/**
 * The call's stores answer later (PostgreSQL, or SQLite in turns: src/compose/serve-stores.ts). These
 * tests hold one store call open, as a slow commit or another node's lock would, and check what the
 * call does in the gap. Bounds are for a broken test to fail with a message, not timings.
 */
const BOUND_MS = 10_000;

describe('a call whose store answers later', () => {
  test('the first text waits for the ledger append to commit, then is queued under it', async () => {
    const h = createCallHarness();
    const append = h.stores.hold('consentStore.appendUnless');
    const { leg, done } = h.start({ says: ['my sink is leaking', 'yes please'] });
    await withTimeout(append.reached, BOUND_MS, 'the call to append its decision to the ledger');
    // Every chance to run ahead: the fake engine and the flow only need event-loop turns.
    await flush(50);
    assert.equal(h.consentStore.events.length, 0, 'the append is still held');
    assert.equal(h.outbox.messages.length, 0, 'nothing is queued before the ledger holds the decision');
    append.release();
    const result = await withTimeout(done, BOUND_MS, 'the call to end after the append was released');

    assert.equal(result.outcome, 'consent-granted');
    const [ev] = h.consentStore.events;
    const [sms] = h.outbox.messages;
    assert.ok(ev !== undefined && sms !== undefined, 'one ledger event and one text');
    assert.equal(sms.consentEventId, ev.id);
    assert.equal(result.consentEventId, ev.id);
    assert.equal(result.outboundMessageId, sms.id, 'the id the outbox resolved to, not a Promise');
    const j = h.journal.of(result.callId!).map((e) => e.kind);
    assert.ok(j.indexOf('ledger.append') < j.indexOf('outbox.enqueue'), `ledger before outbox: ${j.join(', ')}`);
    assert.equal(j.at(-1), 'call.close', 'the row is closed last');
    assert.equal(leg.listenerCount(), 0);
  });

  test('the result is handed back only once the call row is closed', async () => {
    const h = createCallHarness();
    const close = h.stores.hold('callLog.close');
    const { done } = h.start({ says: ['my sink is leaking', 'no'] });
    let settled = false;
    void done.then(() => (settled = true));
    await withTimeout(close.reached, BOUND_MS, 'the call to close its row');
    await flush(50);
    assert.equal(settled, false, 'the call is not over while its row is still open');
    assert.equal(h.runner.active(), 1);
    close.release();
    const result = await withTimeout(done, BOUND_MS, 'the call to end after the close was released');
    assert.equal(h.callLog.get(result.callId!).outcome, 'consent-declined');
    assert.equal(h.runner.active(), 0);
  });

  test('a caller who hangs up while the row is being opened: the call still ends, nothing is texted', async () => {
    const h = createCallHarness();
    const open = h.stores.hold('callLog.open');
    const { leg, done } = h.start({ says: ['my sink is leaking', 'yes'] });
    await withTimeout(open.reached, BOUND_MS, 'the call to open its row');
    leg.callerHangsUp();
    await flush();
    open.release();
    const result = await withTimeout(done, BOUND_MS, 'the call to end after its caller hung up during set-up');

    assert.ok(result.callId !== null);
    const row = h.callLog.get(result.callId);
    assert.equal(row.closes, 1, 'the row is closed once');
    assert.equal(row.outcome, result.outcome);
    assert.equal(row.recordingPath, null, 'no message was taken');
    assert.equal(h.consentStore.events.length, 0);
    assert.equal(h.outbox.messages.length, 0);
    assert.equal(leg.listenerCount(), 0);
    assert.equal(h.clock.pending(), 0, 'no timers left');
    assert.equal(h.runner.active(), 0);
  });

  test('a call whose row is being opened counts as active, and a shutdown that aborts reaches it', async () => {
    const h = createCallHarness();
    const open = h.stores.hold('callLog.open');
    const { leg, done } = h.start({ says: ['my sink is leaking', 'yes'] });
    await withTimeout(open.reached, BOUND_MS, 'the call to open its row');
    assert.equal(h.runner.active(), 1, 'a drain waits for a call still in set-up');
    const aborted = h.runner.abortAll();
    open.release();
    await withTimeout(aborted, BOUND_MS, 'abortAll to end the call that was in set-up');
    const result = await done;

    assert.equal(result.outcome, 'interrupted');
    assert.equal(h.callLog.get(result.callId!).closes, 1);
    assert.equal(leg.up, false, 'the caller is hung up');
    assert.equal(h.consentStore.events.length, 0);
    assert.equal(h.outbox.messages.length, 0);
    assert.equal(h.runner.active(), 0);
  });

  test('a lookup that fails after a gap: the call is hung up and reported failed, without a row', async () => {
    const h = createCallHarness();
    const lookup = h.stores.hold('directory.byDid');
    h.directory.byDid = () => {
      throw new Error('database unreachable');
    };
    const { leg, done } = h.start({ says: ['my sink is leaking'] });
    await withTimeout(lookup.reached, BOUND_MS, 'the call to look up its business');
    lookup.release();
    const result = await withTimeout(done, BOUND_MS, 'the call to give up');
    assert.equal(result.callId, null);
    assert.equal(result.outcome, 'failed');
    assert.equal(h.callLog.rows.size, 0);
    assert.equal(leg.up, false);
    assert.equal(h.runner.active(), 0);
  });

  test('settled() waits for a message transcribed after its call until it is stored and handed to the staff', async () => {
    const late: StaffCallSummary[] = [];
    const slowerThanTheCall = DEFAULT_CALL_FLOW_SETTINGS.transcribeMessageTimeoutMs + 30_000;
    const h = createCallHarness({
      transcriber: (clock) => ({ delay: { clock, ms: slowerThanTheCall, only: 'message' } }),
      onLateTranscript: (summary) => void late.push(summary),
    });
    const save = h.stores.hold('callLog.saveTranscript');
    let saving = false;
    void save.reached.then(() => (saving = true));
    const { done } = h.start({ says: ['my sink is leaking', 'yes'] });
    const result = await runToEnd(h.clock, done, 1_000);
    assert.equal(result.messageTranscript, null, 'the call ended before its message was transcribed');
    let settled = false;
    const settling = h.runner.settled().then(() => (settled = true));
    // Fake time until the transcript lands and its write is held (at most a minute of it).
    for (let waited = 0; !saving; waited += 1_000) {
      if (waited > 60_000) assert.fail('the late transcript was never written');
      await flush();
      if (!saving) h.clock.advance(1_000);
    }
    await flush(50);
    assert.equal(settled, false, 'not settled while the late transcript is being stored');
    assert.equal(late.length, 0);
    save.release();
    await withTimeout(settling, BOUND_MS, 'settled() after the late transcript was stored');
    assert.equal(late.length, 1, 'the staff were handed the late transcript before settled() resolved');
    assert.equal(late[0]?.transcript, 'my sink is leaking');
    assert.equal(h.callLog.get(result.callId!).transcript, 'my sink is leaking');
  });
});
