/**
 * The ConsentStore contract: what every consent ledger (the SQLite store, the in-memory fake the use
 * case tests run on, a future PostgreSQL store) must do, so that a use case tested on the fake behaves
 * the same on the real store. Use:
 *
 *   runConsentStoreContract('sqlite', async (now) => ({ store: new SqliteConsentStore(db, { now }), close }));
 *
 * Every call on the store is awaited, so a store answering with promises runs the same suite.
 *
 * Guarantees checked here, beyond the port's types:
 * - the current consent of a pair is its event recorded last (append order), never the one with the
 *   latest `at`: a back-dated record appended after a STOP does not outrank it (src/store/current-consent-sql.ts);
 * - declined/unclear/no record are `none`; reinstated is `granted`; implied stays `implied`;
 * - pairs are separate: another business or another number never reads this pair's consent;
 * - every append is chained: ids grow by one, `prevHash` is the previous event's `hash`, from the genesis hash;
 * - `at` defaults to the store's clock; an `at` that is not UTC milliseconds is refused (INPUT.INVALID);
 * - what was appended reads back as it was given (latest, history in append order).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { ConsentEventType, NewConsentEvent } from '../../src/domain/consent.ts';
import { GENESIS_HASH } from '../../src/domain/ledger/ledger-record.ts';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import { consentEvent } from '../store/store-test-helpers.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface ConsentStoreHarness extends Teardown {
  readonly store: AsyncPort<ConsentStore>;
}

/** Builds an empty store whose clock is `now`. */
export type ConsentStoreFactory = HarnessFactory<ConsentStoreHarness, [now: () => number]>;

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const A = '+15125550123';
const B = '+15125550124';

/** An event for consumer A unless the test says otherwise (the shared store fixture's defaults). */
const ev = (over: Partial<NewConsentEvent> = {}): NewConsentEvent => consentEvent({ consumer: A, ...over });

