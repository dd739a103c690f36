import type { Command } from 'commander';
import { AppError } from '../domain/errors.ts';
import { validateNewStaff, type StaffMember } from '../domain/notify/staff-member.ts';
import { SqliteStaffStore } from '../store/sqlite-staff-store.ts';
import type { CliContext } from './cli-context.ts';
import { commandGroup, writeLine } from './cli-context.ts';
import { withCliStore } from './db-command.ts';

function parseId(s: string, what: string): number {
  if (!/^\d+$/.test(s.trim())) throw new AppError('INPUT.INVALID', `${what} must be a number, got "${s}"`);
  return Number(s);
}

function describeStaff(s: StaffMember): string {
  return [s.id, s.businessId, s.name, s.mobile ?? '-', s.email ?? '-', s.onCall?.spec ?? 'always', s.channels.join(',')].join('\t');
}

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
    .action(async (o: { business: string; name: string; mobile?: string; email?: string; onCall?: string; channels?: string; json?: boolean }) => {
      const input = validateNewStaff({
        businessId: parseId(o.business, '--business'),
        name: o.name,
        mobile: o.mobile,
        email: o.email,
        onCall: o.onCall,
        channels: o.channels?.split(',').map((c) => c.trim()).filter((c) => c !== ''),
      });
      const added = await withCliStore(ctx, {}, (s) => new SqliteStaffStore(s.db).add(input));
      writeLine(ctx.stdout, o.json ? JSON.stringify(added) : `added staff ${added.id}: ${added.name} (business ${added.businessId}; ${added.channels.join(', ')}; on call ${added.onCall?.spec ?? 'always'})`);
    });

  staff
    .command('list')
    .description('list staff: id, business, name, mobile, e-mail, on-call hours, channels')
    .option('--business <id>', 'only this business')
    .option('--json', 'print a JSON array')
    .action(async (o: { business?: string; json?: boolean }) => {
      const businessId = o.business === undefined ? undefined : parseId(o.business, '--business');
      const list = await withCliStore(ctx, { readonly: true }, (s) => new SqliteStaffStore(s.db).list(businessId));
      if (o.json) writeLine(ctx.stdout, JSON.stringify(list));
      else {
        writeLine(ctx.stdout, 'id\tbusiness\tname\tmobile\temail\ton-call\tchannels');
        for (const s of list) writeLine(ctx.stdout, describeStaff(s));
      }
    });

  staff
    .command('remove')
    .description('stop notifying a staff member (past delivery records keep the name)')
    .argument('<id>', 'staff id (see staff list)')
    .action(async (id: string) => {
      const removed = await withCliStore(ctx, { mustExist: true }, (s) => new SqliteStaffStore(s.db).remove(parseId(id, 'staff id')));
      writeLine(ctx.stdout, `removed staff ${removed.id}: ${removed.name}`);
    });
}
