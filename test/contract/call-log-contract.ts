/**
 * The CallLog contract: every call log (SQLite, the in-memory fake the call tests run on, PostgreSQL
 * next) keeps one row per call, opened with what the trunk sent and filled as the call goes. The port
 * only writes, so each harness reads a row back its own way (`read`). Guarantees checked:
 * - open returns a new positive id per call, growing; two calls never share a row;
 * - the message, the transcript and the outcome land on their own call's row, in any order, and a
 *   later save replaces an earlier one;
 * - a call without a business (an unknown DID) or without a usable caller id is still logged;
 * - a save or close naming a call that was never opened fails with INPUT.NOT_FOUND and writes nothing:
 *   the app only passes ids `open` returned, so such a call is a bug, and a message recording written to
 *   no row would never be found by the retention purge (it lists recordings from call rows).
 *
 * Every call on the log is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { CallLog, CallOutcome, NewCall } from '../../src/domain/ports/call-log.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface CallLogRow extends NewCall {
  readonly outcome: CallOutcome | null;
  readonly endedAt: number | null;
  readonly recordingPath: string | null;
  readonly recordingSha256: string | null;
  readonly recordingMs: number | null;
  readonly transcript: string | null;
  readonly summary: string | null;
}

export interface CallLogHarness extends Teardown {
  readonly log: AsyncPort<CallLog>;
  /** A business that exists in the store. */
  readonly businessId: number;
  read(callId: number): Awaitable<CallLogRow | undefined>;
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);

export function runCallLogContract(name: string, factory: HarnessFactory<CallLogHarness>): void {
  describe(`CallLog contract: ${name}`, () => {
    async function open(t: TestContext): Promise<CallLogHarness & { call(over?: Partial<NewCall>): NewCall }> {
      const h = await openHarness(t, factory);
      return {
        ...h,
        call: (over = {}) => ({
          engine: 'asterisk', channelId: `chan-${Math.random()}`, businessId: h.businessId, did: '+15125550100',
          callerRaw: '5125550123', callerE164: '+15125550123', startedAt: T0, ...over,
        }),
      };
    }

    test('open returns a new growing id, and the row holds what the trunk sent, not yet closed', async (t) => {
      const h = await open(t);
      const a = h.call();
      const b = h.call({ engine: 'freeswitch', callerRaw: 'anonymous', callerE164: null, businessId: null, did: '+15125550999' });
      const ida = await h.log.open(a);
      const idb = await h.log.open(b);
      assert.ok(ida > 0 && idb > ida, `ids ${ida}, ${idb}`);
      const empty = { outcome: null, endedAt: null, recordingPath: null, recordingSha256: null, recordingMs: null, transcript: null, summary: null };
      assert.deepEqual(await h.read(ida), { ...a, ...empty });
      assert.deepEqual(await h.read(idb), { ...b, ...empty });
    });

    test('message, transcript and outcome land on their own call, in any order; a later save replaces', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.call());
      const other = await h.log.open(h.call());
      await h.log.close(id, { outcome: 'consent-granted', endedAt: T0 + 30_000 });
      await h.log.saveTranscript(id, { transcript: 'first try', summary: null });
      await h.log.saveMessage(id, { recordingPath: '/rec/1.wav', sha256: 'ab'.repeat(32), durationMs: 4_200 });
      await h.log.saveTranscript(id, { transcript: 'the boiler is leaking', summary: 'boiler leak' });
      const row = await h.read(id);
      assert.equal(row?.outcome, 'consent-granted');
      assert.equal(row?.endedAt, T0 + 30_000);
      assert.equal(row?.recordingPath, '/rec/1.wav');
      assert.equal(row?.recordingSha256, 'ab'.repeat(32));
      assert.equal(row?.recordingMs, 4_200);
      assert.equal(row?.transcript, 'the boiler is leaking');
      assert.equal(row?.summary, 'boiler leak');
      const untouched = await h.read(other);
      assert.equal(untouched?.outcome, null);
      assert.equal(untouched?.transcript, null);
      assert.equal(untouched?.recordingPath, null);
    });

    test('a message without a known duration is stored as such', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.call());
      await h.log.saveMessage(id, { recordingPath: '/rec/2.wav', sha256: 'cd'.repeat(32), durationMs: null });
      assert.equal((await h.read(id))?.recordingMs, null);
      assert.equal((await h.read(id))?.recordingPath, '/rec/2.wav');
    });

    test('a save or close naming a call never opened is refused with INPUT.NOT_FOUND, and no row changes', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.call());
      const before = await h.read(id);
      const unknown = id + 1_000;
      await rejectsWithCode(() => h.log.saveMessage(unknown, { recordingPath: '/rec/x.wav', sha256: 'ef'.repeat(32), durationMs: 1 }), 'INPUT.NOT_FOUND', 'saveMessage');
      await rejectsWithCode(() => h.log.saveTranscript(unknown, { transcript: 'lost', summary: null }), 'INPUT.NOT_FOUND', 'saveTranscript');
      await rejectsWithCode(() => h.log.close(unknown, { outcome: 'failed', endedAt: T0 }), 'INPUT.NOT_FOUND', 'close');
      assert.equal(await h.read(unknown), undefined);
      assert.deepEqual(await h.read(id), before);
    });
  });
}
