import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { parseEventTypes, parseId, parseIsoTime } from '../app/consent/consent-input.ts';
import { exportConsent, type ExportFormat } from '../app/consent/export-consent.ts';
import { AppError } from '../domain/errors.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import { SqliteLedgerExportReader } from '../store/sqlite-ledger-export-reader.ts';
import type { CliContext } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';

/*
 * `consent export` on its own module, apart from the other consent actions: it imports only what an
 * export needs, since start-up is part of every export a user runs (bench/export.bench.ts times the
 * whole command). The other actions pulled in zod and libphonenumber-js: ~0.35 s and ~15 MB more.
 */

/** String pieces are joined up to this size before each write: big enough that per-write cost vanishes. */
const WRITE_BATCH_CHARS = 1 << 16;

type ExportPieces = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * A minor GC on demand, for the export reader (see `collectYoungGarbage` in
 * src/store/sqlite-ledger-export-reader.ts). V8 hands out `gc` only behind --expose-gc; set at run
 * time, the flag shows it in new contexts, not as a global of this one.
 */
function youngGarbageCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (options: { type: 'minor' }) => void;
  return () => gc({ type: 'minor' });
}

/**
 * Writes the pieces in order, waiting for 'drain' whenever the stream's buffer is full, so that a slow
 * reader (a pipe, a disk) holds the producer back and memory stays flat however many rows there are.
 */
export async function writeChunks(chunks: ExportPieces, out: Writable): Promise<void> {
  let failure: Error | undefined;
  const onError = (e: Error): void => {
    failure ??= e;
  };
  out.on('error', onError);
  const flush = async (piece: string | Uint8Array): Promise<void> => {
    if (failure) throw failure;
    if (!out.write(piece)) {
      await new Promise<void>((resolve, reject) => {
        const done = (e?: Error): void => {
          out.off('drain', done);
          out.off('error', done);
          e ? reject(e) : resolve();
        };
        out.on('drain', done);
        out.on('error', done);
      });
    }
  };
  try {
    let buf = '';
    for await (const c of chunks) {
      if (typeof c !== 'string') {
        if (buf) await flush(buf);
        buf = '';
        // Wait until the stream is done with the bytes: the export reader reuses them for a later chunk.
        await new Promise<void>((resolve, reject) => out.write(c, (e) => (e ? reject(e) : resolve())));
        if (failure) throw failure;
      } else if ((buf += c).length >= WRITE_BATCH_CHARS) {
        await flush(buf);
        buf = '';
      }
    }
    if (buf) await flush(buf);
    if (failure) throw failure;
  } finally {
    out.off('error', onError);
  }
}

/**
 * Writes an export to a file created 0600 (it holds consumers' numbers). Synchronous writes: each
 * returns once the kernel has the bytes, which is backpressure by construction, and the export's
 * pieces are already big (a chunk is about a thousand rows).
 */
export async function exportToFile(chunks: ExportPieces, path: string): Promise<void> {
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o600);
  } catch (e) {
    throw new AppError('INPUT.INVALID', `cannot write ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    for await (const c of chunks) {
      const bytes = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      // writeSync may write less than asked (a full disk, a signal): keep going until all is out.
      for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    }
  } finally {
    closeSync(fd);
  }
}

/** `consent export` (src/cli/consent-command.ts). */
export async function consentExport(ctx: CliContext, o: { format: ExportFormat; out: string; business?: string; phone?: string; since?: string; until?: string; event?: string[] }): Promise<void> {
  const filter: { -readonly [K in keyof LedgerFilter]: LedgerFilter[K] } = {};
  if (o.business !== undefined) filter.businessId = parseId(o.business, '--business');
  // libphonenumber-js only when a number is given (~0.1 s of start-up).
  if (o.phone !== undefined) filter.consumer = (await import('../app/business/business-input.ts')).requireE164(o.phone, '--phone');
  if (o.since !== undefined) filter.since = parseIsoTime(o.since, '--since');
  if (o.until !== undefined) filter.until = parseIsoTime(o.until, '--until');
  if (o.event !== undefined) filter.events = parseEventTypes(o.event);
  const write = (chunks: ExportPieces): Promise<void> => (o.out === '-' ? writeChunks(chunks, ctx.stdout) : exportToFile(chunks, o.out));
  const db = ctx.database();
  if (db.kind === 'postgres') {
    // PostgreSQL builds the lines and streams them through COPY (src/store/postgres/README.md, "consent export").
    const [{ withCliPgPool }, { PgLedgerExportReader }, { PgConsentStore }, { createSystemClock }] = await Promise.all([
      import('./cli-pg-pool.ts'),
      import('../store/postgres/pg-ledger-export-reader.ts'),
      import('../store/postgres/pg-consent-store.ts'),
      import('../app/system-clock.ts'),
    ]);
    await withCliPgPool(db.settings, { readonly: true }, ({ pool }) => write(exportConsent(new PgLedgerExportReader(pool, new PgConsentStore(pool, createSystemClock()), { collectYoungGarbage: youngGarbageCollector() }), o.format, filter)));
    return;
  }
  await withCliStore(ctx, { readonly: true }, (s) => write(exportConsent(new SqliteLedgerExportReader(s.db, { collectYoungGarbage: youngGarbageCollector() }), o.format, filter)));
}

