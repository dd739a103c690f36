import type { LedgerRecord } from '../ledger/ledger-record.ts';

/**
 * LedgerChainReader (ledger-chain-reader.ts) for a store whose driver answers later (PostgreSQL): the
 * same reads, awaited. One change of shape: `exclusive` hands `fn` a reader bound to the connection that
 * holds the ledger's lock, and `fn` must read through it. On a pool, a read on another connection while
 * the lock is held could wait for a connection that an append holds while it waits for that very lock.
 */
export interface AsyncLedgerChainReader {
  /** The newest committed record's id, 0 for an empty ledger. */
  lastId(): Promise<number>;
  /** The hash of record `id`, or undefined when there is no such record. */
  hashAt(id: number): Promise<string | undefined>;
  /** Records with an id above `id`, in id order (paged; a caller that stops early must `return()` it). */
  recordsAfter(id: number): AsyncIterableIterator<LedgerRecord>;
  /**
   * Runs `fn` holding the ledger's lock (no record appended meanwhile, by any node or the CLI), with a
   * reader on the locked connection. Must not be called inside another transaction.
   */
  exclusive<T>(fn: (locked: AsyncLedgerChainReader) => Promise<T>): Promise<T>;
}
