import { closeSync, openSync, readFileSync, writeSync } from 'node:fs';
import { availableParallelism, userInfo } from 'node:os';
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import { Option, type Command } from 'commander';
import { requireE164 } from '../app/business/business-input.ts';
import { writeConsentEvidence } from '../app/consent/consent-evidence.ts';
import { parseEventTypes, parseId, parseIsoTime } from '../app/consent/consent-input.ts';
import { EXPORT_FORMATS, exportConsent, type ExportFormat } from '../app/consent/export-consent.ts';
import { importConsentNdjson } from '../app/consent/import-consent.ts';
import { revokeConsent } from '../app/consent/revoke-consent.ts';
import { showConsent } from '../app/consent/show-consent.ts';
import { verifyLedger } from '../app/consent/verify-ledger.ts';
import { AppError } from '../domain/errors.ts';
import type { LedgerFilter } from '../domain/ports/consent-ledger.ts';
import { FsEvidenceWriter } from '../store/fs-evidence-writer.ts';
import { SqliteCallRecordReader } from '../store/sqlite-call-record-reader.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { SqliteLedgerExportReader, type SqliteLedgerExportReaderOptions } from '../store/sqlite-ledger-export-reader.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';
import { checkpointInput } from './ledger-verify-input.ts';
import { recordingRoots } from './purge-command.ts';

/** String pieces are joined up to this size before each write: big enough that per-write cost vanishes. */
const WRITE_BATCH_CHARS = 1 << 16;

type ExportPieces = AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>;

/**
 * Export worker threads: two on a machine with two cores or more (the issue's 2-core box; a third
 * would only take turns with them, and each costs ~25 MB), none on one core, where they could not run
 * at the same time as the thread that writes.
 */
export function exportWorkers(): number {
  return availableParallelism() >= 2 ? 2 : 0;
}

/** The reader behind `consent export` (also what bench/export.bench.ts measures). */
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

const collectList = (v: string, prev: string[] = []): string[] => [...prev, ...v.split(',').map((s) => s.trim()).filter(Boolean)];

function actor(ctx: CliContext): string {
  try {
    return userInfo().username;
  } catch {
    return ctx.env.USER ?? 'unknown';
  }
}

export function registerConsentCommand(program: Command, ctx: CliContext): void {
  const consent = commandGroup(program, 'consent', 'the tamper-evident SMS consent ledger');

  consent
    .command('export')
    .description('export ledger records (streamed; stable columns, see src/app/consent/export-consent.ts)')
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('csv'))
    .option('--out <file>', 'write to FILE (created 0600), or - for stdout', '-')
    .option('--business <id>', 'only this business')
    .option('--phone <e164>', "only this consumer's number")
    .option('--since <iso>', 'only events at or after this time (ISO-8601 UTC)')
    .option('--until <iso>', 'only events before this time (ISO-8601 UTC)')
    .option('--event <type>', 'only these events: granted, declined, unclear, implied, revoked, reinstated (repeatable or comma list)', collectList)
    .addHelpText(
      'after',
      `
CSV columns: id,at,business_id,did,consumer,event,method,script_version,script_sha256,transcript,
  audio_path,audio_sha256,call_id,source,prev_hash,hash (RFC 4180, CRLF, times ISO-8601 UTC).
Cells starting with = + - @ TAB or CR get a leading ' (spreadsheet formula injection), so phone numbers
  read '+15125550100 in CSV; JSON/NDJSON are exact and add script_text.

Example:
  callkeeper consent export --format csv --business 1 --since 2026-01-01 --event granted,revoked --out consent.csv`,
    )
    .action(async (o: { format: ExportFormat; out: string; business?: string; phone?: string; since?: string; until?: string; event?: string[] }) => {
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
    });

  consent
    .command('import')
    .description('import consent events from another system: one transaction, method "import", original times kept')
    .addOption(new Option('--format <format>', 'input format').choices(['ndjson']).default('ndjson'))
    .argument('<file>', 'NDJSON file, one event per line (keys: see src/app/consent/import-consent.ts)')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Each line: {"event":"granted","business_id":1,"consumer":"+15125550123","at":"2025-11-02T15:04:05Z",
  "did":"+15125550100","script_text":"...","transcript":"yes"}  (a callkeeper NDJSON export imports as is)
