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

/** UTF-8 takes at most 3 bytes per UTF-16 code unit; a new buffer gets room to spare for later chunks. */
const MAX_UTF8_PER_UNIT = 3;

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
  const format = ledgerChunkFormatter(db, data.format, data.filter);
  const encoder = new TextEncoder();
  port.on('message', (r: LedgerExportRequest) => {
    const text = format(r);
    const worst = text.length * MAX_UTF8_PER_UNIT;
    const buffer = r.buffer !== null && r.buffer.byteLength >= worst ? r.buffer : new ArrayBuffer(worst * 2);
    const { written } = encoder.encodeInto(text, new Uint8Array(buffer));
    port.postMessage({ seq: r.seq, buffer, length: written } satisfies LedgerExportResult, [buffer]);
  });
}
