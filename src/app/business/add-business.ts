import type { Business } from '../../domain/business.ts';
import type { BusinessRepository } from '../../domain/ports/business-repository.ts';
import { normalizeDids, parseTemplates, requireConsentMode, requireName, requireTimezone } from './business-input.ts';

export interface AddBusinessInput {
  readonly name: string;
  readonly dids: readonly string[];
  readonly timezone: string;
  readonly consentMode: string;
  readonly templates?: readonly string[];
  readonly greeting?: string;
  readonly emergencyInstruction?: string;
}

/** `business add`: validates admin input (DIDs to E.164, IANA zone, mode, templates) and stores it. */
export function addBusiness(repo: BusinessRepository, input: AddBusinessInput): Business {
  return repo.add({
    name: requireName(input.name),
    dids: normalizeDids(input.dids),
    timezone: requireTimezone(input.timezone),
    consentMode: requireConsentMode(input.consentMode),
    templates: parseTemplates(input.templates ?? []),
    greeting: input.greeting ?? null,
    emergencyInstruction: input.emergencyInstruction ?? null,
  });
}
