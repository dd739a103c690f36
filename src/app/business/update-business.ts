import type { Business, TemplateKey } from '../../domain/business.ts';
import { AppError } from '../../domain/errors.ts';
import type { BusinessPatch, BusinessRepository } from '../../domain/ports/business-repository.ts';
import { assertTemplatesCompliant } from './template-compliance.ts';
import { normalizeDids, parseTemplates, requireConsentMode, requireName, requireTimezone } from './business-input.ts';

export interface UpdateBusinessInput {
  readonly name?: string;
  /** Replaces the whole DID list when given. */
  readonly dids?: readonly string[];
  readonly timezone?: string;
  readonly consentMode?: string;
  /** `KEY=TEXT` pairs merged into the existing templates. */
  readonly templates?: readonly string[];
  /** An empty string clears it. */
  readonly greeting?: string;
  readonly emergencyInstruction?: string;
  /** Store templates that break a compliance rule anyway (`--force`). */
  readonly force?: boolean;
}

/** `business update ID`: only the given fields change. */
export function updateBusiness(repo: BusinessRepository, id: number, input: UpdateBusinessInput): Business {
  const patch: { -readonly [K in keyof BusinessPatch]: BusinessPatch[K] } = {};
  if (input.name !== undefined) patch.name = requireName(input.name);
  if (input.dids !== undefined && input.dids.length > 0) patch.dids = normalizeDids(input.dids);
  if (input.timezone !== undefined) patch.timezone = requireTimezone(input.timezone);
  if (input.consentMode !== undefined) patch.consentMode = requireConsentMode(input.consentMode);
  if (input.templates !== undefined && input.templates.length > 0) patch.templates = parseTemplates(input.templates);
  if (input.greeting !== undefined) patch.greeting = input.greeting === '' ? null : input.greeting;
  if (input.emergencyInstruction !== undefined) patch.emergencyInstruction = input.emergencyInstruction === '' ? null : input.emergencyInstruction;
  if (Object.keys(patch).length === 0) throw new AppError('INPUT.INVALID', 'nothing to update: give at least one option (see --help)');
  if (patch.templates !== undefined) {
    const current = repo.byId(id);
    if (!current) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
    // Judged as the business will be after the change: its new name and mode, the templates merged.
    const after = { name: patch.name ?? current.name, consentMode: patch.consentMode ?? current.consentMode, templates: { ...current.templates, ...patch.templates } };
    assertTemplatesCompliant(after, Object.keys(patch.templates) as TemplateKey[], { force: input.force });
  }
  return repo.update(id, patch);
}
