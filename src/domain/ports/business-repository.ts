import type { Business, ConsentMode, TemplateKey } from '../business.ts';
import type { BusinessDirectory } from './business-directory.ts';

export interface NewBusiness {
  readonly name: string;
  /** E.164, already normalized; the first is the default sender. */
  readonly dids: readonly string[];
  readonly timezone: string;
  readonly consentMode: ConsentMode;
  readonly templates?: Readonly<Partial<Record<TemplateKey, string>>>;
  readonly greeting?: string | null;
  readonly emergencyInstruction?: string | null;
}

/** Fields left undefined are unchanged; `dids` replaces the whole list; `templates` are merged. */
export type BusinessPatch = Partial<NewBusiness>;

/** The admin side of the business directory (`business add|list|update`). */
export interface BusinessRepository extends BusinessDirectory {
  /** Throws AppError INPUT.INVALID when a DID already belongs to another business. */
  add(b: NewBusiness): Business;
  /** Throws AppError INPUT.NOT_FOUND for an unknown id, INPUT.INVALID for a DID owned elsewhere. */
  update(id: number, patch: BusinessPatch): Business;
}
