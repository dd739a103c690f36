import { AppError } from '../../src/domain/errors.ts';
import type { BusinessDirectory } from '../../src/domain/ports/business-directory.ts';
import type { StoredUrgencyDecision, UrgencyStore } from '../../src/domain/ports/urgency-store.ts';
import type { UrgencySettings } from '../../src/domain/urgency/urgency-judge.ts';

/**
 * An in-memory `UrgencyStore`. As the durable stores (test/contract/urgency-store-contract.ts): settings
 * of a business the directory does not hold are INPUT.NOT_FOUND (their foreign key), a second save
 * replaces the first, and a call's decision is the one recorded last. What it hands out and what it
 * keeps are copies, as rows read back from a database are.
 */
export class InMemoryUrgencyStore implements UrgencyStore {
  readonly #settings = new Map<number, UrgencySettings>();
  readonly #decisions: StoredUrgencyDecision[] = [];
  readonly #businesses: BusinessDirectory;

  constructor(opts: { readonly businesses: BusinessDirectory }) {
    this.#businesses = opts.businesses;
  }

  settings(businessId: number): UrgencySettings | undefined {
    const s = this.#settings.get(businessId);
    return s && structuredClone(s);
  }

  saveSettings(businessId: number, s: UrgencySettings): void {
    if (this.#businesses.byId(businessId) === undefined) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`);
    this.#settings.set(businessId, { trade: s.trade, extraPhrases: [...s.extraPhrases], disabled: [...s.disabled] });
  }

  recordDecision(d: Parameters<UrgencyStore['recordDecision']>[0]): number {
    const id = this.#decisions.length + 1;
    this.#decisions.push({ id, callId: d.callId, businessId: d.businessId, decidedAt: d.at, decision: structuredClone(d.decision) });
    return id;
  }

  decisionForCall(callId: number): StoredUrgencyDecision | undefined {
    const d = this.#decisions.findLast((x) => x.callId === callId);
    return d && structuredClone(d);
  }
}
