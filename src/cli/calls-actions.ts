import { requireE164 } from '../app/business/business-input.ts';
import { parseId, parseIsoTime } from '../app/consent/consent-input.ts';
import { AppError } from '../domain/errors.ts';
import type { CallSummaryRow } from '../domain/ports/call-history.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

const iso = (ms: number | null): string => (ms === null ? '-' : new Date(ms).toISOString());

function line(r: CallSummaryRow): string {
  const urgent = r.urgent === null ? '-' : r.urgent ? 'URGENT' : 'routine';
  return [`#${r.id}`, iso(r.startedAt), `biz ${r.businessId ?? '-'}`, r.did, r.caller ?? '(withheld)', r.outcome ?? '(in progress)', `consent ${r.consent ?? '-'}`, urgent, `${r.texts} text${r.texts === 1 ? '' : 's'}`].join('  ');
}

/** `calls list` (src/cli/calls-command.ts). */
export async function callsList(
  ctx: CliContext,
  o: { business?: string; phone?: string; outcome?: string; since?: string; until?: string; urgent?: boolean; limit: string; json?: boolean },
): Promise<void> {
  const filter = {
    limit: parseId(o.limit, '--limit'),
    ...(o.business === undefined ? {} : { businessId: parseId(o.business, '--business') }),
    ...(o.phone === undefined ? {} : { caller: requireE164(o.phone, '--phone') }),
    ...(o.outcome === undefined ? {} : { outcome: o.outcome }),
    ...(o.since === undefined ? {} : { since: parseIsoTime(o.since, '--since') }),
    ...(o.until === undefined ? {} : { until: parseIsoTime(o.until, '--until') }),
    ...(o.urgent ? { urgent: true } : {}),
  };
  await withCliStores(ctx, { readonly: true }, async (s) => {
    const rows = await s.calls.list(filter);
    if (o.json) {
      for (const r of rows) writeLine(ctx.stdout, JSON.stringify({ ...r, startedAt: iso(r.startedAt), endedAt: r.endedAt === null ? null : iso(r.endedAt) }));
      return;
    }
    if (rows.length === 0) return writeLine(ctx.stdout, 'no calls');
    for (const r of rows) writeLine(ctx.stdout, line(r));
  });
}

/** `calls show ID` (src/cli/calls-command.ts). */
export async function callsShow(ctx: CliContext, idText: string, o: { json?: boolean }): Promise<void> {
  const id = parseId(idText, 'call id');
  await withCliStores(ctx, { readonly: true }, async (s) => {
    const d = await s.calls.detail(id);
    if (d === null) throw new AppError('INPUT.NOT_FOUND', `no call ${id}`);
    if (o.json) return writeLine(ctx.stdout, JSON.stringify(d));
    const c = d.call;
    const w = (s: string): void => writeLine(ctx.stdout, s);
    w(`call #${id} on ${String(c.engine)} (channel ${String(c.channel_id)})`);
    w(`  business ${String(c.business_id ?? '-')}, dialed ${String(c.did)}, caller ${String(c.caller_e164 ?? `(not a number: ${String(c.caller_raw)})`)}`);
    w(`  started ${iso(c.started_at as number)}, ended ${iso((c.ended_at as number | null) ?? null)}, outcome ${String(c.outcome ?? '(in progress)')}`);
    w(`  message: ${c.transcript === null ? '(none)' : JSON.stringify(c.transcript)}${c.recording_path ? ` [${String(c.recording_path)}]` : ''}`);
    w(`  urgency: ${d.urgency === null ? '-' : d.urgency.urgent ? `URGENT (rule ${d.urgency.rule ?? '?'}: "${d.urgency.matched ?? ''}")` : 'routine'}`);
    if (d.consent.length === 0) w('  consent: not asked or no decision');
    for (const e of d.consent) w(`  consent: ${e.event} (${e.method}) at ${iso(e.at)}, record ${e.id}, answer ${e.transcript === null ? '-' : JSON.stringify(e.transcript)}`);
    if (d.texts.length === 0) w('  texts: none');
    for (const t of d.texts) w(`  text #${t.id} ${t.kind}: ${t.state}${t.stateReason ? ` (${t.stateReason})` : ''}, ${t.parts ?? '?'} SMS, ${JSON.stringify(t.body)}`);
    for (const s of d.staff) w(`  staff ${s.channel}: ${s.state} after ${s.attempts} attempt${s.attempts === 1 ? '' : 's'}${s.lastError ? ` (${s.lastError})` : ''}`);
  });
}
