import type { Business } from '../../src/domain/business.ts';
import { AppError } from '../../src/domain/errors.ts';
import type { BusinessPatch, BusinessRepository, NewBusiness } from '../../src/domain/ports/business-repository.ts';
import { didTaken } from '../../src/store/business-row.ts';

/** A business with test defaults (verbal consent, DID +15125550100). */
export function makeBusiness(p: Partial<Business> & { readonly id: number }): Business {
  return {
    name: `Business ${p.id}`,
    dids: ['+15125550100'],
    timezone: 'America/Chicago',
    consentMode: 'verbal',
    templates: {},
    greeting: null,
    emergencyInstruction: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...p,
  };
}

/** A copy a caller may keep: the stores read a fresh row per call, so nothing a caller holds aliases the store. */
function copyOf(b: Business): Business {
  return { ...b, dids: [...b.dids], templates: { ...b.templates } };
}

/**
 * An in-memory `BusinessRepository` (and so `BusinessDirectory`), seeded with `businesses`. `add` and
 * `update` keep the durable stores' rules (test/contract/business-directory-contract.ts): a DID belongs
 * to one business, checked before anything is stored; `dids` replaces, `templates` merge, `null` clears.
 */
export class InMemoryBusinessDirectory implements BusinessRepository {
  readonly #businesses: Business[];
  readonly #now: () => number;

  constructor(businesses: readonly Business[] = [], opts: { readonly now?: () => number } = {}) {
    this.#businesses = businesses.map(copyOf).sort((a, b) => a.id - b.id);
    this.#now = opts.now ?? Date.now;
  }

  byDid(did: string): Business | undefined {
    const b = this.#businesses.find((x) => x.dids.includes(did));
    return b && copyOf(b);
  }

  byId(id: number): Business | undefined {
    const b = this.#businesses.find((x) => x.id === id);
    return b && copyOf(b);
  }

  list(): Business[] {
    return this.#businesses.map(copyOf);
  }

  add(b: NewBusiness): Business {
    // Ids are never reused, as an INTEGER PRIMARY KEY without deletes.
    const id = (this.#businesses.at(-1)?.id ?? 0) + 1;
    this.#checkDids(id, b.dids);
    const stored: Business = {
      id,
      name: b.name,
      dids: [...b.dids],
      timezone: b.timezone,
      consentMode: b.consentMode,
      templates: { ...(b.templates ?? {}) },
      greeting: b.greeting ?? null,
      emergencyInstruction: b.emergencyInstruction ?? null,
      createdAt: new Date(this.#now()).toISOString(),
    };
    this.#businesses.push(stored);
    return copyOf(stored);
  }

  update(id: number, patch: BusinessPatch): Business {
    const i = this.#businesses.findIndex((x) => x.id === id);
    const existing = this.#businesses[i];
    if (existing === undefined) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
    if (patch.dids !== undefined) this.#checkDids(id, patch.dids);
    const updated: Business = {
      ...existing,
      name: patch.name ?? existing.name,
      timezone: patch.timezone ?? existing.timezone,
      consentMode: patch.consentMode ?? existing.consentMode,
      templates: patch.templates === undefined ? existing.templates : { ...existing.templates, ...patch.templates },
      greeting: patch.greeting === undefined ? existing.greeting : patch.greeting,
      emergencyInstruction: patch.emergencyInstruction === undefined ? existing.emergencyInstruction : patch.emergencyInstruction,
      dids: patch.dids === undefined ? existing.dids : [...patch.dids],
    };
    this.#businesses[i] = updated;
    return copyOf(updated);
  }

  /** The stores' DID-owner refusal (src/store/business-row.ts), judged before anything changes. */
  #checkDids(businessId: number, dids: readonly string[]): void {
    dids.forEach((did, i) => {
      const owner = this.#businesses.find((x) => x.id !== businessId && x.dids.includes(did))?.id;
      if (owner !== undefined) throw didTaken(did, i, businessId, owner);
      if (dids.indexOf(did) < i) throw didTaken(did, i, businessId, businessId);
    });
  }
}
