import type { Business } from '../../domain/business.ts';
import { checkProgram, describeViolation, type RuleViolation } from '../../domain/compliance/compliance-rules.ts';
import { describeProgram, type ProgramSettings } from '../../domain/compliance/program-description.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';

/**
 * `compliance check`, the doctor's `compliance` row and the console's compliance page: every business's
 * program description (what its calls say and its texts carry) against the carrier rules.
 */
export interface BusinessCompliance {
  readonly business: Pick<Business, 'id' | 'name'>;
  readonly violations: readonly RuleViolation[];
}

export function checkBusinesses(directory: BusinessDirectory, settings: ProgramSettings, only?: number): BusinessCompliance[] {
  const list = only === undefined ? directory.list() : [directory.byId(only)].filter((b): b is Business => b !== undefined);
  return list.map((b) => ({ business: { id: b.id, name: b.name }, violations: checkProgram(describeProgram(b, settings)) }));
}

/** One line per broken rule, naming the business and the rule. */
export function violationLines(report: readonly BusinessCompliance[]): string[] {
  return report.flatMap((r) => r.violations.map((v) => `business ${r.business.id} (${r.business.name}): ${describeViolation(v)}`));
}
