/**
 * The CallLog contract: every call log (SQLite, the in-memory fake the call tests run on, PostgreSQL
 * next) keeps one row per call, opened with what the trunk sent and filled as the call goes. The port
 * only writes, so each harness reads a row back its own way (`read`). Guarantees checked:
 * - open returns a new positive id per call, growing; two calls never share a row;
 * - the message, the transcript and the outcome land on their own call's row, in any order, and a
 *   later save replaces an earlier one;
 * - a call without a business (an unknown DID) or without a usable caller id is still logged.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CallLog, CallOutcome, NewCall } from '../../src/domain/ports/call-log.ts';

export interface CallLogRow extends NewCall {
  readonly outcome: CallOutcome | null;
  readonly endedAt: number | null;
  readonly recordingPath: string | null;
  readonly recordingSha256: string | null;
  readonly recordingMs: number | null;
  readonly transcript: string | null;
  readonly summary: string | null;
}

export interface CallLogHarness {
  readonly log: CallLog;
  /** A business that exists in the store. */
  readonly businessId: number;
  read(callId: number): CallLogRow | undefined;
  close(): void;
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);

export function runCallLogContract(name: string, factory: () => CallLogHarness): void {
  describe(`CallLog contract: ${name}`, () => {
    function open(t: { after(fn: () => void): void }): CallLogHarness & { call(over?: Partial<NewCall>): NewCall } {
      const h = factory();
      t.after(() => h.close());
      return {
        ...h,
        call: (over = {}) => ({
          engine: 'asterisk', channelId: `chan-${Math.random()}`, businessId: h.businessId, did: '+15125550100',
          callerRaw: '5125550123', callerE164: '+15125550123', startedAt: T0, ...over,
        }),
      };
    }

    test('open returns a new growing id, and the row holds what the trunk sent, not yet closed', (t) => {
      const h = open(t);
      const a = h.call();
      const b = h.call({ engine: 'freeswitch', callerRaw: 'anonymous', callerE164: null, businessId: null, did: '+15125550999' });
      const ida = h.log.open(a);
      const idb = h.log.open(b);
      assert.ok(ida > 0 && idb > ida, `ids ${ida}, ${idb}`);
      const empty = { outcome: null, endedAt: null, recordingPath: null, recordingSha256: null, recordingMs: null, transcript: null, summary: null };
      assert.deepEqual(h.read(ida), { ...a, ...empty });
      assert.deepEqual(h.read(idb), { ...b, ...empty });
    });

    test('message, transcript and outcome land on their own call, in any order; a later save replaces', (t) => {
      const h = open(t);
      const id = h.log.open(h.call());
      const other = h.log.open(h.call());
      h.log.close(id, { outcome: 'consent-granted', endedAt: T0 + 30_000 });
      h.log.saveTranscript(id, { transcript: 'first try', summary: null });
      h.log.saveMessage(id, { recordingPath: '/rec/1.wav', sha256: 'ab'.repeat(32), durationMs: 4_200 });
      h.log.saveTranscript(id, { transcript: 'the boiler is leaking', summary: 'boiler leak' });
      const row = h.read(id);
      assert.equal(row?.outcome, 'consent-granted');
      assert.equal(row?.endedAt, T0 + 30_000);
      assert.equal(row?.recordingPath, '/rec/1.wav');
      assert.equal(row?.recordingSha256, 'ab'.repeat(32));
      assert.equal(row?.recordingMs, 4_200);
      assert.equal(row?.transcript, 'the boiler is leaking');
      assert.equal(row?.summary, 'boiler leak');
      const untouched = h.read(other);
      assert.equal(untouched?.outcome, null);
      assert.equal(untouched?.transcript, null);
      assert.equal(untouched?.recordingPath, null);
    });

    test('a message without a known duration is stored as such', (t) => {
      const h = open(t);
      const id = h.log.open(h.call());
      h.log.saveMessage(id, { recordingPath: '/rec/2.wav', sha256: 'cd'.repeat(32), durationMs: null });
      assert.equal(h.read(id)?.recordingMs, null);
      assert.equal(h.read(id)?.recordingPath, '/rec/2.wav');
    });
  });
}
