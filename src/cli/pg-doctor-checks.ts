import type pg from 'pg';
import { listedBusinessDirectory } from '../app/business/listed-business-directory.ts';
import type { CheckOutcome } from '../app/doctor/doctor-check.ts';
import { pgLedgerSigningPaths } from '../compose/ledger-signing.ts';
import { pgDatabaseTarget } from '../compose/pg-database-target.ts';
import { pgNodeId } from '../compose/pg-node-id.ts';
import type { Config } from '../config/config-schema.ts';
import { PgBusinessDirectory } from '../store/postgres/pg-business-directory.ts';
import { PgConsentStore } from '../store/postgres/pg-consent-store.ts';
import { openPgPool } from '../store/postgres/pg-database.ts';
import { PgLedgerChainReader } from '../store/postgres/pg-ledger-chain-reader.ts';
import { pendingPgMigrations } from '../store/postgres/pg-migrate.ts';
import { PG_MIGRATIONS } from '../store/postgres/migrations/index.ts';
import { scrubbedPgError } from './cli-pg-pool.ts';
import { complianceOutcome } from './compliance-doctor-check.ts';
import type { DatabaseRows } from './doctor-checks.ts';
import { pgLedgerSigningCheck } from './ledger-signing-check.ts';

/** The three rows share one pool and run at once: a connection each, so none waits for another's. */
const DOCTOR_POOL_MAX = 3;
/**
 * As the other probes' (doctor-checks.ts): a server that accepts and never answers (a wrong port, a stuck
 * server) fails the row after this, and the pool can end; without it the connection would wait forever.
 */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * doctor's rows that read the database, on a PostgreSQL config (src/store/postgres/README.md, "The admin
 * CLI on PostgreSQL"): `database` (reachable, schema migrated, the chain verifies, this node's name),
 * `ledger-signing` (this node's key and checkpoint file against the one chain) and `compliance` (every
 * business, read once). SQLite's file checks (mode 0600, the directory SQLite's WAL needs) have no
 * counterpart here and are not shown. Read-only: nothing is migrated or written; an error is one line
 * naming host and database, never the password (scrubbedPgError).
 */
export class PgDoctorDatabase {
  private readonly target: ReturnType<typeof pgDatabaseTarget>;
  private opened: Promise<pg.Pool> | undefined;

  constructor(
    private readonly config: Config,
    private readonly settings: Config['database'],
  ) {
    this.target = pgDatabaseTarget(settings);
  }

  rows(now: () => number): DatabaseRows {
    return {
      database: () => this.databaseRow(),
      ledgerSigning: () =>
        pgLedgerSigningCheck(this.config, pgLedgerSigningPaths(this.config), async () => new PgLedgerChainReader(await this.pool()), now()),
      compliance: () => this.complianceRow(),
    };
  }

  async close(): Promise<void> {
    const opened = this.opened;
    this.opened = undefined;
    if (opened) await (await opened.catch(() => undefined))?.end().catch(() => undefined);
  }

  private pool(): Promise<pg.Pool> {
    this.opened ??= (async () => {
      // An idle connection's failure would otherwise end the process; the row's next query reports it.
      const pool = openPgPool({ connectionString: this.target.connectionString }, { max: DOCTOR_POOL_MAX, onIdleError: () => undefined, connectTimeoutMs: CONNECT_TIMEOUT_MS });
      try {
        (await pool.connect()).release();
        return pool;
      } catch (e) {
        await pool.end().catch(() => undefined);
        throw scrubbedPgError(e, this.target, 'STORE.UNREACHABLE');
      }
    })();
    return this.opened;
  }

  private async databaseRow(): Promise<CheckOutcome> {
    const where = this.target.where;
    let pool: pg.Pool;
    try {
      pool = await this.pool();
    } catch (e) {
      return { status: 'fail', detail: (e as Error).message.split('\n', 1)[0] ?? '' };
    }
    try {
      // The number only: Debian's builds append the package ("15.18 (Debian 15.18-0+deb12u1)").
      const version = (await pool.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v.split(' ', 1)[0] ?? '?';
      const known = new Set(PG_MIGRATIONS.map((m) => m.name));
      const applied = await appliedMigrations(pool);
      const unknown = applied.filter((n) => !known.has(n));
      const pending = await pendingPgMigrations(pool);
      const failures: string[] = [];
      const warnings: string[] = [];
      if (unknown.length > 0) failures.push(`migrated by a newer callkeeper (migrations ${unknown.join(', ')} unknown here)`);
      let ledger = 'no ledger yet';
      if (await hasTable(pool, 'consent_ledger')) {
        const v = await new PgConsentStore(pool).verify();
        if (!v.ok) failures.push(`ledger tampered: first bad record ${v.badId} (${v.reason}): ${v.detail}; ${v.count} records before it intact`);
        else ledger = `ledger intact (${v.count} records)`;
      }
      // serve applies pending migrations at start (under the migration lock), so they warn, as on SQLite.
      if (pending.length > 0) warnings.push(`${pending.length} migration(s) pending (${pending.join(', ')}): serve applies them at start, or run callkeeper db migrate`);
      const node = `node ${pgNodeId(this.settings)}${this.settings.nodeId === undefined ? ' (the host name: database.nodeId not set)' : ''}`;
      const at = `${where}: PostgreSQL ${version}`;
      if (failures.length > 0) return { status: 'fail', detail: `${at}: ${[...failures, ...warnings].join('; ')}` };
      if (warnings.length > 0) return { status: 'warn', detail: `${at}: ${warnings.join('; ')}; ${node}` };
      return { status: 'ok', detail: `${at}, schema current (${applied.length} migrations), ${ledger}; ${node}` };
    } catch (e) {
      return { status: 'fail', detail: scrubbedPgError(e, this.target, 'STORE.UNREACHABLE').message.split('\n', 1)[0] ?? '' };
    }
  }

  private async complianceRow(): Promise<CheckOutcome> {
    const pool = await this.pool();
    if ((await pendingPgMigrations(pool)).length > 0) return { status: 'warn', detail: 'schema not current: run callkeeper db migrate, then compliance check' };
    const list = await new PgBusinessDirectory(pool).list();
    return complianceOutcome(this.config, listedBusinessDirectory(list));
  }
}

async function hasTable(pool: pg.Pool, name: string): Promise<boolean> {
  return (await pool.query<{ t: string | null }>('SELECT to_regclass($1)::text AS t', [name])).rows[0]?.t != null;
}

/** The names in Kysely's record of migrations run (pg-migrate.ts), none on a database without callkeeper's schema. */
async function appliedMigrations(pool: pg.Pool): Promise<string[]> {
  if (!(await hasTable(pool, 'kysely_migration'))) return [];
  return (await pool.query<{ name: string }>('SELECT name FROM kysely_migration ORDER BY name')).rows.map((r) => r.name);
}
