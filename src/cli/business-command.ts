import { Option, type Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];
const actions = () => import('./business-actions.ts');

export function registerBusinessCommand(program: Command, ctx: CliContext): void {
  const business = commandGroup(program, 'business', 'the businesses callkeeper answers for');

  business
    .command('add')
    .description('add a business with one or more DIDs (the first is the default sender of its texts)')
    .requiredOption('--name <name>', 'business name, as spoken in the consent script')
    .requiredOption('--did <e164>', 'a number that rings this business (repeatable)', collect)
    .option('--timezone <tz>', 'IANA time zone (default: defaults.timezone from the config)')
    .addOption(new Option('--consent-mode <mode>', 'ask for verbal consent, or text on implied consent').choices(['verbal', 'implied']))
    .option('--template <key=text>', 'override a message template: received|callback|complete|implied (repeatable); must name {business} (compliance check)', collect)
    .option('--greeting <text>', 'greeting text override')
    .option('--emergency-instruction <text>', 'instruction read to urgent callers')
    .option('--force', 'store a template even if it breaks a compliance rule (see compliance check)')
    .option('--json', 'print the business as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  callkeeper business add --name "Acme Plumbing" --did +15125550100 --did +15125550101 \\\n    --timezone America/Chicago --consent-mode verbal',
    )
    .action(lazyAction(ctx, async () => (await actions()).businessAdd));

  business
    .command('list')
    .description('list businesses: id, name, time zone, consent mode, DIDs')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  callkeeper business list --json')
    .action(lazyAction(ctx, async () => (await actions()).businessList));

  business
    .command('update')
    .description('change a business; only the given options change (--did replaces the whole DID list)')
    .argument('<id>', 'business id (see business list)')
    .option('--name <name>', 'new name')
    .option('--did <e164>', 'the new DID list (repeatable)', collect)
    .option('--timezone <tz>', 'IANA time zone')
    .addOption(new Option('--consent-mode <mode>', 'verbal or implied').choices(['verbal', 'implied']))
    .option('--template <key=text>', 'set a message template (repeatable); other templates are kept', collect)
    .option('--greeting <text>', 'greeting text override ("" clears it)')
    .option('--emergency-instruction <text>', 'instruction read to urgent callers ("" clears it)')
    .option('--force', 'store a template even if it breaks a compliance rule (see compliance check)')
    .option('--json', 'print the business as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper business update 1 --timezone America/Denver --template callback="{business} will call you back today."')
    .action(lazyAction(ctx, async () => (await actions()).businessUpdate));
}
