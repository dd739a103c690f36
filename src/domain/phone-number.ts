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

/** Why an SMS address is not a phone number we could text or file a consent event under. */
export type NotANumberReason = 'empty' | 'alphanumeric' | 'numbering-plan' | 'invalid';

export type SmsAddress = { kind: 'number'; e164: string } | { kind: 'not-a-number'; reason: NotANumberReason };

/** SMPP 3.4 §5.2.5 type_of_number values that change how the digits read. */
const TON_INTERNATIONAL = 1;
const TON_NATIONAL = 2;
const TON_ALPHANUMERIC = 5;
/**
 * SMPP 3.4 §5.2.6 numbering plans that are not telephone numbers: data (X.121) 3, telex 4, land mobile
 * (E.212: an IMSI, which can look like a valid phone number) 6, internet (IP) 14, WAP client id 18.
 * Every other plan (unknown 0, ISDN/E.164 1, national 8, private 9, ...) is read by its TON.
 */
const NON_PHONE_NPI: ReadonlySet<number> = new Set([3, 4, 6, 14, 18]);
/** Separators some SMSCs leave in an address; anything else that is not a digit makes it a name, not a number. */
const SEPARATORS = /[\s().-]/g;
/** An international prefix left in front of the country code: `00` (most of the world), `011` (NANP). */
const IDD = /^(?:00|011)/;

/**
 * The E.164 number of an SMS address (a deliver_sm `source_addr` / `destination_addr`) read with its
 * TON and NPI, so that every way an SMSC writes one number files under that one number (src/sms/README.md
 * "Inbound senders"). International (TON 1): the digits after an optional `+`, a leftover `00`/`011`
 * dropped (no country code starts with 0). National (TON 2): the default country's national number.
 * Unknown (TON 0) and the rest: `+…`, `00…` and `011…` are international; otherwise the default
 * country's national number (`5125550123`, `15125550123`), else the digits as international.
 * Alphanumeric (TON 5), non-telephone plans and anything libphonenumber does not call valid (empty, too
 * short, `11111111111`) are not numbers.
 */
export function parseSmsAddress(raw: string, ton: number, npi: number, defaultCountry: 'US' | 'CA' = 'US'): SmsAddress {
  const notANumber = (reason: NotANumberReason): SmsAddress => ({ kind: 'not-a-number', reason });
  const s = raw.replace(SEPARATORS, '');
  if (s === '') return notANumber('empty');
  if (ton === TON_ALPHANUMERIC || !/^\+?\d+$/.test(s)) return notANumber('alphanumeric');
  if (NON_PHONE_NPI.has(npi)) return notANumber('numbering-plan');
  const digits = s.replace(/^\+/, '');
  const valid = (text: string, country?: 'US' | 'CA'): string | null => {
    const p = parsePhoneNumberFromString(text, country);
    return p && p.isValid() ? p.number : null;
  };
  const international = (): string | null => valid(`+${digits.replace(IDD, '')}`);
  let e164: string | null;
  if (s.startsWith('+') || ton === TON_INTERNATIONAL || IDD.test(digits)) e164 = international();
  else if (ton === TON_NATIONAL) e164 = valid(digits, defaultCountry);
  else e164 = valid(digits, defaultCountry) ?? international();
  return e164 === null ? notANumber('invalid') : { kind: 'number', e164 };
}
