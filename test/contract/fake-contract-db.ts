import { InMemoryBusinessDirectory, makeBusiness } from '../fakes/in-memory-business-directory.ts';

/**
 * The in-memory fakes' side of `contractDb` (sqlite-contract-db.ts): a business directory holding
 * `businesses` (ids 1, 2, ...) with the same names and DIDs, for the fakes that check a business exists
 * (where the durable stores have a foreign key) or read its time zone.
 */
export function fakeBusinesses(businesses: number): { directory: InMemoryBusinessDirectory; businessIds: number[]; dids: string[] } {
  const all = Array.from({ length: businesses }, (_, i) => makeBusiness({ id: i + 1, name: `Business ${i + 1}`, dids: [`+1512555${String(9000 + i)}`] }));
  return { directory: new InMemoryBusinessDirectory(all), businessIds: all.map((b) => b.id), dids: all.map((b) => b.dids[0]!) };
}
