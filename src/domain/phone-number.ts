import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

/**
 * Caller IDs arrive in every shape (`+15125550100`, `15125550100`, `5125550100`, `anonymous`,
 * `Restricted`, empty). We normalize with libphonenumber (no hand-written regexes) and treat
 * anything that is not a valid number as "cannot be texted".
 */
export type CallerId =
  | { kind: 'number'; raw: string; e164: string; mobileCapable: boolean }
  | { kind: 'withheld'; raw: string }
  | { kind: 'invalid'; raw: string };

const WITHHELD = new Set(['', 'anonymous', 'restricted', 'private', 'unknown', 'unavailable', 'withheld', 'blocked', 'p', 'o']);

export function parseCallerId(raw: string | null | undefined, defaultCountry: 'US' | 'CA' = 'US'): CallerId {
  const s = (raw ?? '').trim();
  if (WITHHELD.has(s.toLowerCase())) return { kind: 'withheld', raw: s };
  if (!/^[+\d(][\d\s().-]*$/.test(s)) return { kind: 'invalid', raw: s };
  const p = parsePhoneNumberFromString(s, defaultCountry);
  if (!p || !p.isValid()) return { kind: 'invalid', raw: s };
  const type = p.getType();
  // FIXED_LINE_OR_MOBILE is what NANP numbers usually report; only a known landline/toll-free is refused.
  const mobileCapable = type !== 'FIXED_LINE' && type !== 'TOLL_FREE' && type !== 'PREMIUM_RATE' && type !== 'SHARED_COST';
  return { kind: 'number', raw: s, e164: p.number, mobileCapable };
}

/** Strict E.164 normalization for admin input: returns the E.164 string or null. */
export function toE164(raw: string, defaultCountry: 'US' | 'CA' = 'US'): string | null {
  const id = parseCallerId(raw, defaultCountry);
  return id.kind === 'number' ? id.e164 : null;
}

/** A number as people write it in a text: national form at home ("(512) 555-0100"), international abroad. */
export function formatForReading(e164: string, home: 'US' | 'CA' = 'US'): string {
  const p = parsePhoneNumberFromString(e164);
  if (!p) return e164;
  return p.country === home || (home === 'US' && p.countryCallingCode === '1') ? p.formatNational() : p.formatInternational();
}
