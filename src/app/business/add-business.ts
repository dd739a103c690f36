import type { Business, TemplateKey } from '../../domain/business.ts';
import type { BusinessRepository } from '../../domain/ports/business-repository.ts';
import { assertTemplatesCompliant } from './template-compliance.ts';
import { normalizeDids, parseTemplates, requireConsentMode, requireName, requireTimezone } from './business-input.ts';

export interface AddBusinessInput {
  readonly name: string;
  readonly dids: readonly string[];
  readonly timezone: string;
  readonly consentMode: string;
  readonly templates?: readonly string[];
  readonly greeting?: string;
  readonly emergencyInstruction?: string;
  /** Store templates that break a compliance rule anyway (`--force`). */
  readonly force?: boolean;
}

/** `business add`: validates admin input (DIDs to E.164, IANA zone, mode, templates) and stores it. */
export function addBusiness(repo: BusinessRepository, input: AddBusinessInput): Business {
  const name = requireName(input.name);
  const consentMode = requireConsentMode(input.consentMode);
  const templates = parseTemplates(input.templates ?? []);
  assertTemplatesCompliant({ name, consentMode, templates }, Object.keys(templates) as TemplateKey[], { force: input.force });
  return repo.add({
    name,
    dids: normalizeDids(input.dids),
    timezone: requireTimezone(input.timezone),
    consentMode,
    templates,
    greeting: input.greeting ?? null,
    emergencyInstruction: input.emergencyInstruction ?? null,
  });
}
