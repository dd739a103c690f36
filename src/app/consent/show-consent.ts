import { currentConsent, type ConsentEvent, type ConsentState } from '../../domain/consent.ts';
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
