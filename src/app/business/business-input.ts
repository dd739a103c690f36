import type { ConsentMode, TemplateKey } from '../../domain/business.ts';
import { AppError } from '../../domain/errors.ts';
import { toE164 } from '../../domain/phone-number.ts';

export const TEMPLATE_KEYS = ['received', 'callback', 'complete', 'implied'] as const satisfies readonly TemplateKey[];
export const CONSENT_MODES = ['verbal', 'implied'] as const satisfies readonly ConsentMode[];

/** Admin input → E.164, or a user error that names the input without echoing the number. */
export function requireE164(raw: string, what: string): string {
  const e164 = toE164(raw);
  if (e164 === null) throw new AppError('INPUT.INVALID', `${what} is not a valid phone number (expected E.164, e.g. +15125550100)`, { details: { raw } });
  return e164;
}

export function normalizeDids(raw: readonly string[]): string[] {
  if (raw.length === 0) throw new AppError('INPUT.INVALID', 'a business needs at least one --did');
  const dids = raw.map((d, i) => requireE164(d, raw.length > 1 ? `--did ${i + 1}` : '--did'));
  const dup = dids.findIndex((d, i) => dids.indexOf(d) !== i);
  if (dup >= 0) throw new AppError('INPUT.INVALID', `--did ${dup + 1} is given twice`);
  return dids;
}

/** IANA zone names only, as the runtime's ICU knows them (quiet hours are computed in this zone). */
export function requireTimezone(tz: string): string {
  try {
    const resolved = new Intl.DateTimeFormat('en-US', { timeZone: tz }).resolvedOptions().timeZone;
    if (resolved) return tz;
  } catch {
    // RangeError: fall through to the user error below.
  }
  throw new AppError('INPUT.INVALID', `unknown time zone "${tz}" (expected an IANA name such as America/Chicago)`);
}

export function requireConsentMode(mode: string): ConsentMode {
  if ((CONSENT_MODES as readonly string[]).includes(mode)) return mode as ConsentMode;
  throw new AppError('INPUT.INVALID', `consent mode must be one of ${CONSENT_MODES.join(', ')}`);
}

export function requireName(name: string): string {
  const n = name.trim();
  if (n.length < 1 || n.length > 120) throw new AppError('INPUT.INVALID', 'business name must be 1 to 120 characters');
  return n;
}

/** `KEY=TEXT` pairs (repeatable `--template`) → a templates object with known keys only. */
export function parseTemplates(pairs: readonly string[]): Partial<Record<TemplateKey, string>> {
  const out: Partial<Record<TemplateKey, string>> = {};
  for (const p of pairs) {
    const eq = p.indexOf('=');
    const key = eq < 0 ? p : p.slice(0, eq);
    if (eq < 0 || !(TEMPLATE_KEYS as readonly string[]).includes(key)) {
      throw new AppError('INPUT.INVALID', `--template must be KEY=TEXT with KEY one of ${TEMPLATE_KEYS.join(', ')}`);
    }
    out[key as TemplateKey] = p.slice(eq + 1);
  }
  return out;
}
