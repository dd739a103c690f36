import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import {
  checkCheckpointLog,
  checkpointLine,
  compareWithCheckpoints,
  nextCheckpoint,
  parseCheckpointLine,
  signatureValid,
  signingKeyOf,
  type LedgerCheckpoint,
} from '../../src/domain/ledger/ledger-checkpoint.ts';
import { GENESIS_HASH } from '../../src/domain/ledger/ledger-record.ts';

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);
const newKey = () => signingKeyOf(generateKeyPairSync('ed25519').privateKey);
const h = (n: number): string => n.toString(16).padStart(64, '0');

/** Checkpoints over records 2, 5 and 9 of a ledger whose record i has hash h(i). */
function chainOf(key = newKey()): { key: ReturnType<typeof newKey>; cps: LedgerCheckpoint[]; lines: string[] } {
  const cps: LedgerCheckpoint[] = [];
  for (const id of [2, 5, 9]) cps.push(nextCheckpoint(cps.at(-1), { id, count: id, hash: h(id) }, T0 + id * 60_000, 'records', key));
  return { key, cps, lines: cps.map(checkpointLine) };
}

describe('ledger checkpoints', () => {
  test('a checkpoint line round-trips, is signed by the key, and links to the one before', () => {
    const { key, cps, lines } = chainOf();
    assert.equal(cps[0]!.seq, 1);
    assert.equal(cps[0]!.prev, GENESIS_HASH);
    assert.equal(cps[2]!.seq, 3);
    assert.match(lines[0]!, /^\{"v":1,"seq":1,"id":2,"count":2,"head":"0{63}2","at":"2026-05-26T14:02:00\.000Z","reason":"records","key":"[0-9a-f]{16}","prev":"0{64}","sig":"[A-Za-z0-9+/]+={0,2}"\}$/);
    const parsed = parseCheckpointLine(lines[1]!);
    assert.deepEqual(parsed, cps[1]);
    assert.equal(signatureValid(cps[1]!, key.publicKey), true);
    assert.equal(signatureValid(cps[1]!, newKey().publicKey), false);
    assert.deepEqual(checkCheckpointLog(lines, key.publicKey), { ok: true, checkpoints: cps });
  });

  test('an edited line fails its signature', () => {
    const { key, lines } = chainOf();
    const edited = [...lines];
    edited[1] = lines[1]!.replace('"id":5,"count":5', '"id":4,"count":4');
    const r = checkCheckpointLog(edited, key.publicKey);
    assert.equal(r.ok, false);
    assert.deepEqual(r.ok ? null : [r.line, r.reason, r.checkpoints.length], [2, 'bad-signature', 1]);
  });

  test('a line removed from the middle breaks the sequence, a line replaced by another signed one breaks the link', () => {
    const { key, cps, lines } = chainOf();
    const removed = checkCheckpointLog([lines[0]!, lines[2]!], key.publicKey);
    assert.deepEqual(removed.ok ? null : [removed.line, removed.reason], [2, 'out-of-sequence']);
    assert.match(removed.ok ? '' : removed.detail, /line 2 is seq 3 but follows seq 1: checkpoints were removed/);
    // A validly signed seq 2 that was not the one written after seq 1 (e.g. from a rewound file).
    const other = nextCheckpoint(undefined, { id: 9, count: 9, hash: h(9) }, T0, 'records', key);
    const forkedSeq2 = checkpointLine(nextCheckpoint(other, { id: 5, count: 5, hash: h(5) }, T0, 'records', key));
    const replaced = checkCheckpointLog([lines[0]!, forkedSeq2, lines[2]!], key.publicKey);
    assert.deepEqual(replaced.ok ? null : [replaced.line, replaced.reason], [2, 'unlinked']);
    assert.equal(cps.length, 3);
  });

  test('lines from another key, damaged lines and a checkpoint that goes back are named', () => {
    const { key, lines } = chainOf();
    const foreign = chainOf().lines;
    const r1 = checkCheckpointLog(foreign, key.publicKey);
    assert.deepEqual(r1.ok ? null : [r1.line, r1.reason], [1, 'other-key']);
    const r2 = checkCheckpointLog([lines[0]!, '{"v":1,"seq":2'], key.publicKey);
    assert.deepEqual(r2.ok ? null : [r2.line, r2.reason], [2, 'unreadable']);
    const r3 = checkCheckpointLog([lines[0]!, ''], key.publicKey);
    assert.deepEqual(r3.ok ? null : [r3.line, r3.reason], [2, 'unreadable']);
    const first = nextCheckpoint(undefined, { id: 5, count: 5, hash: h(5) }, T0, 'records', key);
    const back = nextCheckpoint(first, { id: 3, count: 3, hash: h(3) }, T0, 'records', key);
    const r4 = checkCheckpointLog([first, back].map(checkpointLine), key.publicKey);
    assert.deepEqual(r4.ok ? null : [r4.line, r4.reason], [2, 'went-back']);
  });

  test('comparison: all agree; the first disagreeing checkpoint bounds the rewrite; a checkpoint past the end means removed records', () => {
    const { cps } = chainOf();
    const honest = (id: number): string | undefined => (id <= 11 ? h(id) : undefined);
    assert.deepEqual(compareWithCheckpoints(cps, { lastId: 11, hashAt: honest }), { ok: true, last: cps[2], unsigned: { from: 10, to: 11 } });
    assert.deepEqual(compareWithCheckpoints(cps, { lastId: 9, hashAt: honest }), { ok: true, last: cps[2], unsigned: null });

    // Record 4 edited and every later hash recomputed: records 1-2 still match, 5 and 9 do not.
    const rewritten = (id: number): string | undefined => (id < 4 ? h(id) : id <= 11 ? h(1000 + id) : undefined);
    const r = compareWithCheckpoints(cps, { lastId: 11, hashAt: rewritten });
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.deepEqual([r.reason, r.checkpoint.seq, r.firstBadId], ['checkpoint-mismatch', 2, 3]);
    assert.match(r.detail, /record 5 does not match checkpoint 2 .*the first changed record is among records 3-5 \(records 1-2 still match the checkpoints\)/);

    const truncated = compareWithCheckpoints(cps, { lastId: 7, hashAt: (id) => (id <= 7 ? h(id) : undefined) });
    assert.deepEqual(truncated.ok ? null : [truncated.reason, truncated.checkpoint.seq, truncated.firstBadId], ['truncated', 3, 8]);
    assert.match(truncated.ok ? '' : truncated.detail, /ends at record 7 but checkpoint 3 .* signed records up to 9: the newest records were removed/);
  });

  test('a checkpoint of the empty ledger signs the genesis hash and agrees with any ledger', () => {
    const key = newKey();
    const c = nextCheckpoint(undefined, { id: 0, count: 0, hash: GENESIS_HASH }, T0, 'start', key);
    assert.deepEqual(compareWithCheckpoints([c], { lastId: 3, hashAt: () => undefined }), { ok: true, last: c, unsigned: { from: 1, to: 3 } });
  });
});
