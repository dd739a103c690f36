import type { ConsentState } from '../consent.ts';
import type { MessageKind, SendDecision, SendFacts } from '../ports/outbox.ts';

/**
 * The sending rules (consent, frequency cap, quiet hours), evaluated at claim time inside the outbox
 * transaction and, for the CLI, before enqueueing. Pure: the caller supplies the facts. What each rule
 * means, and why staff alerts are exempt: src/domain/messaging/README.md, "Sending rules".
 */
export type SendRule = 'consent' | 'frequency-cap' | 'quiet-hours';

export interface QuietHours {
  /** `HH:MM`, local time of the business. */
  readonly start: string;
  readonly end: string;
}

export interface SendingRules {
  readonly maxPerDay: number;
  readonly quietHours: QuietHours;
  readonly firstReplyExemptFromQuietHours: boolean;
}

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Texts to a consumer that the consumer's consent governs (not keyword replies, not staff alerts). */
export function isConsumerText(kind: MessageKind): boolean {
  return kind === 'first-reply' || kind === 'follow-up';
}

/**
 * Keyword replies (the STOP confirmation above all) and staff alerts go ahead of bulk texts, in the
 * outbox's claim order and in the gateway's TPS queue (README.md here): a STOP confirmation must not wait
 * behind a thousand queued follow-ups.
 */
export function isUrgent(kind: MessageKind): boolean {
  return kind === 'keyword-reply' || kind === 'staff';
}

/** Only consumer texts count toward (and are counted by) the per-consumer frequency cap. */
export function countsTowardCap(kind: MessageKind): boolean {
  return isConsumerText(kind);
}

/** Whether the pair's consent must be read at all (the outbox skips the ledger lookup otherwise). */
export function needsConsent(kind: MessageKind): boolean {
  return isConsumerText(kind);
}

export function consentAllows(kind: MessageKind, consent: ConsentState): boolean {
  if (!needsConsent(kind)) return true;
  if (consent === 'granted') return true;
  return consent === 'implied' && kind === 'first-reply';
}

function toMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/**
 * Building an Intl.DateTimeFormat costs ~50 µs, more than the rest of a claim: keep one per time zone
 * (a pure memo, the same answer for the same input).
 */
const FORMATS = new Map<string, Intl.DateTimeFormat>();

function formatFor(timezone: string): Intl.DateTimeFormat {
  let f = FORMATS.get(timezone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: timezone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    FORMATS.set(timezone, f);
  }
  return f;
}

/**
 * The last answer per time zone, keyed by the UTC minute: a claim evaluates many texts at the same
 * `now`, and formatToParts (~5 µs) was a tenth of a claim's cost. Exact: every zone's offset is a
 * whole number of minutes, so the local minute only changes when the UTC minute does.
 */
const LAST_MINUTE = new Map<string, { utcMinute: number; local: number }>();

/** Minutes since local midnight in `timezone` at `now`. */
export function localMinutes(now: number, timezone: string): number {
  const utcMinute = Math.floor(now / 60_000);
  const hit = LAST_MINUTE.get(timezone);
  if (hit && hit.utcMinute === utcMinute) return hit.local;
  const parts = formatFor(timezone).formatToParts(new Date(now));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  const local = h * 60 + m;
  LAST_MINUTE.set(timezone, { utcMinute, local });
  return local;
}

/** When quiet hours are on at `now`, the time they end (approximate across a DST change: re-checked at claim). */
export function quietUntil(now: number, timezone: string, q: QuietHours): number | null {
  const cur = localMinutes(now, timezone);
  const start = toMinutes(q.start);
  const end = toMinutes(q.end);
  if (start === end) return null;
  const inQuiet = start < end ? cur >= start && cur < end : cur >= start || cur < end;
  if (!inQuiet) return null;
  const minutesLeft = (end - cur + 1440) % 1440;
  const intoMinute = now % 60_000;
  return now + minutesLeft * 60_000 - intoMinute;
}

export function quietHoursApply(kind: MessageKind, rules: SendingRules): boolean {
  if (kind === 'keyword-reply' || kind === 'staff') return false;
  if (kind === 'first-reply') return !rules.firstReplyExemptFromQuietHours;
  return true;
}

export function evaluateSend(facts: SendFacts, rules: SendingRules): SendDecision {
  if (!consentAllows(facts.kind, facts.consent)) {
    return { allow: false, rule: 'consent', reason: `consent is ${facts.consent} for a ${facts.kind} text` };
  }
  if (countsTowardCap(facts.kind) && facts.sentLast24h >= rules.maxPerDay) {
    return { allow: false, rule: 'frequency-cap', reason: `already ${facts.sentLast24h} texts in 24 h (cap ${rules.maxPerDay})` };
  }
  if (quietHoursApply(facts.kind, rules)) {
    const until = quietUntil(facts.now, facts.timezone, rules.quietHours);
    if (until !== null) return { allow: false, rule: 'quiet-hours', reason: `quiet hours until ${rules.quietHours.end} local`, retryAt: until };
  }
  return { allow: true };
}
