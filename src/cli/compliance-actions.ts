import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkBusinesses, violationLines } from '../app/compliance/check-compliance.ts';
import { parseId } from '../app/consent/consent-input.ts';
import { buildKit } from '../compliance/registration-kit.ts';
import { checkProgram, describeViolation } from '../domain/compliance/compliance-rules.ts';
import { describeProgram, type ProgramSettings } from '../domain/compliance/program-description.ts';
import { AppError } from '../domain/errors.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStores } from './cli-store.ts';
import { listedBusinessDirectory } from '../app/business/listed-business-directory.ts';

function settings(ctx: CliContext): ProgramSettings {
  return { helpContact: ctx.config().config.messaging.helpContact };
}

/** `compliance kit` (src/cli/compliance-command.ts). */
export async function complianceKit(ctx: CliContext, o: { business: string; out: string; force?: boolean }): Promise<void> {
  const id = parseId(o.business, '--business');
  // SQLite or the configured PostgreSQL alike (withCliStores): the kit is the same for the same business
  const business = await withCliStores(ctx, { readonly: true }, (s) => s.businesses.byId(id));
  if (!business) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
  const description = describeProgram(business, settings(ctx));
  const broken = checkProgram(description);
  if (broken.length > 0 && o.force !== true) {
    for (const v of broken) writeLine(ctx.stderr, describeViolation(v));
    throw new AppError('COMPLIANCE.RULES_BROKEN', `kit not written: ${broken.length} compliance rule(s) broken (fix them, or --force)`);
  }
  try {
    mkdirSync(o.out, { recursive: true });
    for (const f of buildKit(description)) {
      writeFileSync(join(o.out, f.name), f.content);
      writeLine(ctx.stdout, `wrote ${join(o.out, f.name)}`);
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INPUT.INVALID', `cannot write the kit to ${o.out}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
}

/** `compliance check`. */
export async function complianceCheck(ctx: CliContext, o: { business?: string; json?: boolean }): Promise<void> {
  const only = o.business === undefined ? undefined : parseId(o.business, '--business');
  // the businesses read once through the async port, then judged as on SQLite (as doctor's compliance row does)
  const list = await withCliStores(ctx, { readonly: true }, (s) => s.businesses.list());
  const report = checkBusinesses(listedBusinessDirectory(list), settings(ctx), only);
  if (only !== undefined && report.length === 0) throw new AppError('INPUT.NOT_FOUND', `no business with id ${only}`);
  const lines = violationLines(report);
  if (o.json) writeLine(ctx.stdout, JSON.stringify(report.map((r) => ({ business: r.business, ok: r.violations.length === 0, violations: r.violations }))));
  else if (lines.length === 0) writeLine(ctx.stdout, `ok: ${report.length} business(es): templates, keyword replies and consent script meet the carrier rules`);
  else for (const l of lines) writeLine(ctx.stdout, l);
  if (lines.length > 0) throw new AppError('COMPLIANCE.RULES_BROKEN', `${lines.length} compliance rule(s) broken`);
}
