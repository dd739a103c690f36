import type { LedgerExportFormat } from '../ledger/ledger-export-format.ts';
import type { LedgerFilter } from './consent-ledger.ts';

/**
 * The bulk read behind `consent export`: the rows matching a filter, in id order, already
 * formatted (`formatLedgerChunk`) and UTF-8 encoded, in chunks of many rows, so that an adapter can
 * read and format several chunks at once (a million-row export must keep up with the sqlite3 shell).
 * Every chunk comes from one consistent view of the ledger. Chunks are produced only as the consumer
 * pulls, a bounded number ahead, so memory does not grow with the row count. A chunk's bytes may be
 * reused for a later chunk once the next one is pulled: write them out (to completion) or copy them
 * first. A consumer that stops early must `return()` the iterator (for await ... break does) to
 * release the reader's resources.
 */
export interface LedgerExportReader {
  chunks(format: LedgerExportFormat, filter: LedgerFilter): AsyncIterable<Uint8Array>;
}
