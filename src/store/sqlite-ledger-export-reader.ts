import { Worker } from 'node:worker_threads';
import { AppError } from '../domain/errors.ts';
import type { LedgerExportFormat } from '../domain/ledger/ledger-export-format.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import type { LedgerExportReader } from '../domain/ports/ledger-export-reader.ts';
import { ledgerChunkFormatter, ledgerExportBounds, type IdRange } from './ledger-export-chunk.ts';
import type { LedgerExportRequest, LedgerExportResult, LedgerExportWorkerData } from './ledger-export-worker.ts';
import type { SqliteDb } from './sqlite-database.ts';

export interface SqliteLedgerExportReaderOptions {
  /** The database file `db` was opened from: each worker opens it read-only. `:memory:` runs inline. */
  readonly path: string;
  /** Worker threads that read and format chunks; 0 = everything on the calling thread. */
  readonly workers: number;
  /**
   * When the calling thread also formats chunks while the next one in order is not ready: `always`,
   * `startup` (until the first worker delivers: a worker takes 0.2-0.5 s to start under tsx, which
   * compiles its modules, and about half that from dist/), or `never`. Not `always` by default: with as many workers as cores it only takes turns
   * with them, and a thread that formats grows its heap like a worker, without the worker's limits.
   */
  readonly help?: 'always' | 'startup' | 'never';
  /** Ids per chunk. */
  readonly chunkIds?: number;
  /** Exports spanning fewer chunks than this run on the calling thread, where starting a worker would not pay off. */
  readonly minChunksForWorkers?: number;
  /** V8 heap limits of each worker (resourceLimits). */
  readonly workerYoungGenerationMb?: number;
  readonly workerOldGenerationMb?: number;
}

/**
 * Chunks each worker has queued. The main thread hands out new ranges only when it runs, and on a busy
 * machine it waits for the scheduler: with 2 queued the workers idled meanwhile (bench ratio ~1.5-1.6
 * against ~1.1-1.4 with 8, same peak RSS, on a shared 2-core box).
 */
const WORKER_DEPTH = 8;
/**
 * 256 ids: small enough that a chunk's rows die young (1024 promoted more of them to the old generation
 * and cost time and peak RSS), big enough that the messages cost nothing (bench/export.bench.ts).
 */
const DEFAULT_CHUNK_IDS = 256;
/**
 * A worker takes about 0.2 s to start (0.3-0.4 s under tsx, which compiles its modules; ~0.19 s from
 * dist/, on the shared 2-core box at load 14): not worth it below ~10,000 rows.
 */
const DEFAULT_MIN_CHUNKS_FOR_WORKERS = 40;
/** Page cache of an export's connection, KiB (see ledger-export-worker.ts). */
const CACHE_KIB = 256;
/**
 * Left alone, each worker's heap grew like a main thread's (16 MB semi-spaces, lazily collected old
 * generation) and two of them took the export past the 200 MB peak RSS; with a 4 MB young
 * generation a chunk's garbage is collected young. An old generation limit of 32 MB made GC run so
 * often that the export lost ~20% of its speed; 64 MB also leaves room for chunks of unusually long
 * rows (imports accept 100,000 characters per text field). A worker that runs out of it fails the
 * export with a clear error rather than take the machine's memory.
 */
const DEFAULT_WORKER_YOUNG_MB = 4;
const DEFAULT_WORKER_OLD_MB = 64;
/**
 * A worker's entry: from dist/ (`npm run build`) the compiled `ledger-export-worker.js` beside this
 * module; from the sources under tsx (tests, CALLKEEPER_DEV=1) the `.cjs` shim that registers tsx in
 * the worker first (see its header). The build leaves the shim out of dist/.
 */
const WORKER_ENTRY = new URL(import.meta.url.endsWith('.ts') ? './ledger-export-worker.cjs' : './ledger-export-worker.js', import.meta.url);

/**
 * `consent export`'s reader on SQLite: splits the id range fixed at the start (ledgerExportBounds) into
 * chunks that worker threads, each with its own read-only connection, read and format in parallel,
 * and hands them back in id order. At most `window` chunks are in progress or done ahead of the one the
 * consumer waits for, and more are started only as the consumer pulls, so memory stays flat and a slow
 * destination holds the workers back. A yielded chunk's bytes are reused once the next one is pulled.
 */
export class SqliteLedgerExportReader implements LedgerExportReader {
  private readonly db: SqliteDb;
  private readonly opts: Required<SqliteLedgerExportReaderOptions>;

  constructor(db: SqliteDb, opts: SqliteLedgerExportReaderOptions) {
    this.db = db;
    this.opts = {
      help: 'startup',
      chunkIds: DEFAULT_CHUNK_IDS,
      minChunksForWorkers: DEFAULT_MIN_CHUNKS_FOR_WORKERS,
      workerYoungGenerationMb: DEFAULT_WORKER_YOUNG_MB,
      workerOldGenerationMb: DEFAULT_WORKER_OLD_MB,
      ...opts,
      workers: opts.path === ':memory:' ? 0 : opts.workers,
    };
  }