A bad line fails the whole import with its line number; nothing is written. Lines are appended in file
order; an "at" more than 5 minutes ahead of this machine's clock, or before the number's current event
(already in the ledger or on an earlier line), is a bad line: the event recorded last is the current one.

Example:
  callkeeper consent import --format ndjson old-system.ndjson`,
    )
    .action(async (file: string, o: { json?: boolean }) => {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (e) {
        throw new AppError('INPUT.NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
      }
      const r = await withCliStore(ctx, {}, (s) => importConsentNdjson({ ledger: s.consent, businesses: s.businesses, now: Date.now }, text.split(/\r?\n/), basename(file)));
      writeLine(ctx.stdout, o.json ? JSON.stringify(r) : `imported ${r.imported} events${r.firstId === null ? '' : ` (records ${r.firstId}-${r.lastId})`}`);
    });

  consent
    .command('show')
    .description('the whole consent history of a number, and its current consent per business')
    .argument('<e164>', "the consumer's number")
    .option('--business <id>', 'only this business')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  callkeeper consent show +15125550123 --business 1')
    .action(async (phone: string, o: { business?: string; json?: boolean }) => {
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
    });

  consent
    .command('revoke')
    .description('record a revocation the business received by phone or email (method "admin")')
    .argument('<e164>', "the consumer's number")
    .requiredOption('--business <id>', 'the business the consumer revoked consent for')
    .requiredOption('--reason <text>', 'how and when it was received, kept in the record')
    .option('--json', 'print the new record as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper consent revoke +15125550123 --business 1 --reason "asked by phone 2026-05-26, ticket 4411"')
    .action(async (phone: string, o: { business: string; reason: string; json?: boolean }) => {
      const businessId = parseId(o.business, '--business');
      const e = await withCliStore(ctx, {}, (s) =>
        revokeConsent({ ledger: s.consent, businesses: s.businesses }, { consumer: phone, businessId, reason: o.reason, actor: actor(ctx) }),
      );
      writeLine(ctx.stdout, o.json ? JSON.stringify({ ...e, at: new Date(e.at).toISOString() }) : `revoked: record ${e.id}`);
    });

  consent
    .command('verify')
    .description('walk the hash chain and check it against the signed checkpoints; exit 0 with "ok N records", exit 1 naming the first bad record')
    .option('--checkpoints <file>', 'the checkpoint file (default: ledger.checkpointsFile, <db>.checkpoints); pass a copy kept off this machine')
    .option('--public-key <file>', 'the ledger public key (default: ledger.publicKeyFile, else derived from ledger.keyFile); pass a copy kept off this machine')
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `
Records after the last checkpoint are reported as unsigned: nothing can prove or disprove them yet.

Example:
  callkeeper --db /var/lib/callkeeper/callkeeper.db consent verify
  callkeeper consent verify --public-key ~/offsite/ledger-key.pub --checkpoints ~/offsite/callkeeper.db.checkpoints`,
    )
    .action(async (o: { json?: boolean; checkpoints?: string; publicKey?: string }) => {
      const v = await withCliStore(ctx, { readonly: true }, (s) =>
        verifyLedger(s.consent, checkpointInput(ctx.config().config, ctx.dbPath(), { ...(o.checkpoints === undefined ? {} : { checkpoints: o.checkpoints }), ...(o.publicKey === undefined ? {} : { publicKey: o.publicKey }) })),
      );
      if (o.json) writeLine(ctx.stdout, JSON.stringify({ ...v.chain, ok: v.ok, signed: v.signed }));
      if (!v.ok) throw new AppError('STORE.LEDGER_TAMPERED', v.lines.join('; '), { details: { chain: v.chain, signed: v.signed } });
      if (!o.json) for (const line of v.lines) writeLine(ctx.stdout, line);
    });

  consent
    .command('evidence')
    .description('write the evidence bundle of one record: record.json, script.txt, transcript.txt, audio, call.json and message audio (calls), manifest.json')
    .argument('<id>', 'ledger record id')
    .requiredOption('--out <dir>', 'a new or empty directory to write the bundle into (created)')
    .option('--json', 'print the manifest as JSON')
    .addHelpText(
      'after',
      '\nAudio is copied only from the recordings directories (recordings.dir, FreeSWITCH\'s with engine freeswitch);\n' +
        'a record naming any other file lists it as refused.\n\nExample:\n  callkeeper consent evidence 42 --out ./evidence-42',
    )
    .action(async (idText: string, o: { out: string; json?: boolean }) => {
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
    });
}
