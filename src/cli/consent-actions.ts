import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { writeConsentEvidence, type EvidenceManifest } from '../app/consent/consent-evidence.ts';
import { parseId } from '../app/consent/consent-input.ts';
import { importConsentNdjson, importConsentNdjsonAsync, type ImportResult } from '../app/consent/import-consent.ts';
import { listedBusinessDirectory } from '../app/business/listed-business-directory.ts';
import { revokeConsentAtomically } from '../app/consent/revoke-consent.ts';
import { createSystemClock } from '../app/system-clock.ts';
import { requireE164 } from '../app/business/business-input.ts';
import type { ConsentHistory } from '../app/consent/show-consent.ts';
import { verifyLedger, verifyLedgerAsync, type LedgerVerification } from '../app/consent/verify-ledger.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import type { AsyncConsentStore } from '../domain/ports/async-consent-ledger.ts';
import { recordingRoots } from '../compose/recording-purge.ts';
import { FsEvidenceWriter } from '../store/fs-evidence-writer.ts';
import { SqliteCallRecordReader } from '../store/sqlite-call-record-reader.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore, withCliStores } from './cli-store.ts';
import { checkpointInput, checkpointInputAt } from '../compose/ledger-verify-input.ts';
import { pgLedgerSigningPaths } from '../compose/ledger-signing.ts';

function actor(ctx: CliContext): string {
  try {
    return userInfo().username;
  } catch {
    return ctx.env.USER ?? 'unknown';
  }
}

export async function consentImport(ctx: CliContext, file: string, o: { json?: boolean }): Promise<void> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AppError('INPUT.NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  const lines = text.split(/\r?\n/);
  const db = ctx.database();
  const r =
    db.kind === 'postgres'
      ? await importOnPg(db.settings, lines, basename(file))
      : await withCliStore(ctx, {}, (s) => importConsentNdjson({ ledger: s.consent, businesses: s.businesses, now: Date.now }, lines, basename(file)));
  writeLine(ctx.stdout, o.json ? JSON.stringify(r) : `imported ${r.imported} events${r.firstId === null ? '' : ` (records ${r.firstId}-${r.lastId})`}`);
}

/**
 * `consent import` on PostgreSQL: the same line checks, then every event in one PgConsentStore.appendAll
 * transaction, whose check (an `at` before the pair's current event) runs under the ledger's lock; a
 * refused line rolls them all back. The businesses are read once first (a writing command: it migrates).
 */
async function importOnPg(settings: Config['database'], lines: readonly string[], fileLabel: string): Promise<ImportResult> {
  const { withCliPgStore } = await import('./cli-pg-store.ts');
  return withCliPgStore(settings, { readonly: false }, async (s) =>
    importConsentNdjsonAsync({ ledger: s.ledger, businesses: listedBusinessDirectory(await s.stores.businesses.list()), now: Date.now }, lines, fileLabel),
  );
}

/** `consent show`. */
export async function consentShow(ctx: CliContext, phone: string, o: { business?: string; json?: boolean }): Promise<void> {
  const businessId = o.business === undefined ? undefined : parseId(o.business, '--business');
  const h = await withCliStores(ctx, { readonly: true }, (s) => consentHistory(s.consent, phone, businessId));
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
  // The `revoked` record and the cancelling of queued texts in one transaction, on SQLite or PostgreSQL.
  const { event: e } = await withCliStores(ctx, {}, async (s) =>
    revokeConsentAtomically({ outbox: s.outbox, businesses: s.businesses, clock: createSystemClock() }, { consumer: phone, businessId, reason: o.reason, actor: actor(ctx) }),
  );
  writeLine(ctx.stdout, o.json ? JSON.stringify({ ...e, at: new Date(e.at).toISOString() }) : `revoked: record ${e.id}`);
}

/**
 * `consent show`'s history through the async port (SQLite and PostgreSQL alike): what showConsent
 * (src/app/consent/show-consent.ts) reads from the synchronous one, the current state per business from
 * the store's `current`.
 */
