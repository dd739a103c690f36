import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { NewConsentEvent } from '../../../src/domain/consent.ts';
import { ACME, createCallHarness, flush } from '../../fakes/call-harness.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';
import { withTimeout } from '../../support/wait-for.ts';

/**
 * A STOP that reaches the ledger while a call is under way (texted to any node's bind) wins over the
 * grant the call is about to store: the grant is judged in the append's own transaction
 * (ConsentStore.appendUnless), never against the consent read when the call began. Without it the ledger
 * ended `revoked, implied` and the caller was texted after the STOP.
 */
const BOUND_MS = 10_000;
const CALLER = '+15125550123';
const IMPLIED = makeBusiness({ id: 1, name: 'Acme Plumbing', dids: ['+15125550100'], consentMode: 'implied' });

function revoked(businessId: number): NewConsentEvent {
  return {
    event: 'revoked', businessId, did: '+15125550100', consumer: CALLER, method: 'sms-keyword', scriptVersion: null, scriptText: null,
    transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'sms:inbound:1',
  };
}

describe('a STOP that arrives during the call', () => {
  for (const [mode, business, says] of [
    ['implied', IMPLIED, ['my sink is leaking']],
    ['verbal', ACME, ['my sink is leaking', 'yes please']],
  ] as const) {
    test(`${mode}: the grant is not stored and nothing is texted; the call ends without a failure`, async () => {
      const h = createCallHarness({ businesses: [business] });
      const gate = h.stores.hold('consentStore.appendUnless');
      const { done } = h.start({ says: [...says] });
      await withTimeout(gate.reached, BOUND_MS, 'the call to store its grant');
      // The caller's STOP commits first (another connection, another node).
      h.consentStore.append(revoked(business.id));
      gate.release();
      const result = await withTimeout(done, BOUND_MS, 'the call to end');
      await flush();

      assert.deepEqual(h.consentStore.events.map((e) => e.event), ['revoked'], 'no grant after the STOP');
      assert.equal(h.outbox.messages.length, 0, 'nothing texted');
      assert.equal(result.consentEventId, null);
      assert.notEqual(result.outcome, 'failed');
      assert.ok(h.logger.entries.some((r) => r.msg.includes('revoked by text during the call')), 'said so in the log');
    });
  }

  test('a STOP from before the call does not block a clear yes given on this call (a new opt-in)', async () => {
    const h = createCallHarness();
    h.consentStore.append(revoked(ACME.id));
    const { result } = await h.call({ says: ['my sink is leaking', 'yes please'] });
    assert.equal(result.outcome, 'consent-granted');
    assert.deepEqual(h.consentStore.events.map((e) => e.event), ['revoked', 'granted']);
    assert.equal(h.outbox.messages.length, 1);
  });
});
