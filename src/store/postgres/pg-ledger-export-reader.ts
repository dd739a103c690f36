import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { formatLedgerRow, LEDGER_EXPORT_FRAMES, withScriptText, type LedgerExportFormat } from '../../domain/ledger/ledger-export-format.ts';
import type { AsyncConsentLedger } from '../../domain/ports/async-consent-ledger.ts';
import type { LedgerFilter } from '../../domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../../domain/ports/ledger-export-reader.ts';
import { EXPORT_NEEDS_JS_SQL, pgLedgerExportCopySql } from './pg-ledger-export-sql.ts';

/** COPY's binary header: the 11-byte signature, 32-bit flags, then a 32-bit length of extension bytes. */
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const HEADER_FIXED = SIGNATURE.length + 8;
/** Rows of the JavaScript fallback joined into one piece. */
const JS_ROWS_PER_PIECE = 1000;
/**
 * COPY bytes between two collectYoungGarbage() calls. pg-copy-streams hands over a new Buffer per socket
 * read, whose bytes V8 frees only at a GC, after letting ~64 MB of such external memory pile up (as
 * better-sqlite3's BLOBs did: src/store/sqlite-ledger-export-reader.ts); a scavenge frees them.
 */
const RELEASE_BYTES = 16 << 20;

export interface PgLedgerExportReaderOptions {
  /** A minor GC, run every RELEASE_BYTES read (the CLI passes one: src/cli/consent-export-actions.ts). */
  readonly collectYoungGarbage?: () => void;
}

/**
 * `consent export`'s reader on PostgreSQL (src/store/postgres/README.md, "consent export"): one
 * `COPY (SELECT line ...) TO STDOUT (FORMAT binary)` on one connection (one snapshot: the whole export
 * sees the ledger as it was when the statement began), the lines built by the server
 * (pg-ledger-export-sql.ts). pg-copy-streams reads the socket only as the consumer pulls, so a slow
 * destination holds the server back (TCP backpressure) and memory stays flat. Each piece handed over is
 * whole rows joined by the format's `between`, as exportConsent expects of a chunk.
 *
 * A ledger holding a time the SQL does not write as JavaScript does (`EXPORT_NEEDS_JS_SQL`, only a
 * tampered or foreign database) is formatted in JavaScript instead, through the ledger's paged reads.
 */
export class PgLedgerExportReader implements LedgerExportReader {
  constructor(
    private readonly pool: pg.Pool,
    private readonly ledger: Pick<AsyncConsentLedger, 'records' | 'recordsWithScript'>,
    private readonly opts: PgLedgerExportReaderOptions = {},
  ) {}

  async *chunks(format: LedgerExportFormat, filter: LedgerFilter): AsyncGenerator<Uint8Array> {
    const client = await this.pool.connect();
    // Handed back to the pool only after a COPY read to its end; otherwise (an error, or the consumer
    // stopped midway) the connection may be inside a COPY, so it is destroyed.
    let clean = false;
    let useJs = false;
    try {
      useJs = (await client.query<{ js: boolean }>(EXPORT_NEEDS_JS_SQL)).rows[0]?.js === true;
      if (!useJs) {
        const between = Buffer.from(LEDGER_EXPORT_FRAMES[format].between, 'utf8');
        const stream = client.query(copyTo(pgLedgerExportCopySql(format, filter, (s) => client.escapeLiteral(s))));
        const rows = new CopyBinaryRows(between);
        let read = 0;
        for await (const data of stream as AsyncIterable<Buffer>) {
          const piece = rows.push(data);
          if (piece) yield piece;
          if ((read += data.length) >= RELEASE_BYTES && this.opts.collectYoungGarbage) {
            read = 0;
            this.opts.collectYoungGarbage();
          }
        }
        if (!rows.ended) throw new Error('COPY ended without its trailer');
      }
      clean = true;
    } finally {
      client.release(clean ? undefined : new Error('consent export did not read its COPY to the end'));
    }
    if (useJs) yield* this.inJs(format, filter);
  }

  private async *inJs(format: LedgerExportFormat, filter: LedgerFilter): AsyncGenerator<Uint8Array> {
    const records = withScriptText(format) ? this.ledger.recordsWithScript(filter) : this.ledger.records(filter);
    const { between } = LEDGER_EXPORT_FRAMES[format];
    let rows: string[] = [];
    for await (const r of records) {
      rows.push(formatLedgerRow(format, r));
      if (rows.length === JS_ROWS_PER_PIECE) {
        yield Buffer.from(rows.join(between), 'utf8');
        rows = [];
      }
    }
    if (rows.length > 0) yield Buffer.from(rows.join(between), 'utf8');
  }
}

/**
 * COPY's binary format, one text column: after the header, each row is a 16-bit field count (1), a
 * 32-bit length and the bytes; the trailer is a field count of -1. `push` takes what the socket gave
 * and returns the whole rows in it, joined by `between` (undefined when none ended in it); a row cut
 * between two reads waits for the rest. The bytes returned are reused by the next `push` (the reader's
 * port allows it: LedgerExportReader), so an export allocates no new buffer per socket read.
 */
export class CopyBinaryRows {
  private pending: Buffer = Buffer.alloc(0);
  private headerDone = false;
  private out: Buffer = Buffer.alloc(0);
  ended = false;

  constructor(private readonly between: Buffer) {}

  push(data: Buffer): Buffer | undefined {
    if (this.ended) throw new Error('COPY data after its trailer');
    const buf = this.pending.length > 0 ? Buffer.concat([this.pending, data]) : data;
    let pos = 0;
    if (!this.headerDone) {
      if (buf.length < HEADER_FIXED) return this.keep(buf, 0);
      if (!buf.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('COPY output is not in binary format');
      const skip = HEADER_FIXED + buf.readUInt32BE(SIGNATURE.length + 4);
      if (buf.length < skip) return this.keep(buf, 0);
      this.headerDone = true;
      pos = skip;
    }
    const starts: number[] = [];
    const ends: number[] = [];
    let bytes = 0;
    while (buf.length - pos >= 2) {
      const fields = buf.readInt16BE(pos);
      if (fields === -1) {
        this.ended = true;
        pos += 2;
        break;
      }
      if (fields !== 1) throw new Error(`COPY row with ${fields} fields`);
      if (buf.length - pos < 6) break;
      const len = buf.readInt32BE(pos + 2);
      if (len < 0) throw new Error('COPY row with a NULL line');
      if (buf.length - pos - 6 < len) break;
      starts.push(pos + 6);
      ends.push(pos + 6 + len);
      bytes += len;
      pos += 6 + len;
    }
    if (!this.ended) this.keep(buf, pos);
    if (starts.length === 0) return undefined;
    const size = bytes + this.between.length * (starts.length - 1);
    if (this.out.length < size) this.out = Buffer.allocUnsafe(Math.max(size, 2 * this.out.length));
    const out = this.out;
    let at = 0;
    for (let i = 0; i < starts.length; i++) {
      if (i > 0 && this.between.length > 0) at += this.between.copy(out, at);
      at += buf.copy(out, at, starts[i], ends[i]);
    }
    return out.subarray(0, at);
  }

  private keep(buf: Buffer, from: number): undefined {
    // A copy: the socket's buffer is not ours to hold on to.
    this.pending = Buffer.from(buf.subarray(from));
    return undefined;
  }
}
