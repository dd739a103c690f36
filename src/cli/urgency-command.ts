import type { Command } from 'commander';
import { TRADES } from '../domain/urgency/urgency-rules.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./urgency-actions.ts');

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

/** `callkeeper urgency set|show|check`: the transparent rules that flag a call URGENT, per business. */
export function registerUrgencyCommand(program: Command, ctx: CliContext): void {
  const urgency = commandGroup(program, 'urgency', 'the phrase rules that flag a call as urgent');

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
    .action(lazyAction(ctx, async () => (await actions()).urgencySet));

  urgency
    .command('show')
    .description("print a business's urgency rules, as they are applied")
    .requiredOption('--business <id>', 'business id')
    .option('--json', 'print JSON')
    .action(lazyAction(ctx, async () => (await actions()).urgencyShow));

  urgency
    .command('check')
    .description('judge a sample transcript with the business rules and print the decision (nothing is stored)')
    .requiredOption('--business <id>', 'business id')
    .argument('<transcript>', 'the text to judge')
    .addHelpText('after', '\nExample:\n  callkeeper urgency check --business 1 "the pipe burst and the basement is flooding"')
    .action(lazyAction(ctx, async () => (await actions()).urgencyCheck));
}