async function consentHistory(ledger: AsyncConsentStore, phone: string, businessId: number | undefined): Promise<ConsentHistory> {
  const consumer = requireE164(phone, 'the phone number');
  const events = await ledger.history(consumer, businessId);
  const ids = [...new Set(events.map((e) => e.businessId))].sort((a, b) => a - b);
  const current: ConsentHistory['current'] = [];
  for (const id of ids) current.push({ businessId: id, state: await ledger.current(id, consumer) });
  return { consumer, events, current };
}

/** `consent verify`. */
export async function consentVerify(ctx: CliContext, o: { json?: boolean; checkpoints?: string; publicKey?: string }): Promise<void> {
  const db = ctx.database();
  const v =
    db.kind === 'postgres'
      ? await verifyPgLedger(ctx, db.settings, o)
      : await withCliStore(ctx, { readonly: true }, (s) => verifyLedger(s.consent, checkpointInput(ctx.config().config, db.path, checkpointFiles(o))));
  if (o.json) writeLine(ctx.stdout, JSON.stringify({ ...v.chain, ok: v.ok, signed: v.signed }));
  if (!v.ok) throw new AppError('STORE.LEDGER_TAMPERED', v.lines.join('; '), { details: { chain: v.chain, signed: v.signed } });
  if (!o.json) for (const line of v.lines) writeLine(ctx.stdout, line);
}

/** `consent evidence`. */
export async function consentEvidence(ctx: CliContext, idText: string, o: { out: string; json?: boolean }): Promise<void> {
  const id = parseId(idText, 'record id');
  const writer = (): FsEvidenceWriter => new FsEvidenceWriter({ sourceRoots: recordingRoots(ctx.config().config) });
  const db = ctx.database();
  let m: EvidenceManifest;
  if (db.kind === 'postgres') {
    // The record (PgConsentStore.record) and its call row (every column, as on SQLite) from the configured database; read-only.
    const { withCliPgStore } = await import('./cli-pg-store.ts');
    m = await withCliPgStore(db.settings, { readonly: true }, (s) => writeConsentEvidence({ ledger: s.ledger, calls: s.callRecords, writer: writer(), now: Date.now }, id, o.out));
  } else {
    m = await withCliStore(ctx, { readonly: true }, (s) => writeConsentEvidence({ ledger: s.consent, calls: new SqliteCallRecordReader(s.db), writer: writer(), now: Date.now }, id, o.out));
  }
  if (o.json) writeLine(ctx.stdout, JSON.stringify(m));
  else {
    for (const f of m.files) writeLine(ctx.stdout, `${f.sha256}  ${f.name}`);
    for (const f of m.missing) writeLine(ctx.stdout, `missing: ${f}`);
    for (const f of m.refused) writeLine(ctx.stdout, `refused: ${f} (not a file in the recordings directories; not copied)`);
    writeLine(ctx.stdout, `wrote ${o.out}/manifest.json${m.record_hash_ok ? '' : ' (warning: the record does not match its hash; run consent verify)'}`);
  }
}

/**
 * `consent verify` on PostgreSQL: the checkpoint file and public key given, else this node's
 * (pgLedgerSigningPaths: the files `serve` signs into on this host), read first; then the chain walked by
 * PgConsentStore (paged by id) and the hashes the checkpoints name, judged and worded by the same code as
 * on SQLite (verifyLedgerAsync).
 */
async function verifyPgLedger(ctx: CliContext, settings: Config['database'], o: { checkpoints?: string; publicKey?: string }): Promise<LedgerVerification> {
  const { withCliPgStore } = await import('./cli-pg-store.ts');
  const input = checkpointInputAt(pgLedgerSigningPaths(ctx.config().config), checkpointFiles(o));
  return withCliPgStore(settings, { readonly: true }, (s) => verifyLedgerAsync({ verify: () => s.ledger.verify(), hashesAt: (ids) => s.chain.hashesAt(ids) }, input));
}

const checkpointFiles = (o: { checkpoints?: string; publicKey?: string }): { checkpoints?: string; publicKey?: string } => ({
  ...(o.checkpoints === undefined ? {} : { checkpoints: o.checkpoints }),
  ...(o.publicKey === undefined ? {} : { publicKey: o.publicKey }),
});
