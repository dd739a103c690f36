/**
 * The UrgencyStore contract: per-business urgency settings and every urgency decision with the rule
 * that fired, on every durable store (SQLite today, PostgreSQL next). Guarantees checked:
 * - a business without settings has none (the defaults apply); saved settings read back as given, a
 *   second save replaces the first (no merge), businesses are separate; an unknown business is
 *   INPUT.NOT_FOUND and nothing is stored;
 * - recordDecision returns a new growing id; decisionForCall gives the call's decision recorded last,
 *   every field of it (suppressed matches with their reasons included); a decision without a call, or
 *   another call's, is never a call's; a call without a decision has none.
 *
 * Every call on the store is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { UrgencyStore } from '../../src/domain/ports/urgency-store.ts';
import type { UrgencyDecision, UrgencySettings } from '../../src/domain/urgency/urgency-judge.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface UrgencyStoreHarness extends Teardown {
  readonly store: AsyncPort<UrgencyStore>;
  /** Two businesses that exist in the store. */
  readonly businessIds: readonly [number, number];
  /** Two calls of the first business that exist in the store. */
  readonly callIds: readonly [number, number];
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);

const NO_HEAT: UrgencyDecision = {
  urgent: true,
  rule: 'hvac.no-heat',
  phrase: 'no heat',
  matched: 'no heat',
  trade: 'hvac',
  suppressed: [
    { rule: 'common.gas-smell', phrase: 'gas smell', matched: 'gas smell', reason: 'negated' },
    { rule: 'common.flooding', phrase: 'flood*', matched: 'flooded', reason: 'past' },
  ],
};
const ROUTINE: UrgencyDecision = { urgent: false, rule: null, phrase: null, matched: null, trade: 'plumbing', suppressed: [] };

export function runUrgencyStoreContract(name: string, factory: HarnessFactory<UrgencyStoreHarness>): void {
  describe(`UrgencyStore contract: ${name}`, () => {
    const open = (t: TestContext) => openHarness(t, factory);

    test('settings: none until saved, read back as given, replaced by a second save, per business', async (t) => {
      const h = await open(t);
      const [b1, b2] = h.businessIds;
      assert.equal(await h.store.settings(b1), undefined);
      const hvac: UrgencySettings = { trade: 'hvac', extraPhrases: ['no hot water', 'furnace out'], disabled: ['hvac.no-cooling'] };
      await h.store.saveSettings(b1, hvac);
      assert.deepEqual(await h.store.settings(b1), hvac);
      assert.equal(await h.store.settings(b2), undefined);
      const plumbing: UrgencySettings = { trade: 'plumbing', extraPhrases: [], disabled: [] };
      await h.store.saveSettings(b1, plumbing);
      assert.deepEqual(await h.store.settings(b1), plumbing, 'replaced, not merged');
    });

    test('settings for an unknown business are refused with INPUT.NOT_FOUND, and nothing is stored', async (t) => {
      const h = await open(t);
      const unknown = Math.max(...h.businessIds) + 100;
      await rejectsWithCode(() => h.store.saveSettings(unknown, { trade: 'general', extraPhrases: [], disabled: [] }), 'INPUT.NOT_FOUND');
      assert.equal(await h.store.settings(unknown), undefined);
    });

    test('a call\'s decision reads back whole; the one recorded last is the call\'s', async (t) => {
      const h = await open(t);
      const [b1] = h.businessIds;
      const [c1, c2] = h.callIds;
      const first = await h.store.recordDecision({ callId: c1, businessId: b1, decision: ROUTINE, at: T0 });
      const other = await h.store.recordDecision({ callId: c2, businessId: b1, decision: ROUTINE, at: T0 + 1 });
      const last = await h.store.recordDecision({ callId: c1, businessId: b1, decision: NO_HEAT, at: T0 + 2 });
      assert.ok(first > 0 && other > first && last > other, `ids ${first}, ${other}, ${last}`);
      assert.deepEqual(await h.store.decisionForCall(c1), { id: last, callId: c1, businessId: b1, decidedAt: T0 + 2, decision: NO_HEAT });
      assert.deepEqual(await h.store.decisionForCall(c2), { id: other, callId: c2, businessId: b1, decidedAt: T0 + 1, decision: ROUTINE });
    });

    test('a decision without a call is no call\'s; a call without a decision has none', async (t) => {
      const h = await open(t);
      const [b1] = h.businessIds;
      const id = await h.store.recordDecision({ callId: null, businessId: b1, decision: NO_HEAT, at: T0 });
      assert.ok(id > 0);
      for (const callId of [...h.callIds, 0, id]) assert.equal(await h.store.decisionForCall(callId), undefined, `call ${callId}`);
    });
  });
}
