import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { requireE164 } from '../app/business/business-input.ts';
import { writeConsentEvidence } from '../app/consent/consent-evidence.ts';
import { parseEventTypes, parseId, parseIsoTime } from '../app/consent/consent-input.ts';
import { exportConsent, type ExportFormat } from '../app/consent/export-consent.ts';
import { importConsentNdjson } from '../app/consent/import-consent.ts';
import { revokeConsent } from '../app/consent/revoke-consent.ts';
import { showConsent } from '../app/consent/show-consent.ts';
import { verifyLedger } from '../app/consent/verify-ledger.ts';
import { AppError } from '../domain/errors.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import { recordingRoots } from '../compose/recording-purge.ts';
import { FsEvidenceWriter } from '../store/fs-evidence-writer.ts';
import { SqliteCallRecordReader } from '../store/sqlite-call-record-reader.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { SqliteLedgerExportReader, type SqliteLedgerExportReaderOptions } from '../store/sqlite-ledger-export-reader.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';
import { checkpointInput } from '../compose/ledger-verify-input.ts';

/** String pieces are joined up to this size before each write: big enough that per-write cost vanishes. */
const WRITE_BATCH_CHARS = 1 << 16;

type ExportPieces = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Export worker threads: none. Since SQLite builds the rows (src/store/ledger-export-sql.ts) the main
 * thread only moves one string per chunk, and two workers made the whole command slower on the shared
 * 2-core box (1 M rows, load 11-13: 20-31 s against 15-18 s without) and took its peak RSS from ~80 MB
 * past the 100 MB goal (~110 MB). The reader keeps them as an option (`workers`).
 */
export function exportWorkers(): number {
  return 0;
}

/** The reader behind `consent export` (bench/export.bench.ts times the whole command). */
export function createExportReader(db: SqliteDb, path: string, opts: Partial<SqliteLedgerExportReaderOptions> = {}): SqliteLedgerExportReader {
  return new SqliteLedgerExportReader(db, { path, workers: exportWorkers(), ...opts });
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

function actor(ctx: CliContext): string {
  try {
    return userInfo().username;
  } catch {
    return ctx.env.USER ?? 'unknown';
  }
}

/** `consent export` (src/cli/consent-command.ts). */
export async function consentExport(ctx: CliContext, o: { format: ExportFormat; out: string; business?: string; phone?: string; since?: string; until?: string; event?: string[] }): Promise<void> {
  const filter: { -readonly [K in keyof LedgerFilter]: LedgerFilter[K] } = {};
  if (o.business !== undefined) filter.businessId = parseId(o.business, '--business');
  if (o.phone !== undefined) filter.consumer = requireE164(o.phone, '--phone');
  if (o.since !== undefined) filter.since = parseIsoTime(o.since, '--since');
  if (o.until !== undefined) filter.until = parseIsoTime(o.until, '--until');
  if (o.event !== undefined) filter.events = parseEventTypes(o.event);
  await withCliStore(ctx, { readonly: true }, async (s) => {
    const chunks = exportConsent(createExportReader(s.db, ctx.dbPath()), o.format, filter);
    if (o.out === '-') await writeChunks(chunks, ctx.stdout);
    else await exportToFile(chunks, o.out);
  });
}

/** `consent import`. */
export async function consentImport(ctx: CliContext, file: string, o: { json?: boolean }): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('INPUT.NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const r = await withCliStore(ctx, {}, (s) => importConsentNdjson({ ledger: s.consent, businesses: s.businesses, now: Date.now }, text.split(/\r?\n/), basename(file)));
  writeLine(ctx.stdout, o.json ? JSON.stringify(r) : `imported ${r.imported} events${r.firstId === null ? '' : ` (records ${r.firstId}-${r.lastId})`}`);
}

/** `consent show`. */
export async function consentShow(ctx: CliContext, phone: string, o: { business?: string; json?: boolean }): Promise<void> {
  const businessId = o.business === undefined ? undefined : parseId(o.business, '--business');
  const h = await withCliStore(ctx, { readonly: true }, (s) =>
    showConsent(s.consent, { consumer: phone, ...(businessId === undefined ? {} : { businessId }) }),
  );
  if (o.json) {
    writeLine(ctx.stdout, JSON.stringify({ ...h, events: h.events.map((e) => ({ ...e, at: new Date(e.at).toISOString() })) }));
    return;
  }
  if (h.events.length === 0) {
    writeLine(ctx.stdout, `no consent records for ${h.consumer}`);
    return;
  }
  for (const c of h.current) writeLine(ctx.stdout, `business ${c.businessId}: current consent ${c.state}`);
  writeLine(ctx.stdout, 'id\tat\tbusiness\tevent\tmethod\tsource');
  for (const e of h.events) {
    writeLine(ctx.stdout, `${e.id}\t${new Date(e.at).toISOString()}\t${e.businessId}\t${e.event}\t${e.method}\t${e.source}`);
  }
}

/** `consent revoke`. */
export async function consentRevoke(ctx: CliContext, phone: string, o: { business: string; reason: string; json?: boolean }): Promise<void> {
  const businessId = parseId(o.business, '--business');
  const e = await withCliStore(ctx, {}, (s) =>
    revokeConsent({ ledger: s.consent, businesses: s.businesses }, { consumer: phone, businessId, reason: o.reason, actor: actor(ctx) }),
  );
  writeLine(ctx.stdout, o.json ? JSON.stringify({ ...e, at: new Date(e.at).toISOString() }) : `revoked: record ${e.id}`);
}

/** `consent verify`. */
export async function consentVerify(ctx: CliContext, o: { json?: boolean; checkpoints?: string; publicKey?: string }): Promise<void> {
  const v = await withCliStore(ctx, { readonly: true }, (s) =>
    verifyLedger(s.consent, checkpointInput(ctx.config().config, ctx.dbPath(), { ...(o.checkpoints === undefined ? {} : { checkpoints: o.checkpoints }), ...(o.publicKey === undefined ? {} : { publicKey: o.publicKey }) })),
  );
  if (o.json) writeLine(ctx.stdout, JSON.stringify({ ...v.chain, ok: v.ok, signed: v.signed }));
  if (!v.ok) throw new AppError('STORE.LEDGER_TAMPERED', v.lines.join('; '), { details: { chain: v.chain, signed: v.signed } });
  if (!o.json) for (const line of v.lines) writeLine(ctx.stdout, line);
}

/** `consent evidence`. */
export async function consentEvidence(ctx: CliContext, idText: string, o: { out: string; json?: boolean }): Promise<void> {
  const id = parseId(idText, 'record id');
  const m = await withCliStore(ctx, { readonly: true }, (s) =>
    writeConsentEvidence(
      { ledger: s.consent, calls: new SqliteCallRecordReader(s.db), writer: new FsEvidenceWriter({ sourceRoots: recordingRoots(ctx.config().config) }), now: Date.now },
      id,
      o.out,
    ),
  );
  if (o.json) writeLine(ctx.stdout, JSON.stringify(m));
  else {
    for (const f of m.files) writeLine(ctx.stdout, `${f.sha256}  ${f.name}`);
    for (const f of m.missing) writeLine(ctx.stdout, `missing: ${f}`);
    for (const f of m.refused) writeLine(ctx.stdout, `refused: ${f} (not a file in the recordings directories; not copied)`);
    writeLine(ctx.stdout, `wrote ${o.out}/manifest.json${m.record_hash_ok ? '' : ' (warning: the record does not match its hash; run consent verify)'}`);
  }
}
