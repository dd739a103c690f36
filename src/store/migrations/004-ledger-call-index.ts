import type { Migration } from './migration.ts';

/**
 * Ledger rows by call: the retention purge looks up the consent-answer audio of a
 * page of calls (sqlite-retention-store.ts), which without this index scans the whole append-only
 * ledger once per page. Partial: most rows (SMS keywords, admin, imports) have no call, and SQLite
 * still uses it for `call_id = ?`, `call_id IN (...)` and `call_id IS NOT NULL`.
 */
export const migration004: Migration = {
  version: 4,
  name: 'ledger-call-index',
  sql: `
CREATE INDEX consent_ledger_call ON consent_ledger(call_id) WHERE call_id IS NOT NULL;
`,
};
