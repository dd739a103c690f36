import type { Business } from '../../src/domain/business.ts';
import type { BusinessDirectory } from '../../src/domain/ports/business-directory.ts';

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

export class InMemoryBusinessDirectory implements BusinessDirectory {
  readonly #businesses: Business[];

  constructor(businesses: readonly Business[]) {
    this.#businesses = [...businesses];
  }

  byDid(did: string): Business | undefined {
    return this.#businesses.find((b) => b.dids.includes(did));
  }

  byId(id: number): Business | undefined {
    return this.#businesses.find((b) => b.id === id);
  }

  list(): Business[] {
    return [...this.#businesses];
  }
}
