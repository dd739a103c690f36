import { LEDGER_EXPORT_FRAMES, type LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../domain/ports/ledger-export-reader.ts';
import { ledgerChunkFormatter, ledgerExportBounds, type IdRange } from './ledger-export-chunk.ts';
import type { SqliteDb } from './sqlite-database.ts';

export interface SqliteLedgerExportReaderOptions {
  /** Ids per chunk. */
  readonly chunkIds?: number;
  /**
   * Frees the young generation's garbage (a minor GC), run after every RELEASE_BYTES of BLOB chunks.
   * better-sqlite3 copies a BLOB into a new Buffer, whose bytes V8 frees only at a GC, and V8 lets
   * about 64 MB of such external memory pile up first: NDJSON's peak RSS was 111 MB. The chunks are
   * young, so a scavenge (well under a millisecond) frees them. The CLI passes one (src/cli/consent-export-actions.ts).
   */
  readonly collectYoungGarbage?: () => void;
}

/**
 * 32 ids (about 12 KB of CSV): a chunk's allocations stay small. With 256 ids glibc's malloc handed
 * the chunks' memory back to the kernel and took it again, ~840,000 page faults and 2 s of system time
 * for a million rows, against ~6,000 at 32 (bench/export.bench.ts, `%R` of GNU time); the statements'
 * own cost barely shows. The bytes are written in pieces of WRITE_BYTES.
 */
const DEFAULT_CHUNK_IDS = 32;
/** Bytes handed to the consumer at once: one write per 256 KiB. */
const WRITE_BYTES = 256 << 10;
/** Page cache of an export's connection, KiB: chunks are read once, in key order, so a bigger one only adds RSS. */
const CACHE_KIB = 256;
/** BLOB bytes between two collectYoungGarbage() calls: peak RSS stays well under the 100 MB goal of issue 15. */
const RELEASE_BYTES = 16 << 20;

/**
 * `consent export`'s reader on SQLite: walks the id range fixed at the start (ledgerExportBounds) in
 * chunks that SQLite formats itself (ledger-export-sql.ts), on the calling thread, and hands them over
 * in id order, one at a time, as the consumer pulls: memory stays flat and a slow destination holds
 * the reading back. A yielded chunk's bytes are reused once the next one is pulled.
 */
export class SqliteLedgerExportReader implements LedgerExportReader {
  private readonly db: SqliteDb;
  private readonly chunkIds: number;
  private readonly collectYoungGarbage: (() => void) | undefined;

  constructor(db: SqliteDb, opts: SqliteLedgerExportReaderOptions = {}) {
    this.db = db;
    this.chunkIds = opts.chunkIds ?? DEFAULT_CHUNK_IDS;
    this.collectYoungGarbage = opts.collectYoungGarbage;
  }

  async *chunks(format: LedgerExportFormat, filter: LedgerFilter): AsyncGenerator<Uint8Array> {
    const bounds = ledgerExportBounds(this.db, filter);
    if (!bounds) return;
    const { chunkIds } = this;
    const total = Math.ceil((bounds.hi - bounds.lo + 1) / chunkIds);
    const range = (seq: number): IdRange => {
      const lo = bounds.lo + seq * chunkIds;
      return { lo, hi: Math.min(bounds.hi, lo + chunkIds - 1) };
    };
    const encoder = new TextEncoder();
    const { between } = LEDGER_EXPORT_FRAMES[format];
    const formatChunk = ledgerChunkFormatter(this.db, format, filter);
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    try {
      // String chunks are encoded one after another into one buffer, handed over once it holds
      // WRITE_BYTES (the consumer is done with the bytes when it pulls again): a new buffer per chunk
      // piled up as external memory until the next GC, and a write per small chunk cost system time.
      let buffer = new Uint8Array(2 * WRITE_BYTES);
      let used = 0;
      let blobBytes = 0;
      for (let seq = 0; seq < total; seq++) {
        const chunk = formatChunk(range(seq));
        if (chunk.length === 0) continue;
        if (typeof chunk !== 'string') {
          if (used > 0) yield buffer.subarray(0, used);
          used = 0;
          yield chunk;
          if ((blobBytes += chunk.length) >= RELEASE_BYTES && this.collectYoungGarbage) {
            blobBytes = 0;
            this.collectYoungGarbage();
          }
          continue;
        }
        // Chunks joined here take the format's separator, as exportConsent joins the pieces it gets.
        let piece = used > 0 && between !== '' ? between + chunk : chunk;
        let { read, written } = encoder.encodeInto(piece, buffer.subarray(used));
        if (read < piece.length) {
          if (used > 0) yield buffer.subarray(0, used);
          used = 0;
          piece = chunk;
          const bytes = Buffer.byteLength(piece, 'utf8');
          if (bytes > buffer.length) buffer = new Uint8Array(Math.ceil(bytes * 1.25));
          ({ read, written } = encoder.encodeInto(piece, buffer));
        }
        used += written;
        if (used >= WRITE_BYTES) {
          yield buffer.subarray(0, used);
          used = 0;
        }
      }
      if (used > 0) yield buffer.subarray(0, used);
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }
}
