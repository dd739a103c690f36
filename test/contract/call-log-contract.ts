/**
 * The CallLog contract: every call log (SQLite, the in-memory fake the call tests run on, PostgreSQL
 * next) keeps one row per call, opened with what the trunk sent and filled as the call goes. The port
 * only writes, so each harness reads a row back its own way (`read`). Guarantees checked:
 * - open returns a new positive id per call, growing; two calls never share a row;
 * - the message, the transcript and the outcome land on their own call's row, in any order, and a
 *   later save replaces an earlier one;
 * - a call without a business (an unknown DID) or without a usable caller id is still logged;
 * - the message transcript's status follows the writes: a saved message is `pending` (listed by
 *   `pendingTranscripts`, oldest call first, counted by `transcriptBacklog`), a saved transcript `done`,
 *   `markTranscriptFailed` `failed` with its reason; attempts count up and a new recording starts over
 *   (the backlog: src/app/call/message-backlog.ts);
 * - a save or close naming a call that was never opened fails with INPUT.NOT_FOUND and writes nothing:
 *   the app only passes ids `open` returned, so such a call is a bug, and a message recording written to
 *   no row would never be found by the retention purge (it lists recordings from call rows).
 *
 * Every call on the log is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { CallLog, CallOutcome, NewCall, TranscriptStatus } from '../../src/domain/ports/call-log.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface CallLogRow extends NewCall {
  readonly outcome: CallOutcome | null;
  readonly endedAt: number | null;
  readonly recordingPath: string | null;
  readonly recordingSha256: string | null;
  readonly recordingMs: number | null;
  readonly transcript: string | null;
  readonly summary: string | null;
  readonly transcriptStatus: TranscriptStatus | null;
  readonly transcriptAttempts: number;
  readonly transcriptError: string | null;
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
      const empty = {
        outcome: null, endedAt: null, recordingPath: null, recordingSha256: null, recordingMs: null, transcript: null, summary: null,
        transcriptStatus: null, transcriptAttempts: 0, transcriptError: null,
      };
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
      await rejectsWithCode(() => h.log.countTranscriptAttempt(unknown), 'INPUT.NOT_FOUND', 'countTranscriptAttempt');
      await rejectsWithCode(() => h.log.markTranscriptFailed(unknown, 'recording purged'), 'INPUT.NOT_FOUND', 'markTranscriptFailed');
      assert.equal(await h.read(unknown), undefined);
      assert.deepEqual(await h.read(id), before);
    });

    test('a saved message is pending until its transcript is saved; listed and counted while pending', async (t) => {
      const h = await open(t);
      assert.deepEqual(await h.log.transcriptBacklog(), { pending: 0, oldestStartedAt: null });
      const id = await h.log.open(h.call({ startedAt: T0 + 1_000 }));
      const noMessage = await h.log.open(h.call({ startedAt: T0 }));
      await h.log.close(noMessage, { outcome: 'no-message', endedAt: T0 + 5_000 });
      assert.deepEqual(await h.log.pendingTranscripts(10), [], 'a call without a message needs no transcript');
      await h.log.saveMessage(id, { recordingPath: '/rec/p.wav', sha256: '12'.repeat(32), durationMs: 3_000 });
      assert.equal((await h.read(id))?.transcriptStatus, 'pending');
      assert.deepEqual(await h.log.pendingTranscripts(10), [
        {
          callId: id, businessId: h.businessId, did: '+15125550100', callerE164: '+15125550123', startedAt: T0 + 1_000, endedAt: null, outcome: null,
          recordingPath: '/rec/p.wav', recordingSha256: '12'.repeat(32), recordingDeletedAt: null, attempts: 0,
        },
      ]);
      assert.deepEqual(await h.log.transcriptBacklog(), { pending: 1, oldestStartedAt: T0 + 1_000 });
      await h.log.close(id, { outcome: 'message-only', endedAt: T0 + 40_000 });
      const [closed] = await h.log.pendingTranscripts(10);
      assert.equal(closed?.endedAt, T0 + 40_000, 'the pending row shows the call closed');
      assert.equal(closed?.outcome, 'message-only');
      await h.log.saveTranscript(id, { transcript: 'the heater is out', summary: null });
      assert.equal((await h.read(id))?.transcriptStatus, 'done');
      assert.deepEqual(await h.log.pendingTranscripts(10), []);
      assert.deepEqual(await h.log.transcriptBacklog(), { pending: 0, oldestStartedAt: null });
    });

    test('pending messages come oldest call first (start, then id), at most `limit`, and only calls started before `olderThan`', async (t) => {
      const h = await open(t);
      const late = await h.log.open(h.call({ startedAt: T0 + 60_000 }));
      const early = await h.log.open(h.call({ startedAt: T0 }));
      const sameStart = await h.log.open(h.call({ startedAt: T0 }));
      for (const id of [late, early, sameStart]) await h.log.saveMessage(id, { recordingPath: `/rec/${id}.wav`, sha256: '34'.repeat(32), durationMs: null });
      assert.deepEqual((await h.log.pendingTranscripts(10)).map((p) => p.callId), [early, sameStart, late]);
      assert.deepEqual((await h.log.pendingTranscripts(2)).map((p) => p.callId), [early, sameStart]);
      assert.deepEqual((await h.log.pendingTranscripts(10, T0 + 60_000)).map((p) => p.callId), [early, sameStart], 'a call started at olderThan is not older');
      assert.deepEqual(await h.log.pendingTranscripts(10, T0), []);
      assert.deepEqual(await h.log.transcriptBacklog(), { pending: 3, oldestStartedAt: T0 });
    });

    test('attempts count up; a failed transcript keeps its reason and leaves the backlog; a new recording starts over', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.call());
      const other = await h.log.open(h.call());
      await h.log.saveMessage(id, { recordingPath: '/rec/a.wav', sha256: '56'.repeat(32), durationMs: 2_000 });
      await h.log.saveMessage(other, { recordingPath: '/rec/b.wav', sha256: '78'.repeat(32), durationMs: 2_000 });
      assert.equal(await h.log.countTranscriptAttempt(id), 1);
      assert.equal(await h.log.countTranscriptAttempt(id), 2);
      assert.equal((await h.log.pendingTranscripts(10)).find((p) => p.callId === id)?.attempts, 2);
      assert.equal((await h.read(other))?.transcriptAttempts, 0, 'attempts are per call');
      await h.log.markTranscriptFailed(id, 'recording purged');
      const failed = await h.read(id);
      assert.equal(failed?.transcriptStatus, 'failed');
      assert.equal(failed?.transcriptError, 'recording purged');
      assert.equal(failed?.transcriptAttempts, 2);
      assert.deepEqual((await h.log.pendingTranscripts(10)).map((p) => p.callId), [other]);
      assert.equal((await h.log.transcriptBacklog()).pending, 1);
      await h.log.saveMessage(id, { recordingPath: '/rec/a2.wav', sha256: '9a'.repeat(32), durationMs: 2_500 });
      const again = await h.read(id);
      assert.equal(again?.transcriptStatus, 'pending');
      assert.equal(again?.transcriptAttempts, 0);
      assert.equal(again?.transcriptError, null);
    });
  });
}
