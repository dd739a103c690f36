/**
 * The RecordingRetentionStore contract: what the retention purge reads and stamps, on every durable
 * store (SQLite today, PostgreSQL next). A harness gives the call log and the consent ledger on the
 * same database, and the suite records calls and consent answers through those ports. Guarantees checked:
 * - listExpired lists calls started before `before` (exclusive) that have a message recording or
 *   consent-answer audio, in call id order; a call with neither is never listed;
 * - each call's paths are distinct, its message recording first, then its answers' audio in ledger
 *   order, never another call's;
 * - pages go on after `afterCallId` and hold at most `limit` calls;
 * - a stamped call is no longer listed; a second stamp keeps the first time; the ledger is not written.
 *
 * Every call on the stores is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { CallLog } from '../../src/domain/ports/call-log.ts';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import type { RecordingRetentionStore } from '../../src/domain/ports/recording-retention-store.ts';
import { openHarness, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface RecordingRetentionStoreHarness extends Teardown {
  readonly store: AsyncPort<RecordingRetentionStore>;
  readonly calls: AsyncPort<CallLog>;
  readonly consent: AsyncPort<ConsentStore>;
  /** A business that exists in the store, and its DID. */
  readonly businessId: number;
  readonly did: string;
  /** When the call's recordings were stamped deleted, or null. */
  deletedAt(callId: number): Awaitable<number | null>;
}

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 4, 26, 14, 0, 0);
const CUTOFF = NOW - 90 * DAY;
const CALLER = '+15125550123';

export function runRecordingRetentionStoreContract(name: string, factory: HarnessFactory<RecordingRetentionStoreHarness>): void {
  describe(`RecordingRetentionStore contract: ${name}`, () => {
    async function open(t: TestContext) {
      const h = await openHarness(t, factory);
      return {
        ...h,
        /** A call started `ageDays` ago, with its message recording if given. */
        async call(ageDays: number, message: string | null = null): Promise<number> {
          const id = await h.calls.open({
            engine: 'asterisk', channelId: `c-${ageDays}-${Math.random()}`, businessId: h.businessId, did: h.did, callerRaw: '5125550123',
            callerE164: CALLER, startedAt: NOW - ageDays * DAY,
          });
          if (message !== null) await h.calls.saveMessage(id, { recordingPath: message, sha256: 'ab'.repeat(32), durationMs: 3_000 });
          return id;
        },
        /** A consent answer of `callId` (or of no call), with its audio if given. */
        async answer(callId: number | null, audio: string | null): Promise<void> {
          await h.consent.append({
            event: 'granted', businessId: h.businessId, did: h.did, consumer: CALLER, method: 'verbal', scriptVersion: null, scriptText: null,
            transcript: 'yes', audioPath: audio, audioSha256: audio === null ? null : 'cd'.repeat(32), callId, source: 'call', at: NOW - 100 * DAY,
          });
        },
      };
    }

    test('expired calls with recordings, in id order, each with its own distinct paths, message first', async (t) => {
      const h = await open(t);
      const both = await h.call(120, '/rec/a.wav');
      await h.answer(both, '/rec/a-answer1.wav');
      await h.answer(both, '/rec/a.wav');
      await h.answer(both, null);
      await h.answer(both, '/rec/a-answer2.wav');
      await h.answer(both, '/rec/a-answer1.wav');
      await h.call(110);
      const answerOnly = await h.call(100);
      await h.answer(answerOnly, '/rec/b-answer.wav');
      await h.answer(null, '/rec/no-call.wav');
      const messageOnly = await h.call(91, '/rec/c.wav');
      await h.call(90, '/rec/at-cutoff.wav');
      await h.call(10, '/rec/recent.wav');
      assert.deepEqual(await h.store.listExpired(CUTOFF, { afterCallId: 0, limit: 100 }), [
        { callId: both, startedAt: NOW - 120 * DAY, paths: ['/rec/a.wav', '/rec/a-answer1.wav', '/rec/a-answer2.wav'] },
        { callId: answerOnly, startedAt: NOW - 100 * DAY, paths: ['/rec/b-answer.wav'] },
        { callId: messageOnly, startedAt: NOW - 91 * DAY, paths: ['/rec/c.wav'] },
      ]);
    });

    test('pages go on after afterCallId and hold at most limit calls', async (t) => {
      const h = await open(t);
      const ids: number[] = [];
      for (let i = 0; i < 5; i++) ids.push(await h.call(200 - i, `/rec/${i}.wav`));
      const page1 = await h.store.listExpired(CUTOFF, { afterCallId: 0, limit: 2 });
      assert.deepEqual(page1.map((c) => c.callId), ids.slice(0, 2));
      const page2 = await h.store.listExpired(CUTOFF, { afterCallId: page1.at(-1)!.callId, limit: 2 });
      assert.deepEqual(page2.map((c) => c.callId), ids.slice(2, 4));
      const page3 = await h.store.listExpired(CUTOFF, { afterCallId: page2.at(-1)!.callId, limit: 2 });
      assert.deepEqual(page3.map((c) => c.callId), ids.slice(4));
      assert.deepEqual(await h.store.listExpired(CUTOFF, { afterCallId: ids[4]!, limit: 2 }), []);
    });

    test('a stamped call is no longer listed; a second stamp keeps the first time; the ledger is untouched', async (t) => {
      const h = await open(t);
      const a = await h.call(120, '/rec/a.wav');
      await h.answer(a, '/rec/a-answer.wav');
      const b = await h.call(110, '/rec/b.wav');
      const ledger = await h.consent.history(CALLER);
      assert.equal(await h.deletedAt(a), null);
      await h.store.markDeleted(a, NOW);
      await h.store.markDeleted(a, NOW + 1_000);
      assert.equal(await h.deletedAt(a), NOW);
      assert.equal(await h.deletedAt(b), null);
      assert.deepEqual((await h.store.listExpired(CUTOFF, { afterCallId: 0, limit: 10 })).map((c) => c.callId), [b]);
      assert.deepEqual(await h.consent.history(CALLER), ledger);
    });
  });
}
