import { addBusiness } from '../app/business/add-business.ts';
import { updateBusiness } from '../app/business/update-business.ts';
import { parseId } from '../app/consent/consent-input.ts';
import type { Business } from '../domain/business.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';
import { writeBusiness } from '../app/business/staged-business-write.ts';

function describe(b: Business): string {
  return `${b.id}\t${b.name}\t${b.timezone}\t${b.consentMode}\t${b.dids.join(' ')}`;
}

/** `business add` (src/cli/business-command.ts). */
export async function businessAdd(
  ctx: CliContext,
  o: { name: string; did: string[]; timezone?: string; consentMode?: string; template?: string[]; greeting?: string; emergencyInstruction?: string; force?: boolean; json?: boolean },
): Promise<void> {
  const defaults = o.timezone !== undefined && o.consentMode !== undefined ? undefined : ctx.config().config.defaults;
  const input = {
    name: o.name,
    dids: o.did,
    timezone: o.timezone ?? defaults!.timezone,
    consentMode: o.consentMode ?? defaults!.consentMode,
    templates: o.template ?? [],
    ...(o.greeting === undefined ? {} : { greeting: o.greeting }),
    ...(o.emergencyInstruction === undefined ? {} : { emergencyInstruction: o.emergencyInstruction }),
    force: o.force === true,
  };
  const b = await withCliStores(ctx, {}, (s) => writeBusiness(s.businesses, (staging) => addBusiness(staging, input)));
  writeLine(ctx.stdout, o.json ? JSON.stringify(b) : `added business ${b.id}: ${b.name} (${b.dids.length} DID${b.dids.length === 1 ? '' : 's'})`);
}

/** `business list`. */
export async function businessList(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  const list = await withCliStores(ctx, { readonly: true }, (s) => s.businesses.list());
  if (o.json) writeLine(ctx.stdout, JSON.stringify(list));
  else {
    writeLine(ctx.stdout, 'id\tname\ttimezone\tconsent\tdids');
    for (const b of list) writeLine(ctx.stdout, describe(b));
  }
}

/** `business update`. */
export async function businessUpdate(
  ctx: CliContext,
  idText: string,
  o: { name?: string; did?: string[]; timezone?: string; consentMode?: string; template?: string[]; greeting?: string; emergencyInstruction?: string; force?: boolean; json?: boolean },
): Promise<void> {
  const id = parseId(idText, 'business id');
  const input = {
    ...(o.name === undefined ? {} : { name: o.name }),
    ...(o.did === undefined ? {} : { dids: o.did }),
    ...(o.timezone === undefined ? {} : { timezone: o.timezone }),
    ...(o.consentMode === undefined ? {} : { consentMode: o.consentMode }),
    ...(o.template === undefined ? {} : { templates: o.template }),
    ...(o.greeting === undefined ? {} : { greeting: o.greeting }),
    ...(o.emergencyInstruction === undefined ? {} : { emergencyInstruction: o.emergencyInstruction }),
    force: o.force === true,
  };
  // The business as it is now: a template change is judged on it merged (update-business.ts).
  const b = await withCliStores(ctx, { mustExist: true }, async (s) =>
    writeBusiness(s.businesses, (staging) => updateBusiness(staging, id, input), await s.businesses.byId(id)),
  );
  writeLine(ctx.stdout, o.json ? JSON.stringify(b) : `updated business ${b.id}: ${describe(b)}`);
}
