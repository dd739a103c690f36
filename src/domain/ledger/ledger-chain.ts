import { GENESIS_HASH, ledgerHash, type LedgerRecord } from './ledger-record.ts';

/** The outcome of walking the chain: the count, or the first record that breaks it and why. */
export type ChainVerification =
  | { readonly ok: true; readonly count: number; readonly head: string; readonly lastId: number }
  | { readonly ok: false; readonly count: number; readonly badId: number; readonly reason: ChainFault; readonly detail: string };

export type ChainFault = 'hash-mismatch' | 'prev-hash-mismatch' | 'id-gap' | 'script-mismatch';

/**
 * Checks rows one at a time in id order, so millions of rows stream through without being held; the
 * rules and the fault each names: src/domain/ledger/README.md, "Walking the chain". `from` starts after
 * a checkpoint, to check only the records that came since.
 */
export class ChainWalker {
  private prevHash: string;
  private prevId: number | undefined;
  private n = 0;

  constructor(from?: { readonly id: number; readonly hash: string }) {
    this.prevHash = from?.hash ?? GENESIS_HASH;
    this.prevId = from && from.id > 0 ? from.id : undefined;
  }

  /** Returns the fault of this row, or undefined when it extends the chain. */
  check(row: LedgerRecord): { reason: ChainFault; detail: string } | undefined {
    if (this.prevId !== undefined && row.id !== this.prevId + 1) {
      return { reason: 'id-gap', detail: `record ${row.id} follows record ${this.prevId}: records were deleted` };
    }
    if (row.prev_hash !== this.prevHash) {
      return {
        reason: 'prev-hash-mismatch',
        detail: `record ${row.id} does not link to the record before it: a record was deleted, inserted or reordered`,
      };
    }
    if (ledgerHash(row) !== row.hash) {
      return { reason: 'hash-mismatch', detail: `record ${row.id} does not match its hash: it was edited` };
    }
    this.prevHash = row.hash;
    this.prevId = row.id;
    this.n += 1;
    return undefined;
  }

  get count(): number {
    return this.n;
  }

  get head(): string {
    return this.prevHash;
  }

  /** The id of the last record checked (0 when none). */
  get lastId(): number {
    return this.prevId ?? 0;
  }
}

export function verifyChain(rows: Iterable<LedgerRecord>): ChainVerification {
  const walker = new ChainWalker();
  for (const row of rows) {
    const fault = walker.check(row);
    if (fault) return { ok: false, count: walker.count, badId: row.id, reason: fault.reason, detail: fault.detail };
  }
  return { ok: true, count: walker.count, head: walker.head, lastId: walker.lastId };
}
