import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { buildUrgencyRules, isTrade, judgeUrgency, type UrgencySettings } from '../domain/urgency/urgency-judge.ts';
import { DEFAULT_RULES, groupsFor, TRADES } from '../domain/urgency/urgency-rules.ts';
import { SqliteUrgencyStore } from '../store/sqlite-urgency-store.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function parseId(s: string): number {
  if (!/^\d+$/.test(s.trim())) throw new AppError('INPUT.INVALID', `--business must be a number, got "${s}"`);
  return Number(s);
}

/** `callkeeper urgency set|show|check`: the transparent rules that flag a call URGENT, per business. */
export function registerUrgencyCommand(program: Command, ctx: CliContext): void {
  const urgency = commandGroup(program, 'urgency', 'the phrase rules that flag a call as urgent');
  const current = (store: SqliteUrgencyStore, businessId: number): UrgencySettings =>
    store.settings(businessId) ?? { trade: ctx.config().config.notify.defaultTrade, extraPhrases: [], disabled: [] };

  urgency
    .command('set')
    .description("set a business's trade, add its own phrases, switch rules or phrases off")
    .requiredOption('--business <id>', 'business id')
    .option('--trade <trade>', `one of ${TRADES.join(', ')}`)
    .option('--add <phrase>', 'an extra urgent phrase, e.g. "no hot water" (repeatable; syntax: see urgency show)', collect)
    .option('--disable <rule-or-phrase>', 'a rule id (hvac.no-cooling) or a default phrase to switch off (repeatable)', collect)
    .option('--enable <rule-or-phrase>', 'undo a --disable (repeatable)', collect)
    .option('--remove <phrase>', 'remove an extra phrase (repeatable)', collect)
    .addHelpText('after', '\nExample:\n  callkeeper urgency set --business 1 --trade plumbing --add "no hot water" --disable common.emergency')
    .action(async (o: { business: string; trade?: string; add?: string[]; disable?: string[]; enable?: string[]; remove?: string[] }) => {
      const businessId = parseId(o.business);
      if (o.trade !== undefined && !isTrade(o.trade)) throw new AppError('INPUT.INVALID', `--trade must be one of ${TRADES.join(', ')}`);
      const next = await withCliStore(ctx, {}, (s) => {
        const store = new SqliteUrgencyStore(s.db);
        const cur = current(store, businessId);
        const lower = (xs: string[] = []): Set<string> => new Set(xs.map((x) => x.toLowerCase()));
        const settings: UrgencySettings = {
          trade: (o.trade as UrgencySettings['trade'] | undefined) ?? cur.trade,
          extraPhrases: [...new Set([...cur.extraPhrases.filter((p) => !lower(o.remove).has(p.toLowerCase())), ...(o.add ?? [])])],
          disabled: [...new Set([...cur.disabled.filter((d) => !lower(o.enable).has(d.toLowerCase())), ...(o.disable ?? [])])],
        };
        buildUrgencyRules(settings); // refuses malformed phrases before they are stored
        store.saveSettings(businessId, settings);
        return settings;
      });
      writeLine(ctx.stdout, `urgency for business ${businessId}: trade ${next.trade}, ${next.extraPhrases.length} extra phrase(s), ${next.disabled.length} disabled`);
    });

  urgency
    .command('show')
    .description("print a business's urgency rules, as they are applied")
    .requiredOption('--business <id>', 'business id')
    .option('--json', 'print JSON')
    .action(async (o: { business: string; json?: boolean }) => {
      const businessId = parseId(o.business);
      const settings = await withCliStore(ctx, { readonly: true }, (s) => current(new SqliteUrgencyStore(s.db), businessId));
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
    });

  urgency
    .command('check')
    .description('judge a sample transcript with the business rules and print the decision (nothing is stored)')
    .requiredOption('--business <id>', 'business id')
    .argument('<transcript>', 'the text to judge')
    .addHelpText('after', '\nExample:\n  callkeeper urgency check --business 1 "the pipe burst and the basement is flooding"')
    .action(async (transcript: string, o: { business: string }) => {
      const businessId = parseId(o.business);
      const settings = await withCliStore(ctx, { readonly: true }, (s) => current(new SqliteUrgencyStore(s.db), businessId));
      writeLine(ctx.stdout, JSON.stringify(judgeUrgency(transcript, buildUrgencyRules(settings)), null, 2));
    });
}
