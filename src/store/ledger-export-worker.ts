import { parentPort, workerData } from 'node:worker_threads';
import type { LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import { ledgerChunkFormatter, type IdRange } from './ledger-export-chunk.ts';
import { openDatabase } from './sqlite-database.ts';

/** What SqliteLedgerExportReader starts each worker with. */
export interface LedgerExportWorkerData {
  readonly path: string;
  readonly format: LedgerExportFormat;
  readonly filter: LedgerFilter;
}
/** Format the rows of `range`, into `buffer` if it is big enough (a buffer the reader is done with). */
export interface LedgerExportRequest extends IdRange {
  readonly seq: number;
  readonly buffer: ArrayBuffer | null;
}
/** The chunk's UTF-8 bytes are the first `length` bytes of `buffer`. */
export interface LedgerExportResult {
  readonly seq: number;
  readonly buffer: ArrayBuffer;
  readonly length: number;
}

const CACHE_KIB = 256;

/** Room to spare in a new buffer, so that a slightly longer chunk later still fits. */
const SLACK = 1.25;

/**
 * One export worker thread: its own read-only connection to the same WAL database, formatting the id
 * ranges it is sent, in the order sent. The bytes go back by transfer, not copy, in buffers that
 * circulate between the reader and its workers, so that neither side allocates per chunk (buffers
 * dropped on the reader's side would pile up as external memory until its next GC).
 * Started through ledger-export-worker.cjs.
 */
const port = parentPort;
if (port) {
  const data = workerData as LedgerExportWorkerData;
  const db = openDatabase(data.path, { readonly: true });
  // Chunks are read once, in key order: better-sqlite3's default page cache (16 MB per connection)
  // would only add RSS (~30 MB for two workers, bench/export.bench.ts), never a hit.
  db.pragma(`cache_size = -${CACHE_KIB}`);
  const format = ledgerChunkFormatter(db, data.format, data.filter);
  const encoder = new TextEncoder();
  port.on('message', (r: LedgerExportRequest) => {
    const chunk = format(r);
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    let buffer = r.buffer;
    if (buffer === null || buffer.byteLength < bytes.length) buffer = new ArrayBuffer(Math.ceil(bytes.length * SLACK));
    new Uint8Array(buffer).set(bytes);
    const written = bytes.length;
    port.postMessage({ seq: r.seq, buffer, length: written } satisfies LedgerExportResult, [buffer]);
  });
}
