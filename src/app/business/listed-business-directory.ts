import type { Business } from '../../domain/business.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';

/**
 * The businesses read once through the async port, as the synchronous BusinessDirectory the use cases
 * written against it take (`consent import`'s line checks, doctor's compliance row on PostgreSQL). For a
 * command's short run: nothing is re-read, so a business added meanwhile is not seen.
 */
export function listedBusinessDirectory(list: readonly Business[]): BusinessDirectory {
  return { byId: (id) => list.find((b) => b.id === id), byDid: (did) => list.find((b) => b.dids.includes(did)), list: () => [...list] };
}