export function runConsentStoreContract(name: string, factory: ConsentStoreFactory): void {
  describe(`ConsentStore contract: ${name}`, () => {
    async function open(t: TestContext): Promise<{ store: AsyncPort<ConsentStore>; clock: { t: number } }> {
      const clock = { t: T0 };
      const h = await openHarness(t, factory, () => clock.t);
      return { store: h.store, clock };
    }

    test('a pair with no record has no consent', async (t) => {
      const { store } = await open(t);
      assert.equal(await store.current(1, A), 'none');
      assert.equal(await store.latest(1, A), undefined);
      assert.deepEqual(await store.history(A), []);
    });

    test('the current consent is the event recorded last, whatever its `at`: a back-dated grant after a STOP does not win', async (t) => {
      const { store } = await open(t);
      await store.append(ev({ event: 'granted', at: T0 - 1_000 }));
      await store.append(ev({ event: 'revoked', method: 'sms-keyword', at: T0 - 5_000 }));
      assert.equal(await store.current(1, A), 'revoked');
      await store.append(ev({ event: 'granted', at: T0 - 60_000 }));
      assert.equal(await store.current(1, A), 'granted');
      assert.equal((await store.latest(1, A))?.at, T0 - 60_000);
      await store.append(ev({ event: 'revoked', method: 'sms-keyword', at: T0 + 86_400_000 }));
      assert.equal(await store.current(1, A), 'revoked');
    });

    test('appendUnless judges the pair\'s latest event at the append: refused stores nothing, allowed appends as append does', async (t) => {
      const { store } = await open(t);
      const seen: Array<string | undefined> = [];
      const stopNow = (latest: { event: string } | undefined): boolean => {
        seen.push(latest?.event);
        return latest?.event === 'revoked';
      };
      const first = await store.appendUnless(ev({ event: 'granted' }), stopNow);
      assert.equal(first?.event, 'granted');
      await store.append(ev({ event: 'revoked', method: 'sms-keyword' }));
      assert.equal(await store.appendUnless(ev({ event: 'implied', method: 'implied' }), stopNow), undefined);
      assert.deepEqual(seen, [undefined, 'revoked']);
      assert.deepEqual((await store.history(A)).map((e) => e.event), ['granted', 'revoked']);
      assert.equal(await store.current(1, A), 'revoked');
    });

    test('each event maps to one consent state', async (t) => {
      const { store } = await open(t);
      const expected: Record<ConsentEventType, string> = {
        granted: 'granted',
        declined: 'none',
        unclear: 'none',
        implied: 'implied',
        revoked: 'revoked',
        reinstated: 'granted',
      };
      for (const [event, state] of Object.entries(expected) as Array<[ConsentEventType, string]>) {
        await store.append(ev({ event }));
        assert.equal(await store.current(1, A), state, `after ${event}`);
      }
    });

    test('pairs are separate: another business or another number does not share the consent', async (t) => {
      const { store } = await open(t);
      await store.append(ev({ businessId: 1, consumer: A, event: 'granted' }));
      await store.append(ev({ businessId: 2, consumer: A, event: 'revoked' }));
      await store.append(ev({ businessId: 1, consumer: B, event: 'declined' }));
      assert.equal(await store.current(1, A), 'granted');
      assert.equal(await store.current(2, A), 'revoked');
      assert.equal(await store.current(1, B), 'none');
      assert.equal(await store.current(2, B), 'none');
    });

    test('appends are chained from the genesis hash, ids growing by one', async (t) => {
      const { store } = await open(t);
      const a = await store.append(ev());
      const b = await store.append(ev({ consumer: B }));
      const c = await store.append(ev({ event: 'revoked' }));
      assert.equal(a.prevHash, GENESIS_HASH);
      assert.equal(b.id, a.id + 1);
      assert.equal(c.id, b.id + 1);
      assert.equal(b.prevHash, a.hash);
      assert.equal(c.prevHash, b.hash);
      assert.match(a.hash, /^[0-9a-f]{64}$/);
      assert.equal(new Set([a.hash, b.hash, c.hash]).size, 3);
    });

    test('`at` defaults to the store clock; a given `at` is kept', async (t) => {
      const { store, clock } = await open(t);
      clock.t = T0 + 42_000;
      assert.equal((await store.append(ev())).at, T0 + 42_000);
      assert.equal((await store.append(ev({ at: T0 - 7 }))).at, T0 - 7);
      assert.equal((await store.latest(1, A))?.at, T0 - 7);
    });

    test('an `at` that is not UTC milliseconds is refused with INPUT.INVALID, and nothing is stored', async (t) => {
      const { store } = await open(t);
      for (const at of [-1, 1.5, Number.NaN, Number.MAX_SAFE_INTEGER + 2]) {
        await rejectsWithCode(() => store.append(ev({ at })), 'INPUT.INVALID', `at ${at}`);
      }
      assert.deepEqual(await store.history(A), []);
      assert.equal(await store.current(1, A), 'none');
    });

    test('an event reads back as appended; history is the number\'s events in append order, optionally for one business', async (t) => {
      const { store } = await open(t);
      const first = await store.append(ev({ callId: null, transcript: 'yes please', audioPath: '/rec/1.wav', audioSha256: 'ab'.repeat(32) }));
      const other = await store.append(ev({ businessId: 2, event: 'declined', scriptText: null, scriptVersion: null, transcript: 'no' }));
      await store.append(ev({ consumer: B }));
      const stop = await store.append(ev({ event: 'revoked', method: 'sms-keyword', scriptText: null, scriptVersion: null, transcript: null, source: 'sms' }));
      const latest = await store.latest(1, A);
      assert.deepEqual(latest, stop);
      assert.deepEqual(
        (await store.history(A)).map((e) => e.id),
        [first.id, other.id, stop.id],
      );
      assert.deepEqual(
        (await store.history(A, 1)).map((e) => e.id),
        [first.id, stop.id],
      );
      const back = (await store.history(A, 1))[0]!;
      assert.deepEqual(back, first);
      assert.equal(back.scriptText, ev().scriptText);
      assert.equal(back.audioPath, '/rec/1.wav');
    });
  });
}
