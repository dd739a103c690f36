import { CONSENT_EVENTS, type ConsentEventType } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/**
 * ISO-8601 → UTC ms. A date alone means UTC midnight; a date-time must carry its zone (`Z` or an
 * offset), because a local time would silently depend on the machine running the command.
 */
export function parseIsoTime(text: string, what: string): number {
  const ms = ISO_DATE_TIME.test(text) ? Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text) : NaN;
  if (Number.isNaN(ms)) {
    throw new AppError('INPUT.INVALID', `${what} must be ISO-8601 UTC, e.g. 2026-05-01 or 2026-05-01T14:00:00Z`);
  }
  return ms;
}

export function parseEventTypes(list: readonly string[]): ConsentEventType[] {
  for (const e of list) {
    if (!(CONSENT_EVENTS as readonly string[]).includes(e)) {
      throw new AppError('INPUT.INVALID', `--event must be one of ${CONSENT_EVENTS.join(', ')}`);
    }
  }
  return [...new Set(list)] as ConsentEventType[];
}

export function parseId(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(n) || n < 1) throw new AppError('INPUT.INVALID', `${what} must be a positive integer`);
  return n;
}
