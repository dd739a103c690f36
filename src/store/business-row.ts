import type { Business, ConsentMode } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import type { BusinessPatch } from '../domain/ports/business-repository.ts';

/**
 * What SqliteBusinessDirectory and PgBusinessDirectory (postgres/pg-business-directory.ts) share: the
 * `businesses` row, its mapping to a Business, an update's values and the DID-owner refusal. Each
 * store keeps its own SQL and its own way of reading the DIDs.
 */
export interface BusinessRow {
  id: number;
  name: string;
  timezone: string;
  consent_mode: ConsentMode;
  templates_json: string;
  greeting: string | null;
  emergency_instruction: string | null;
  created_at: number;
}

export function toBusiness(r: BusinessRow, dids: string[]): Business {
  return {
    id: r.id,
    name: r.name,
    dids,
    timezone: r.timezone,
    consentMode: r.consent_mode,
    templates: JSON.parse(r.templates_json) as Business['templates'],
    greeting: r.greeting,
    emergencyInstruction: r.emergency_instruction,
    createdAt: new Date(r.created_at).toISOString(),
  };
}

/**
 * The values of `UPDATE businesses SET name, timezone, consent_mode, templates_json, greeting,
 * emergency_instruction, updated_at` for `patch` over `existing`: a field left out keeps its value,
 * templates merge key by key, and null clears greeting or emergency instruction.
 */
export function updatedValues(existing: Business, patch: BusinessPatch, now: number): unknown[] {
  const templates = patch.templates === undefined ? existing.templates : { ...existing.templates, ...patch.templates };
  return [
    patch.name ?? existing.name,
    patch.timezone ?? existing.timezone,
    patch.consentMode ?? existing.consentMode,
    JSON.stringify(templates),
    patch.greeting === undefined ? existing.greeting : patch.greeting,
    patch.emergencyInstruction === undefined ? existing.emergencyInstruction : patch.emergencyInstruction,
    now,
  ];
}

/** The refusal of DID number `i` (0-based) already owned by business `owner`; the number goes in details, not in the message. */
export function didTaken(did: string, i: number, businessId: number, owner: number): AppError {
  return new AppError('INPUT.INVALID', owner === businessId ? `DID ${i + 1} is given twice` : `DID ${i + 1} already belongs to business ${owner}`, {
    details: { did, owner },
  });
}
