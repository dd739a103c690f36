import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename } from 'node:path';
import { writeConsentEvidence } from '../app/consent/consent-evidence.ts';
import { parseId } from '../app/consent/consent-input.ts';
import { importConsentNdjson } from '../app/consent/import-consent.ts';
import { revokeConsent } from '../app/consent/revoke-consent.ts';
import { showConsent } from '../app/consent/show-consent.ts';
import { verifyLedger } from '../app/consent/verify-ledger.ts';
import { AppError } from '../domain/errors.ts';
import { recordingRoots } from '../compose/recording-purge.ts';
import { FsEvidenceWriter } from '../store/fs-evidence-writer.ts';
import { SqliteCallRecordReader } from '../store/sqlite-call-record-reader.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';
import { checkpointInput } from '../compose/ledger-verify-input.ts';

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
