import type { Command } from 'commander';
import type { CliContext } from './cli-context.ts';
import { commandGroup, lazyAction } from './cli-context.ts';

const actions = () => import('./staff-actions.ts');

/** `callkeeper staff add|list|remove`: who hears about missed calls. */
export function registerStaffCommand(program: Command, ctx: CliContext): void {
  const staff = commandGroup(program, 'staff', 'the people told about calls (SMS, e-mail) and when they are on call');

  staff
    .command('add')
    .description('add a staff contact: a mobile number, an e-mail address, or both')
    .requiredOption('--business <id>', 'business id (see business list)')
    .requiredOption('--name <name>', 'how the person is shown in records')
    .option('--mobile <e164>', 'mobile number for staff texts')
    .option('--email <address>', 'e-mail address')
    .option('--on-call <hours>', 'on-call hours in the business time zone, e.g. "Mon-Fri 08:00-18:00; Sat 09:00-12:00" (default: always)')
    .option('--channels <list>', 'comma-separated: sms,email (default: those with an address)')
    .option('--json', 'print the staff member as JSON')
    .addHelpText('after', '\nExample:\n  callkeeper staff add --business 1 --name "Dana" --mobile +15125550142 --email dana@acme.example --on-call "Mon-Fri 08:00-18:00"')
    .action(lazyAction(ctx, async () => (await actions()).staffAdd));

  staff
    .command('list')
    .description('list staff: id, business, name, mobile, e-mail, on-call hours, channels')
    .option('--business <id>', 'only this business')
    .option('--json', 'print a JSON array')
    .action(lazyAction(ctx, async () => (await actions()).staffList));

  staff
    .command('remove')
    .description('stop notifying a staff member (past delivery records keep the name)')
    .argument('<id>', 'staff id (see staff list)')
    .action(lazyAction(ctx, async () => (await actions()).staffRemove));
}
