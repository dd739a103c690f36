import { createHash } from 'node:crypto';
import { currentConsent, type ConsentEvent, type ConsentState, type NewConsentEvent } from '../../src/domain/consent.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { ConsentStore } from '../../src/domain/ports/consent-store.ts';
import type { Journal } from './journal.ts';

/** An in-memory ledger with the same hash chain idea as the SQLite store. `failNext` makes appends throw. */
export class InMemoryConsentStore implements ConsentStore {
  readonly events: ConsentEvent[] = [];
  /** Appends to refuse (counting down), to exercise ledger failures. */
  failNext = 0;
  readonly #journal: Journal | undefined;
  readonly #now: () => number;

  constructor(opts: { readonly journal?: Journal; readonly now?: () => number } = {}) {
    this.#journal = opts.journal;
    this.#now = opts.now ?? Date.now;
  }

  append(e: NewConsentEvent): ConsentEvent {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('scripted ledger failure');
    }
    const prevHash = this.events.at(-1)?.hash ?? '0'.repeat(64);
    const at = e.at ?? this.#now();
    // As the SQLite store (test/contract/consent-store-contract.ts): a time that is not UTC ms is refused.
    if (!Number.isSafeInteger(at) || at < 0) throw new AppError('INPUT.INVALID', 'consent event time must be UTC milliseconds');
    const id = this.events.length + 1;
    const hash = createHash('sha256').update(prevHash).update(JSON.stringify({ ...e, id, at })).digest('hex');
    const stored: ConsentEvent = { ...e, id, at, prevHash, hash };
    this.events.push(stored);
    this.#journal?.add('ledger.append', e.callId, id);
    return stored;
  }

  appendUnless(e: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): ConsentEvent | undefined {
    return refuse(this.latest(e.businessId, e.consumer)) ? undefined : this.append(e);
  }

  latest(businessId: number, consumer: string): ConsentEvent | undefined {
    return this.events.findLast((e) => e.businessId === businessId && e.consumer === consumer);
  }

  current(businessId: number, consumer: string): ConsentState {
    return currentConsent(this.latest(businessId, consumer));
  }

  history(consumer: string, businessId?: number): ConsentEvent[] {
    return this.events.filter((e) => e.consumer === consumer && (businessId === undefined || e.businessId === businessId));
  }

  forCall(callId: number): ConsentEvent[] {
    return this.events.filter((e) => e.callId === callId);
  }
}
