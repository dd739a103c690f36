import { createHash, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { GENESIS_HASH } from './ledger-record.ts';

/**
 * Signed checkpoints of the consent ledger: the chain head signed with an Ed25519 key kept outside the
 * database, one JSON line per checkpoint in a file beside it (`checkpointLine`). The line format:
 * src/domain/ledger/README.md, "Signed checkpoints"; the threat model: src/store/README.md.
 */
export const CHECKPOINT_VERSION = 1;
/** Domain separation: these signatures can never be mistaken for signatures over anything else. */
export const CHECKPOINT_SIGNING_PREFIX = 'callkeeper-ledger-checkpoint-v1\n';

export const CHECKPOINT_REASONS = ['start', 'records', 'interval', 'shutdown', 'manual', 'keygen'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

export interface LedgerCheckpoint {
  readonly v: typeof CHECKPOINT_VERSION;
  readonly seq: number;
  readonly id: number;
  readonly count: number;
  readonly head: string;
  readonly at: string;
  readonly reason: CheckpointReason;
  readonly key: string;
  readonly prev: string;
  readonly sig: string;
}

/** An Ed25519 key pair and its id; the private half only exists where checkpoints are written. */
export interface SigningKey {
  readonly id: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

/** What a checkpoint covers: the newest record's id and hash, and how many records there are. */
export interface LedgerHead {
  readonly id: number;
  readonly count: number;
  readonly hash: string;
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256').update(publicKey.export({ type: 'spki', format: 'der' })).digest('hex').slice(0, 16);
}

export function signingKeyOf(privateKey: KeyObject): SigningKey {
  const publicKey = createPublicKey(privateKey);
  return { id: keyIdOf(publicKey), privateKey, publicKey };
}

type Unsigned = Omit<LedgerCheckpoint, 'sig'>;

/** Built field by field so that extra properties or another key order never change the bytes. */
function unsignedJson(c: Unsigned): string {
  return JSON.stringify({ v: c.v, seq: c.seq, id: c.id, count: c.count, head: c.head, at: c.at, reason: c.reason, key: c.key, prev: c.prev });
}

function signedBytes(c: Unsigned): Buffer {
  return Buffer.from(CHECKPOINT_SIGNING_PREFIX + unsignedJson(c), 'utf8');
}

/** The line as written to the checkpoint file (without its newline). */
export function checkpointLine(c: LedgerCheckpoint): string {
  return `${unsignedJson(c).slice(0, -1)},"sig":${JSON.stringify(c.sig)}}`;
}

/** What the next line's `prev` must be. */
export function checkpointDigest(c: LedgerCheckpoint): string {
  return createHash('sha256').update(checkpointLine(c), 'utf8').digest('hex');
}

/** The checkpoint that follows `previous` (or the first one), signed. */
export function nextCheckpoint(previous: LedgerCheckpoint | undefined, head: LedgerHead, atMs: number, reason: CheckpointReason, key: SigningKey): LedgerCheckpoint {
  const unsigned: Unsigned = {
    v: CHECKPOINT_VERSION,
    seq: (previous?.seq ?? 0) + 1,
    id: head.id,
    count: head.count,
    head: head.hash,
    at: new Date(atMs).toISOString(),
    reason,
    key: key.id,
    prev: previous ? checkpointDigest(previous) : GENESIS_HASH,
  };
  return { ...unsigned, sig: sign(null, signedBytes(unsigned), key.privateKey).toString('base64') };
}

export function signatureValid(c: LedgerCheckpoint, publicKey: KeyObject): boolean {
  try {
    return verify(null, signedBytes(c), publicKey, Buffer.from(c.sig, 'base64'));
  } catch {
    return false;
  }
}

const HEX64 = /^[0-9a-f]{64}$/;
const KEY_ID = /^[0-9a-f]{16}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** One line of a checkpoint file, or why it is not one. */
export function parseCheckpointLine(line: string): LedgerCheckpoint | { readonly error: string } {
  let o: unknown;
  try {
    o = JSON.parse(line);
  } catch {
    return { error: 'not JSON' };
  }
  if (typeof o !== 'object' || o === null || Array.isArray(o)) return { error: 'not a JSON object' };
  const r = o as Record<string, unknown>;
  if (r.v !== CHECKPOINT_VERSION) return { error: `unknown version ${JSON.stringify(r.v)}` };
  if (!isCount(r.seq) || r.seq < 1) return { error: 'seq is not a positive integer' };
  if (!isCount(r.id) || !isCount(r.count)) return { error: 'id or count is not a non-negative integer' };
  if (typeof r.head !== 'string' || !HEX64.test(r.head) || typeof r.prev !== 'string' || !HEX64.test(r.prev)) return { error: 'head or prev is not a sha256' };
  if (typeof r.at !== 'string' || Number.isNaN(Date.parse(r.at))) return { error: 'at is not a time' };
  if (!CHECKPOINT_REASONS.includes(r.reason as CheckpointReason)) return { error: 'unknown reason' };
  if (typeof r.key !== 'string' || !KEY_ID.test(r.key)) return { error: 'key is not a key id' };
  if (typeof r.sig !== 'string' || !BASE64.test(r.sig)) return { error: 'sig is not base64' };
  return {
    v: CHECKPOINT_VERSION,
    seq: r.seq,
    id: r.id,
    count: r.count,
    head: r.head,
    at: r.at,
    reason: r.reason as CheckpointReason,
    key: r.key,
    prev: r.prev,
    sig: r.sig,
  };
}

export type CheckpointLogFault = 'unreadable' | 'other-key' | 'bad-signature' | 'out-of-sequence' | 'unlinked' | 'went-back';

export type CheckpointLogCheck =
  | { readonly ok: true; readonly checkpoints: readonly LedgerCheckpoint[] }
  | { readonly ok: false; readonly line: number; readonly reason: CheckpointLogFault; readonly detail: string; readonly checkpoints: readonly LedgerCheckpoint[] };

/**
 * Checks a whole checkpoint file against the public key: every line parses, is signed by this key,
 * numbers on from the line before (seq + 1) and links to it (prev), and covers no fewer records. The
 * first line that fails is named (1-based); `checkpoints` holds the good ones before it. Empty lines are
 * not allowed: the writer never leaves one, so one means the file was edited.
 */
export function checkCheckpointLog(lines: readonly string[], publicKey: KeyObject): CheckpointLogCheck {
  const keyId = keyIdOf(publicKey);
  const good: LedgerCheckpoint[] = [];
  const fail = (line: number, reason: CheckpointLogFault, detail: string): CheckpointLogCheck => ({ ok: false, line, reason, detail, checkpoints: good });
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const c = parseCheckpointLine(lines[i]!);
    if ('error' in c) return fail(n, 'unreadable', `line ${n} is not a checkpoint (${c.error}): the file was edited or damaged`);
    if (c.key !== keyId) return fail(n, 'other-key', `line ${n} (seq ${c.seq}) is signed by key ${c.key}, not by this public key (${keyId})`);
    if (!signatureValid(c, publicKey)) return fail(n, 'bad-signature', `line ${n} (seq ${c.seq}) has a bad signature: it was edited or forged`);
    const before = good[good.length - 1];
    if (c.seq !== (before?.seq ?? 0) + 1) {
      return fail(n, 'out-of-sequence', `line ${n} is seq ${c.seq} but ${before ? `follows seq ${before.seq}` : 'is the first line'}: checkpoints were removed`);
    }
    if (c.prev !== (before ? checkpointDigest(before) : GENESIS_HASH)) {
      return fail(n, 'unlinked', `line ${n} (seq ${c.seq}) does not link to the line before it: a checkpoint was removed or replaced`);
    }
    if (before && (c.id < before.id || (c.id === before.id && c.head !== before.head))) {
      return fail(n, 'went-back', `line ${n} (seq ${c.seq}) covers record ${c.id} with another head than seq ${before.seq} covering record ${before.id}`);
    }
    good.push(c);
  }
  return { ok: true, checkpoints: good };
}

export type CheckpointComparison =
  | { readonly ok: true; readonly last: LedgerCheckpoint | undefined; readonly unsigned: { readonly from: number; readonly to: number } | null }
  | {
      readonly ok: false;
      readonly reason: 'checkpoint-mismatch' | 'truncated';
      readonly checkpoint: LedgerCheckpoint;
      /** The first record id that may differ: the one after the last checkpoint that still agrees. */
      readonly firstBadId: number;
      readonly detail: string;
    };

/**
 * Compares a ledger whose chain is internally intact with valid checkpoints, oldest first. Since every
 * hash covers all the rows before it, a checkpoint whose head equals the ledger's hash at that record
 * vouches for every record up to it; the first checkpoint that disagrees bounds where the rewrite
 * starts: after the last checkpoint that agrees, at or before this one. A checkpoint beyond the newest
 * record means the newest records were removed. Records after the last checkpoint are unsigned: they
 * can be neither proven nor disproven.
 */
export function compareWithCheckpoints(checkpoints: readonly LedgerCheckpoint[], ledger: { readonly lastId: number; hashAt(id: number): string | undefined }): CheckpointComparison {
  let agreed = 0;
  for (const c of checkpoints) {
    const hash = c.id === 0 ? GENESIS_HASH : ledger.hashAt(c.id);
    if (hash === undefined) {
      return {
        ok: false,
        reason: 'truncated',
        checkpoint: c,
        firstBadId: ledger.lastId + 1,
        detail: `the ledger ends at record ${ledger.lastId} but checkpoint ${c.seq} (${c.at}) signed records up to ${c.id}: the newest records were removed`,
      };
    }
    if (hash !== c.head) {
      const range = agreed + 1 === c.id ? `record ${c.id}` : `records ${agreed + 1}-${c.id}`;
      return {
        ok: false,
        reason: 'checkpoint-mismatch',
        checkpoint: c,
        firstBadId: agreed + 1,
        detail:
          `record ${c.id} does not match checkpoint ${c.seq} (${c.at}): the chain was rewritten; the first changed record is among ${range}` +
          (agreed > 0 ? ` (records 1-${agreed} still match the checkpoints)` : ''),
      };
    }
    agreed = c.id;
  }
  const last = checkpoints[checkpoints.length - 1];
  const signedTo = last?.id ?? 0;
  return { ok: true, last, unsigned: last && ledger.lastId > signedTo ? { from: signedTo + 1, to: ledger.lastId } : null };
}
