import { Option, type Command } from 'commander';
import { addBusiness } from '../app/business/add-business.ts';
import { updateBusiness } from '../app/business/update-business.ts';
import { parseId } from '../app/consent/consent-input.ts';
import type { Business } from '../domain/business.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

const collect = (v: string, prev: string[] = []): string[] => [...prev, v];

function describe(b: Business): string {
  return `${b.id}\t${b.name}\t${b.timezone}\t${b.consentMode}\t${b.dids.join(' ')}`;
}

export function registerBusinessCommand(program: Command, ctx: CliContext): void {
  const business = commandGroup(program, 'business', 'the businesses callkeeper answers for');

  business
    .command('add')
    .description('add a business with one or more DIDs (the first is the default sender of its texts)')
    .requiredOption('--name <name>', 'business name, as spoken in the consent script')
    .requiredOption('--did <e164>', 'a number that rings this business (repeatable)', collect)
    .option('--timezone <tz>', 'IANA time zone (default: defaults.timezone from the config)')
    .addOption(new Option('--consent-mode <mode>', 'ask for verbal consent, or text on implied consent').choices(['verbal', 'implied']))
    .option('--template <key=text>', 'override a message template: received|callback|complete|implied (repeatable)', collect)
    .option('--greeting <text>', 'greeting text override')
    .option('--emergency-instruction <text>', 'instruction read to urgent callers')
    .option('--json', 'print the business as JSON')
    .addHelpText(
      'after',
      '\nExample:\n  callkeeper business add --name "Acme Plumbing" --did +15125550100 --did +15125550101 \\\n    --timezone America/Chicago --consent-mode verbal',
    )
    .action(
      async (o: { name: string; did: string[]; timezone?: string; consentMode?: string; template?: string[]; greeting?: string; emergencyInstruction?: string; json?: boolean }) => {
        const defaults = o.timezone !== undefined && o.consentMode !== undefined ? undefined : ctx.config().config.defaults;
        const b = await withCliStore(ctx, {}, (s) =>
          addBusiness(s.businesses, {
            name: o.name,
            dids: o.did,
            timezone: o.timezone ?? defaults!.timezone,
            consentMode: o.consentMode ?? defaults!.consentMode,
            templates: o.template ?? [],
            ...(o.greeting === undefined ? {} : { greeting: o.greeting }),
            ...(o.emergencyInstruction === undefined ? {} : { emergencyInstruction: o.emergencyInstruction }),
          }),
        );
        writeLine(ctx.stdout, o.json ? JSON.stringify(b) : `added business ${b.id}: ${b.name} (${b.dids.length} DID${b.dids.length === 1 ? '' : 's'})`);
      },
    );

  business
    .command('list')
    .description('list businesses: id, name, time zone, consent mode, DIDs')
    .option('--json', 'print a JSON array')
    .addHelpText('after', '\nExample:\n  callkeeper business list --json')
    .action(async (o: { json?: boolean }) => {
      const list = await withCliStore(ctx, { readonly: true }, (s) => s.businesses.list());
      if (o.json) writeLine(ctx.stdout, JSON.stringify(list));
      else {
        writeLine(ctx.stdout, 'id\tname\ttimezone\tconsent\tdids');
        for (const b of list) writeLine(ctx.stdout, describe(b));
      }
    });

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
    .option('--json', 'print the business as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper business update 1 --timezone America/Denver --template callback="We will call you back today."')
    .action(
      async (
        idText: string,
        o: { name?: string; did?: string[]; timezone?: string; consentMode?: string; template?: string[]; greeting?: string; emergencyInstruction?: string; json?: boolean },
      ) => {
        const id = parseId(idText, 'business id');
        const b = await withCliStore(ctx, { mustExist: true }, (s) =>
          updateBusiness(s.businesses, id, {
            ...(o.name === undefined ? {} : { name: o.name }),
            ...(o.did === undefined ? {} : { dids: o.did }),
            ...(o.timezone === undefined ? {} : { timezone: o.timezone }),
            ...(o.consentMode === undefined ? {} : { consentMode: o.consentMode }),
            ...(o.template === undefined ? {} : { templates: o.template }),
            ...(o.greeting === undefined ? {} : { greeting: o.greeting }),
            ...(o.emergencyInstruction === undefined ? {} : { emergencyInstruction: o.emergencyInstruction }),
          }),
        );
        writeLine(ctx.stdout, o.json ? JSON.stringify(b) : `updated business ${b.id}: ${describe(b)}`);
      },
    );
}
