import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import type { CallOutcome } from '../../../src/domain/ports/call-log.ts';
import { ACME, createCallHarness, runToEnd } from '../../fakes/call-harness.ts';
import { FakeCallEngine } from '../../fakes/fake-call-engine.ts';
import { VERBAL, type CallerScript } from '../../fakes/fake-call-leg.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';

/** One kind of caller, and what must come of the call. */
interface Kind {
  readonly name: string;
  readonly script: (i: number) => CallerScript;
  readonly outcome: CallOutcome;
  readonly ledger: readonly string[];
  readonly texted: boolean;
}

const caller = (i: number) => `+1512555${String(1000 + i).padStart(4, '0')}`;
const IMPLIED_DID = '+15125550200';

const KINDS: readonly Kind[] = [
  { name: 'yes', script: (i) => ({ callerId: caller(i), says: ['sink leaks', 'yes'] }), outcome: 'consent-granted', ledger: ['granted'], texted: true },
  { name: 'no', script: (i) => ({ callerId: caller(i), says: ['sink leaks', 'no'] }), outcome: 'consent-declined', ledger: ['declined'], texted: false },
  { name: 'unclear twice', script: (i) => ({ callerId: caller(i), says: ['hi', 'hmm', 'what'] }), outcome: 'consent-unclear', ledger: ['unclear'], texted: false },
  { name: 'unclear then yes', script: (i) => ({ callerId: caller(i), says: ['hi', 'hmm', 'yeah'] }), outcome: 'consent-granted', ledger: ['granted'], texted: true },
  { name: 'hangup greeting', script: (i) => ({ callerId: caller(i), hangup: { when: 'during', ...VERBAL.greeting } }), outcome: 'no-message', ledger: [], texted: false },
  { name: 'hangup message', script: (i) => ({ callerId: caller(i), says: ['sink'], hangup: { when: 'during', ...VERBAL.message } }), outcome: 'caller-hung-up', ledger: [], texted: false },
  { name: 'hangup question', script: (i) => ({ callerId: caller(i), says: ['sink'], hangup: { when: 'during', ...VERBAL.consent } }), outcome: 'caller-hung-up', ledger: [], texted: false },
  { name: 'hangup answer', script: (i) => ({ callerId: caller(i), says: ['sink', 'ye'], hangup: { when: 'during', ...VERBAL.answer } }), outcome: 'caller-hung-up', ledger: [], texted: false },
  { name: 'hangup goodbye', script: (i) => ({ callerId: caller(i), says: ['sink', 'yes'], hangup: { when: 'during', ...VERBAL.goodbye } }), outcome: 'consent-granted', ledger: ['granted'], texted: true },
  { name: 'anonymous', script: () => ({ callerId: 'anonymous', says: ['call me at five five five'] }), outcome: 'withheld-caller', ledger: [], texted: false },
  { name: 'implied', script: (i) => ({ callerId: caller(i), dialed: IMPLIED_DID, says: ['no power'] }), outcome: 'implied-texted', ledger: ['implied'], texted: true },
  { name: 'engine failure', script: (i) => ({ callerId: caller(i), says: ['sink', 'yes'], failures: [{ op: 'record', nth: 1 }] }), outcome: 'failed', ledger: [], texted: false },
];

test('100 calls at once with mixed outcomes: every call ends, rows and ledger right, nothing leaks', async () => {
  const h = createCallHarness({
    businesses: [ACME, makeBusiness({ id: 2, name: 'Bolt Electric', dids: [IMPLIED_DID], consentMode: 'implied' })],
    // Transcriptions take fake time, so calls interleave at every stage.
    transcriber: (clock) => ({ delay: { clock, ms: 400 } }),
  });
  const engine = new FakeCallEngine();
  const runs: Array<{ kind: Kind; done: Promise<CallResult> }> = [];
  let next: Kind | undefined;
  await engine.start((call) => {
    if (next !== undefined) runs.push({ kind: next, done: h.runner.run(call) });
  });
  for (let i = 0; i < 100; i++) {
    next = KINDS[i % KINDS.length];
    if (next !== undefined) engine.placeCall(next.script(i));
  }
  assert.equal(h.runner.active(), 100);

  const results = await runToEnd(h.clock, Promise.all(runs.map((r) => r.done)), 100);

  assert.equal(results.length, 100);
  assert.equal(h.runner.active(), 0);
  assert.equal(h.clock.pending(), 0, 'no timers left');
  for (const leg of engine.legs) {
    assert.equal(leg.listenerCount(), 0, `${leg.id} listeners`);
    assert.equal(leg.up, false, `${leg.id} is hung up`);
  }
  assert.equal(h.callLog.rows.size, 100);
  for (const [i, result] of results.entries()) {
    const kind = runs[i]?.kind;
    assert.ok(kind !== undefined && result.callId !== null);
    const at = `call ${i} (${kind.name})`;
    const row = h.callLog.get(result.callId);
    assert.equal(row.outcome, kind.outcome, at);
    assert.equal(row.closes, 1, at);
    assert.deepEqual(h.consentStore.forCall(result.callId).map((e) => e.event), kind.ledger, at);
    const texts = h.outbox.forCall(result.callId);
    assert.equal(texts.length, kind.texted ? 1 : 0, at);
    for (const m of texts) {
      const j = h.journal.of(result.callId);
      const appended = j.findIndex((e) => e.kind === 'ledger.append' && e.ref === m.consentEventId);
      const queued = j.findIndex((e) => e.kind === 'outbox.enqueue' && e.ref === m.id);
      assert.ok(appended >= 0 && appended < queued, `${at}: ledger append before enqueue`);
      assert.equal(m.to, row.callerE164, at);
    }
  }
  // No text anywhere without a stored granted/implied event for the same call and number.
  for (const m of h.outbox.messages) {
    const ev = h.consentStore.events.find((e) => e.id === m.consentEventId);
    assert.ok(ev !== undefined && (ev.event === 'granted' || ev.event === 'implied') && ev.callId === m.callId && ev.consumer === m.to);
  }
  assert.equal(h.metrics.callsEnded.length, 100);
  assert.equal(h.metrics.decisions.length, results.filter((r) => r.decisionLatencyMs !== null).length);
  await engine.stop();
});
