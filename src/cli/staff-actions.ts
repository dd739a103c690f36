import { AppError } from '../domain/errors.ts';
import { validateNewStaff, type StaffMember } from '../domain/notify/staff-member.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';

function parseId(s: string, what: string): number {
  if (!/^\d+$/.test(s.trim())) throw new AppError('INPUT.INVALID', `${what} must be a number, got "${s}"`);
  return Number(s);
}

function describeStaff(s: StaffMember): string {
  return [s.id, s.businessId, s.name, s.mobile ?? '-', s.email ?? '-', s.onCall?.spec ?? 'always', s.channels.join(',')].join('\t');
}

/** `staff add` (src/cli/staff-command.ts). */
export async function staffAdd(ctx: CliContext, o: { business: string; name: string; mobile?: string; email?: string; onCall?: string; channels?: string; json?: boolean }): Promise<void> {
  const input = validateNewStaff({
    businessId: parseId(o.business, '--business'),
    name: o.name,
    mobile: o.mobile,
    email: o.email,
    onCall: o.onCall,
    channels: o.channels?.split(',').map((c) => c.trim()).filter((c) => c !== ''),
  });
  const added = await withCliStores(ctx, {}, (s) => s.staff.add(input));
  writeLine(ctx.stdout, o.json ? JSON.stringify(added) : `added staff ${added.id}: ${added.name} (business ${added.businessId}; ${added.channels.join(', ')}; on call ${added.onCall?.spec ?? 'always'})`);
}

/** `staff list`. */
export async function staffList(ctx: CliContext, o: { business?: string; json?: boolean }): Promise<void> {
  const businessId = o.business === undefined ? undefined : parseId(o.business, '--business');
  const list = await withCliStores(ctx, { readonly: true }, (s) => s.staff.list(businessId));
  if (o.json) writeLine(ctx.stdout, JSON.stringify(list));
  else {
    writeLine(ctx.stdout, 'id\tbusiness\tname\tmobile\temail\ton-call\tchannels');
    for (const s of list) writeLine(ctx.stdout, describeStaff(s));
  }
}

/** `staff remove`. */
export async function staffRemove(ctx: CliContext, id: string): Promise<void> {
  const removed = await withCliStores(ctx, { mustExist: true }, (s) => s.staff.remove(parseId(id, 'staff id')));
  writeLine(ctx.stdout, `removed staff ${removed.id}: ${removed.name}`);
}
