import type { ConsentEvent, ConsentState, NewConsentEvent } from '../consent.ts';

/** The tamper-evident, append-only consent ledger. */
export interface ConsentStore {
  /** Appends one event and returns it with its id, time and chain hash. Durable when it returns. */
  append(event: NewConsentEvent): ConsentEvent;
  latest(businessId: number, consumer: string): ConsentEvent | undefined;
  current(businessId: number, consumer: string): ConsentState;
  history(consumer: string, businessId?: number): ConsentEvent[];
}
