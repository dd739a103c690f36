import { existsSync } from 'node:fs';
import { checkBusinesses, violationLines } from '../app/compliance/check-compliance.ts';
import type { CheckOutcome } from '../app/doctor/doctor-check.ts';
import type { Config } from '../config/config-schema.ts';
import type { BusinessDirectory } from '../domain/ports/business-directory.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { openDatabase, pendingMigrations } from '../store/sqlite-database.ts';

/**
 * doctor's `compliance` row: `compliance check` for every business (src/domain/compliance/README.md).
 * Read-only; a database that is missing or not migrated yet has nothing to judge.
 */
export function complianceDoctorCheck(config: Config, dbPath: string): CheckOutcome {
  if (dbPath === ':memory:' || !existsSync(dbPath)) return { status: 'ok', detail: 'no database yet: no business to check' };
  const db = openDatabase(dbPath, { readonly: true });
  try {
    if (pendingMigrations(db).length > 0) return { status: 'warn', detail: 'schema not current: run callkeeper db migrate, then compliance check' };
    return complianceOutcome(config, new SqliteBusinessDirectory(db));
  } finally {
    db.close();
  }
}

/** The row's judgement over any directory: on PostgreSQL the businesses read once through the async port (pg-doctor-checks.ts). */
export function complianceOutcome(config: Config, directory: BusinessDirectory): CheckOutcome {
  const report = checkBusinesses(directory, { helpContact: config.messaging.helpContact });
  const lines = violationLines(report);
  if (lines.length === 0) return { status: 'ok', detail: `${report.length} business(es) meet the carrier rules (templates, keyword replies, consent script)` };
  const more = lines.length > 3 ? `; and ${lines.length - 3} more (callkeeper compliance check)` : '';
  return { status: 'fail', detail: `${lines.length} rule(s) broken: ${lines.slice(0, 3).join('; ')}${more}` };
}
