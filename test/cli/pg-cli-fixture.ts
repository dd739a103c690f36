/**
 * What the test/cli/pg-*.test.ts files share: one throwaway cluster per file (test/store/postgres/pg-test-db.ts),
 * a fresh database per test closed after it, the business every file adds first, and the one line a
 * SQLite-only command prints on a PostgreSQL config (src/cli/cli-context.ts).
 */
import { after, before } from 'node:test';
import { startPgTestCluster, type PgTestCluster, type PgTestDb } from '../store/postgres/pg-test-db.ts';

export const ACME_DID = '+15125550100';
export const ACME = ['business', 'add', '--name', 'Acme Plumbing', '--did', ACME_DID, '--timezone', 'America/Chicago', '--consent-mode', 'verbal'];
export const SQLITE_ONLY = (command: string): string => `callkeeper: ${command} works on SQLite installs only for now; this config uses PostgreSQL (database.kind)\n`;

export interface PgCliCluster {
  /** The file's cluster (started before its first test). */
  readonly testCluster: PgTestCluster;
  /** A new database for this test (migrated with business 1, or empty), closed after it. */
  freshDb(t: { after(fn: () => Promise<void>): void }, opts?: { empty?: boolean }): Promise<PgTestDb>;
}

/** Registers the file's cluster; call at the top level of a test file. */
export function usePgCliCluster(): PgCliCluster {
  let pgc: PgTestCluster | undefined;
  before(async () => {
    pgc = await startPgTestCluster();
  });
  after(async () => {
    await pgc?.stop();
  });
  const testCluster = (): PgTestCluster => pgc ?? (() => { throw new Error('the PostgreSQL cluster did not start (see the before hook\'s error)'); })();
  return {
    get testCluster() {
      return testCluster();
    },
    async freshDb(t, opts = {}) {
      const db = await testCluster().freshDb(opts);
      t.after(() => db.close());
      return db;
    },
  };
}
