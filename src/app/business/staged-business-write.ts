import type { Business } from '../../domain/business.ts';
import { AppError } from '../../domain/errors.ts';
import type { AsyncBusinessRepository } from '../../domain/ports/async-stores.ts';
import type { BusinessPatch, BusinessRepository, NewBusiness } from '../../domain/ports/business-repository.ts';

type StagedWrite = { readonly kind: 'add'; readonly business: NewBusiness } | { readonly kind: 'update'; readonly id: number; readonly patch: BusinessPatch };

/**
 * `business add|update` (the CLI) and the console's template save through the async port, on SQLite and
 * PostgreSQL alike, with the use cases as they are (src/app/business/add-business.ts, update-business.ts: synchronous over BusinessRepository).
 * The use case runs against a stand-in that answers `byId` with `current` (read beforehand) and, instead
 * of writing, keeps the one write the use case asks for once its checks (DIDs, time zone, templates,
 * compliance) have passed; that write is then made through `repo`, and its result is the business
 * stored. So every check stays in the use case, written once. The use case's own return value is the
 * stand-in's and is not used.
 */
export async function writeBusiness(
  repo: AsyncBusinessRepository,
  useCase: (staging: BusinessRepository) => unknown,
  current?: Business,
): Promise<Business> {
  let staged: StagedWrite | undefined;
  const notStaged = (what: string) => (): never => {
    throw new AppError('INTERNAL', `a business use case asked for ${what}, which the staged write does not answer`);
  };
  const staging: BusinessRepository = {
    byId: (id) => (current?.id === id ? current : undefined),
    byDid: notStaged('byDid'),
    list: notStaged('list'),
    add: (business) => {
      staged = { kind: 'add', business };
      return undefined as never;
    },
    update: (id, patch) => {
      staged = { kind: 'update', id, patch };
      return undefined as never;
    },
  };
  useCase(staging);
  if (staged === undefined) throw new AppError('INTERNAL', 'the business use case wrote nothing');
  return staged.kind === 'add' ? repo.add(staged.business) : repo.update(staged.id, staged.patch);
}
