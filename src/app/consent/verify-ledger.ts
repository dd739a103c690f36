import type { KeyObject } from 'node:crypto';
import type { ChainVerification } from '../../domain/ledger/ledger-chain.ts';
import {
  checkCheckpointLog,
  compareWithCheckpoints,
  keyIdOf,
  parseCheckpointLine,
  type CheckpointLogFault,
  type LedgerCheckpoint,
} from '../../domain/ledger/ledger-checkpoint.ts';
import type { ConsentLedger } from '../../domain/ports/consent-ledger.ts';

/** What the chain is checked against beyond itself. */
export type CheckpointInput =
  /** No key and no checkpoint file: only the chain's own consistency can be checked. */
  | { readonly kind: 'none'; readonly why: string }
  | { readonly kind: 'checkpoints'; readonly lines: readonly string[]; readonly publicKey: KeyObject; readonly source: string };

export type SignedVerification =
  | { readonly state: 'unsigned'; readonly detail: string }
  | {
      readonly state: 'ok';
      readonly checkpoints: number;
      readonly keyId: string;
      readonly last: LedgerCheckpoint;
      /** Records after the last checkpoint: neither proven nor disproven. */
      readonly unsigned: { readonly from: number; readonly to: number } | null;
    }
  | { readonly state: 'no-checkpoints'; readonly detail: string }
  | { readonly state: 'file-tampered'; readonly line: number; readonly reason: CheckpointLogFault; readonly detail: string }
  | { readonly state: 'ledger-tampered'; readonly reason: 'checkpoint-mismatch' | 'truncated'; readonly seq: number; readonly firstBadId: number; readonly detail: string };

export interface LedgerVerification {
  readonly ok: boolean;
  readonly chain: ChainVerification;
  /** Null when the chain itself is broken (that fault is reported first). */
  readonly signed: SignedVerification | null;
  /** What an operator reads: the report when ok, else the one failure line. */
  readonly lines: readonly string[];
}

/**
 * `consent verify`: the chain's own consistency (every hash, every link), then the chain against the
 * signed checkpoints, which is what catches a rewrite that recomputed the hashes and the removal of the
 * newest records. Failure (exit 1) names the first record that disagrees, or the checkpoint line.
 */
export function verifyLedger(ledger: ConsentLedger, input: CheckpointInput = NO_CHECKPOINTS): LedgerVerification {
  return judged(ledger.verify(), input, (id) => ledger.record(id)?.hash);
}

/** What verifyLedgerAsync reads: the chain's walk, and the hashes at the records the checkpoints name. */
export interface AsyncVerifiableLedger {
  verify(): Promise<ChainVerification>;
  /** The hashes of those of `ids` the ledger holds. */
  hashesAt(ids: readonly number[]): Promise<ReadonlyMap<number, string>>;
}

/**
 * verifyLedger on a ledger whose reads are awaited (PostgreSQL): the same checks, judged and worded by
 * the same code. The checkpoint lines were read before the walk (`input`), so every checkpoint names a
 * record committed before the walk began; their hashes are read in one go after it.
 */
export async function verifyLedgerAsync(ledger: AsyncVerifiableLedger, input: CheckpointInput = NO_CHECKPOINTS): Promise<LedgerVerification> {
  const chain = await ledger.verify();
  const ids = chain.ok && input.kind === 'checkpoints' ? checkpointIds(input.lines) : [];
  const hashes = ids.length > 0 ? await ledger.hashesAt(ids) : new Map<number, string>();
  return judged(chain, input, (id) => hashes.get(id));
}

const NO_CHECKPOINTS: CheckpointInput = { kind: 'none', why: 'no checkpoints given' };

/** The record ids the lines that parse name (a line that does not parse fails the file's check before any hash is asked for). */
function checkpointIds(lines: readonly string[]): number[] {
  const ids: number[] = [];
  for (const line of lines) {
    const c = parseCheckpointLine(line);
    if (!('error' in c) && c.id > 0) ids.push(c.id);
  }
  return ids;
}

function judged(chain: ChainVerification, input: CheckpointInput, hashAt: (id: number) => string | undefined): LedgerVerification {
  if (!chain.ok) {
    return {
      ok: false,
      chain,
      signed: null,
      lines: [`ledger tampered: first bad record ${chain.badId} (${chain.reason}): ${chain.detail}; ${chain.count} records before it are intact`],
    };
  }
  const head = [`ok ${chain.count} records`, `head ${chain.head}`];
  const signed = checkSigned(hashAt, chain, input);
  switch (signed.state) {
    case 'unsigned':
      return { ok: true, chain, signed, lines: [...head, `unsigned: ${signed.detail}`] };
    case 'ok': {
      const l = signed.last;
      const covers = l.id === 0 ? 'covers no records (the ledger was empty)' : `covers ${records(1, l.id)}`;
      const n = signed.checkpoints;
      const lines = [...head, `signed: ${n} checkpoint${n === 1 ? '' : 's'} by key ${signed.keyId}; the last (seq ${l.seq}, ${l.at}) ${covers}`];
      if (signed.unsigned) {
        const { from, to } = signed.unsigned;
        lines.push(`unsigned: ${records(from, to)} ${from === to ? 'comes' : 'come'} after the last checkpoint and can be neither proven nor disproven yet`);
      }
      return { ok: true, chain, signed, lines };
    }
    case 'no-checkpoints':
      return { ok: false, chain, signed, lines: [`ledger unverifiable: ${signed.detail}`] };
    case 'file-tampered':
      return { ok: false, chain, signed, lines: [`checkpoint file tampered: ${signed.detail}`] };
    case 'ledger-tampered':
      return { ok: false, chain, signed, lines: [`ledger tampered: first bad record ${signed.firstBadId} (${signed.reason}): ${signed.detail}`] };
  }
}

const records = (from: number, to: number): string => (from === to ? `record ${from}` : `records ${from}-${to}`);

function checkSigned(hashAt: (id: number) => string | undefined, chain: Extract<ChainVerification, { ok: true }>, input: CheckpointInput): SignedVerification {
  if (input.kind === 'none') return { state: 'unsigned', detail: `${input.why}; a rewritten chain would pass this check` };
  if (input.lines.length === 0) {
    return { state: 'no-checkpoints', detail: `there is a signing key but no checkpoint in ${input.source}: the file was removed or emptied` };
  }
  const log = checkCheckpointLog(input.lines, input.publicKey);
  if (!log.ok) return { state: 'file-tampered', line: log.line, reason: log.reason, detail: `${input.source}: ${log.detail}` };
  const cmp = compareWithCheckpoints(log.checkpoints, { lastId: chain.lastId, hashAt });
  if (!cmp.ok) return { state: 'ledger-tampered', reason: cmp.reason, seq: cmp.checkpoint.seq, firstBadId: cmp.firstBadId, detail: cmp.detail };
  return { state: 'ok', checkpoints: log.checkpoints.length, keyId: keyIdOf(input.publicKey), last: cmp.last!, unsigned: cmp.unsigned };
}
