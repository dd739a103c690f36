import { pino } from 'pino';
import { REDACTED_MARK } from './redacted-keys.ts';

/**
 * Phone-shaped runs in free text: `+15125550100`, `5125550100`, `(512) 555-0100`. Message strings must
 * never hold these (README.md "Operations"); scrubbing them is a safety net for a mistake, not the mechanism, so it is
 * kept narrow: 7+ digit runs (which also masks a millisecond timestamp put in a message; put those in fields).
 */
const PHONE_IN_TEXT = /\+?\d{7,15}|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b/g;
export const SCRUBBED_NUMBER = '[number]';

export function scrubMessage(msg: string): string {
  return msg.replace(PHONE_IN_TEXT, SCRUBBED_NUMBER);
}

/**
 * A field value that is, as a whole, a phone number (`+15125550100`, `15125550100`, `(512) 555-0100`,
 * `sip:+15125550100@host`, `0015125490016`), whatever the field is called: a name list alone misses the
 * field nobody thought of (`callerId`). Whole values only, so ids and hashes with digit runs
 * (`1733512345.12`, a sha256) stay readable.
 */
const PHONE_VALUE = /^(?:sips?:|tel:)?\+?\(?(?:\d[\s().-]{0,2}){7,15}(?:@\S*)?$/;
/** Fields that hold the business's own published numbers: operators need them (redacted-keys.ts). */
const VISIBLE_NUMBER_KEYS: ReadonlySet<string> = new Set(['did', 'dids', 'dialed', 'sender', 'businessDid']);

export function isPhoneShaped(value: string): boolean {
  return PHONE_VALUE.test(value.trim()) && !/^\d+\.\d+$/.test(value.trim());
}

/** Deeper than this, a value is replaced whole: log fields are shallow, and a deep graph is a mistake. */
const MAX_DEPTH = 8;

/**
 * A copy of `value` with every property named in `keys` replaced by `[redacted]`, at any depth. Errors
 * become pino's serialized form first (type, message, stack, and enumerable fields such as AppError's
 * `code` and `details`), with phone-shaped runs scrubbed from message and stack, since a library's error
 * text can quote what it was given. The input is never modified. pino's wildcard `redact` paths cost
 * ~60 µs a line for this list; this walk costs about as much as pino's own serialization.
 */
export function redactFields(value: unknown, keys: ReadonlySet<string>, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[too deep]';
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' && isPhoneShaped(v) ? REDACTED_MARK : redactFields(v, keys, depth + 1)));
  if (value instanceof Error) {
    const s = pino.stdSerializers.err(value) as unknown as Record<string, unknown>;
    if (typeof s.message === 'string') s.message = scrubMessage(s.message);
    if (typeof s.stack === 'string') s.stack = scrubMessage(s.stack);
    return redactObject(s, keys, depth);
  }
  if (value instanceof Date || ArrayBuffer.isView(value)) return value;
  const json = (value as { toJSON?: unknown }).toJSON;
  if (typeof json === 'function') return redactFields((json as () => unknown).call(value), keys, depth + 1);
  return redactObject(value as Record<string, unknown>, keys, depth);
}

function redactObject(obj: Record<string, unknown>, keys: ReadonlySet<string>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(obj)) {
    const v = obj[k];
    if (keys.has(k) && v !== undefined && v !== null) out[k] = REDACTED_MARK;
    else if (typeof v === 'string' && !VISIBLE_NUMBER_KEYS.has(k) && isPhoneShaped(v)) out[k] = REDACTED_MARK;
    else out[k] = redactFields(v, keys, depth + 1);
  }
  return out;
}
