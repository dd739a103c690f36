import type { ConsentEvent, ConsentState, NewConsentEvent } from '../consent.ts';

/** The tamper-evident, append-only consent ledger. */
export interface ConsentStore {
  /** Appends one event and returns it with its id, time and chain hash. Durable when it returns. */
  append(event: NewConsentEvent): ConsentEvent;
  /**
   * Appends `event` unless `refuse` says no, judged inside the append's transaction on the pair's latest
   * event at that moment (so a STOP appended by anyone just before is seen, and none lands between the
   * judgement and the append). `undefined` when refused. A call's grant uses it: a STOP received during the
   * call wins over the grant the call would store.
   */
  appendUnless(event: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): ConsentEvent | undefined;
  latest(businessId: number, consumer: string): ConsentEvent | undefined;
  current(businessId: number, consumer: string): ConsentState;
  history(consumer: string, businessId?: number): ConsentEvent[];
}
