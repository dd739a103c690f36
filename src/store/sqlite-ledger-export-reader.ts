import type { LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';
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
 * 256 ids: big enough that a statement's per-call cost vanishes, small enough that a chunk's string
 * dies young (bench/export.bench.ts; 1024 cost time and peak RSS).
 */
const DEFAULT_CHUNK_IDS = 256;
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
    const formatChunk = ledgerChunkFormatter(this.db, format, filter);
    const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${CACHE_KIB}`);
    try {
      // Strings are encoded into one buffer for every chunk (the consumer is done with a chunk's bytes
      // when it pulls the next): a new one per chunk piled up as external memory until the next GC.
      let buffer = new Uint8Array(0);
      let blobBytes = 0;
      for (let seq = 0; seq < total; seq++) {
        const chunk = formatChunk(range(seq));
        if (chunk.length === 0) continue;
        if (typeof chunk !== 'string') {
          yield chunk;
          if ((blobBytes += chunk.length) >= RELEASE_BYTES && this.collectYoungGarbage) {
            blobBytes = 0;
            this.collectYoungGarbage();
          }
          continue;
        }
        let { read, written } = encoder.encodeInto(chunk, buffer);
        if (read < chunk.length) {
          buffer = new Uint8Array(Math.ceil(Buffer.byteLength(chunk, 'utf8') * 1.25));
          ({ read, written } = encoder.encodeInto(chunk, buffer));
        }
        yield buffer.subarray(0, written);
      }
    } finally {
      this.db.pragma(`cache_size = ${cacheSize}`);
    }
  }
}
