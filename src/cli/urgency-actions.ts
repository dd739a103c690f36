import { AppError } from '../domain/errors.ts';
import { buildUrgencyRules, isTrade, judgeUrgency, type UrgencySettings } from '../domain/urgency/urgency-judge.ts';
import { DEFAULT_RULES, groupsFor, TRADES } from '../domain/urgency/urgency-rules.ts';
import type { AsyncUrgencyStore } from '../domain/ports/async-stores.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

function parseId(s: string): number {
  if (!/^\d+$/.test(s.trim())) throw new AppError('INPUT.INVALID', `--business must be a number, got "${s}"`);
  return Number(s);
}

/** The business's settings, else the configured default trade with no changes. */
async function current(ctx: CliContext, store: AsyncUrgencyStore, businessId: number): Promise<UrgencySettings> {
  return (await store.settings(businessId)) ?? { trade: ctx.config().config.notify.defaultTrade, extraPhrases: [], disabled: [] };
}

/** `urgency set` (src/cli/urgency-command.ts). */
export async function urgencySet(ctx: CliContext, o: { business: string; trade?: string; add?: string[]; disable?: string[]; enable?: string[]; remove?: string[] }): Promise<void> {
  const businessId = parseId(o.business);
  if (o.trade !== undefined && !isTrade(o.trade)) throw new AppError('INPUT.INVALID', `--trade must be one of ${TRADES.join(', ')}`);
  const next = await withCliStores(ctx, {}, async (s) => {
    const store = s.urgency;
    const cur = await current(ctx, store, businessId);
    const lower = (xs: string[] = []): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
    const settings: UrgencySettings = {
      trade: (o.trade as UrgencySettings['trade'] | undefined) ?? cur.trade,
      extraPhrases: [...new Set([...cur.extraPhrases.filter((p) => !lower(o.remove).has(p.toLowerCase())), ...(o.add ?? [])])],
      disabled: [...new Set([...cur.disabled.filter((d) => !lower(o.enable).has(d.toLowerCase())), ...(o.disable ?? [])])],
    };
    buildUrgencyRules(settings); // refuses malformed phrases before they are stored
    await store.saveSettings(businessId, settings);
    return settings;
  });
  writeLine(ctx.stdout, `urgency for business ${businessId}: trade ${next.trade}, ${next.extraPhrases.length} extra phrase(s), ${next.disabled.length} disabled`);
}

/** `urgency show`. */
export async function urgencyShow(ctx: CliContext, o: { business: string; json?: boolean }): Promise<void> {
  const businessId = parseId(o.business);
  const settings = await withCliStores(ctx, { readonly: true }, (s) => current(ctx, s.urgency, businessId));
  const off = new Set(settings.disabled.map((d) => d.toLowerCase()));
  const rules = DEFAULT_RULES.filter((r) => groupsFor(settings.trade).includes(r.group)).map((r) => ({
    id: r.id,
    lifeSafety: r.lifeSafety,
    enabled: !off.has(r.id.toLowerCase()),
    patterns: r.patterns.map((p) => (off.has(p.toLowerCase()) ? `(off) ${p}` : p)),
  }));
  if (o.json) {
    writeLine(ctx.stdout, JSON.stringify({ settings, rules }));
    return;
  }
  writeLine(ctx.stdout, `trade: ${settings.trade}`);
  writeLine(ctx.stdout, 'syntax: word, word* (prefix), a|b, word? (optional), ... (up to 3 words), !word (not followed by)');
  for (const r of rules) writeLine(ctx.stdout, `${r.enabled ? '' : '(off) '}${r.id}${r.lifeSafety ? ' [life-safety]' : ''}:\n    ${r.patterns.join('\n    ')}`);
  if (settings.extraPhrases.length > 0) writeLine(ctx.stdout, `business.extra:\n    ${settings.extraPhrases.join('\n    ')}`);
}

/** `urgency check`. */
export async function urgencyCheck(ctx: CliContext, transcript: string, o: { business: string }): Promise<void> {
  const businessId = parseId(o.business);
  const settings = await withCliStores(ctx, { readonly: true }, (s) => current(ctx, s.urgency, businessId));
  writeLine(ctx.stdout, JSON.stringify(judgeUrgency(transcript, buildUrgencyRules(settings)), null, 2));
}
