import { currentConsent, type ConsentEvent, type ConsentState } from '../../domain/consent.ts';
import type { AsyncConsentStore } from '../../domain/ports/async-consent-ledger.ts';
import type { ConsentStore } from '../../domain/ports/consent-store.ts';
import { requireE164 } from '../business/business-input.ts';

export interface ConsentHistory {
  readonly consumer: string;
  /** In the order recorded (the last one per business is the current one). */
  readonly events: ConsentEvent[];
  /** The derived current consent per business the number has events with. */
  readonly current: { businessId: number; state: ConsentState }[];
}

/** `consent show E164 [--business ID]`: the whole history of a number. */
export function showConsent(ledger: ConsentStore, input: { consumer: string; businessId?: number }): ConsentHistory {
  const consumer = requireE164(input.consumer, 'the phone number');
  const events = ledger.history(consumer, input.businessId);
  const ids = [...new Set(events.map((e) => e.businessId))].sort((a, b) => a - b);
  return { consumer, events, current: ids.map((businessId) => ({ businessId, state: currentConsent(ledger.latest(businessId, consumer)) })) };
}

/**
 * showConsent through the async port (PostgreSQL, or SQLite in turns): the same history, the current
 * state per business from the store's `current` (the console's consent page on either store).
 */
export async function showConsentAsync(ledger: Pick<AsyncConsentStore, 'history' | 'current'>, input: { consumer: string; businessId?: number }): Promise<ConsentHistory> {
  const consumer = requireE164(input.consumer, 'the phone number');
  const events = await ledger.history(consumer, input.businessId);
  const ids = [...new Set(events.map((e) => e.businessId))].sort((a, b) => a - b);
  const current: ConsentHistory['current'] = [];
  for (const businessId of ids) current.push({ businessId, state: await ledger.current(businessId, consumer) });
  return { consumer, events, current };
}