  async *chunks(format: LedgerExportFormat, filter: LedgerFilter): AsyncGenerator<Uint8Array> {
    const bounds = ledgerExportBounds(this.db, filter);
    if (!bounds) return;
    const { chunkIds } = this.opts;
    const total = Math.ceil((bounds.hi - bounds.lo + 1) / chunkIds);
    const range = (seq: number): IdRange => {
      const lo = bounds.lo + seq * chunkIds;
      return { lo, hi: Math.min(bounds.hi, lo + chunkIds - 1) };
    };
    const encoder = new TextEncoder();
    const inline = ledgerChunkFormatter(this.db, format, filter);
    const workerCount = total >= this.opts.minChunksForWorkers ? this.opts.workers : 0;
    if (workerCount === 0) {
      // Chunks are read once, in key order: a big page cache would only add RSS, never a hit.
      const cacheSize = this.db.pragma('cache_size', { simple: true }) as number;
      this.db.pragma(`cache_size = -${CACHE_KIB}`);
      try {
        // Strings are encoded into one buffer for every chunk (the consumer is done with a chunk's bytes
        // when it pulls the next): a new one per chunk piled up as external memory until the next GC.
        let buffer = new Uint8Array(0);
        for (let seq = 0; seq < total; seq++) {
          const chunk = inline(range(seq));
          if (chunk.length === 0) continue;
          if (typeof chunk !== 'string') {
            yield chunk;
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
      return;
    }
    yield* this.parallel(workerCount, format, filter, total, range, (seq) => {
      const chunk = inline(range(seq));
      return typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    });
  }

  private async *parallel(
    workerCount: number,
    format: LedgerExportFormat,
    filter: LedgerFilter,
    total: number,
    range: (seq: number) => IdRange,
    inline: (seq: number) => Uint8Array,
  ): AsyncGenerator<Uint8Array> {
    const window = (workerCount + 1) * WORKER_DEPTH;
    const done = new Map<number, Uint8Array>();
    const free: ArrayBuffer[] = [];
    const queued = new Array<number>(workerCount).fill(0);
    let failure: Error | undefined;
    let wake: (() => void) | undefined;
    const notify = (): void => {
      wake?.();
      wake = undefined;
    };
    const data: LedgerExportWorkerData = { path: this.opts.path, format, filter };
    const workers = Array.from({ length: workerCount }, (_, i) => {
      const w = new Worker(WORKER_ENTRY, {
        workerData: data,
        // Not the parent's flags: a `--import tsx` would load tsx's ESM hooks next to the entry's own.
        execArgv: [],
        resourceLimits: { maxYoungGenerationSizeMb: this.opts.workerYoungGenerationMb, maxOldGenerationSizeMb: this.opts.workerOldGenerationMb },
      });
      w.on('message', (r: LedgerExportResult) => {
        delivered = true;
        queued[i]!--;
        done.set(r.seq, new Uint8Array(r.buffer, 0, r.length));
        notify();
      });
      w.on('error', (e) => {
        failure ??= new AppError('INTERNAL', `consent export worker failed: ${e.message}`, { cause: e });
        notify();
      });
      w.on('exit', (code) => {
        failure ??= new AppError('INTERNAL', `consent export worker exited early (code ${code})`);
        notify();
      });
      return w;
    });

    const { help } = this.opts;
    let delivered = false; // whether a worker has sent a chunk yet
    let next = 0; // the first chunk not yet handed out
    let emit = 0; // the next chunk to yield
    const handOut = (): void => {
      for (let i = 0; i < workerCount; i++) {
        while (queued[i]! < WORKER_DEPTH && next < total && next - emit < window) {
          const seq = next++;
          const buffer = free.pop() ?? null;
          queued[i]!++;
          workers[i]!.postMessage({ seq, ...range(seq), buffer } satisfies LedgerExportRequest, buffer ? [buffer] : []);
        }
      }
    };
    try {
      handOut();
      while (emit < total) {
        if (failure) throw failure;
        const bytes = done.get(emit);
        if (bytes) {
          done.delete(emit);
          emit++;
          handOut();
          if (bytes.length > 0) yield bytes;
          // The consumer has pulled again, so it is done with `bytes`: a worker may fill them next.
          if (bytes.byteOffset === 0 && bytes.buffer instanceof ArrayBuffer && free.length < window) free.push(bytes.buffer);
        } else if ((help === 'always' || (help === 'startup' && !delivered)) && next < total && next - emit < window) {
          const seq = next++;
          done.set(seq, inline(seq));
          // Let the workers' finished chunks in (they arrive as events) so they get new ranges at once.
          await new Promise<void>((resolve) => setImmediate(resolve));
        } else {
          await new Promise<void>((resolve) => (wake = resolve));
        }
      }
    } finally {
      for (const w of workers) w.removeAllListeners('exit');
      await Promise.all(workers.map((w) => w.terminate()));
    }
  }
}
