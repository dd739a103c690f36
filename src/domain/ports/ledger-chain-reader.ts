import type { LedgerRecord } from '../ledger/ledger-record.ts';

/**
 * The reads that signing the ledger head needs: cheap lookups of the newest record and of one
 * record's hash, the records after a checkpoint, and a lock that keeps every other writer (this process
 * or another: the CLI appends too) out while a checkpoint is read, signed and written.
 */
export interface LedgerChainReader {
  /** The newest record's id, 0 for an empty ledger. */
  lastId(): number;
  /** The hash of record `id`, or undefined when there is no such record. */
  hashAt(id: number): string | undefined;
  /** Records with an id above `id`, in id order (streamed). */
  recordsAfter(id: number): IterableIterator<LedgerRecord>;
  /**
   * Runs `fn` holding the database's write lock, so no record is appended and no other checkpoint written
   * meanwhile. Must not be called inside another transaction: a head read there may yet be rolled back.
   */
  exclusive<T>(fn: () => T): T;
}
