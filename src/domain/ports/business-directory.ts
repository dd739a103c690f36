import type { Business } from '../business.ts';

export interface BusinessDirectory {
  /** The business whose DID this is (E.164), if any. */
  byDid(did: string): Business | undefined;
  byId(id: number): Business | undefined;
  list(): Business[];
}
