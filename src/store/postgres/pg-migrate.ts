import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import { PG_MIGRATIONS } from './migrations/index.ts';
import type { PgMigration } from './migrations/pg-migration.ts';

/**
 * Brings a PostgreSQL database to the newest schema with Kysely's Migrator (src/store/postgres/README.md,
 * "Migrations"): it records what ran in `kysely_migration`, runs every pending migration in one
 * transaction (PostgreSQL's DDL is transactional: all or nothing), and holds a session advisory lock
 * meanwhile, so two nodes starting at once migrate once. Resolves to the names applied now.
 */
export async function migratePg(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<string[]> {
  const { db, migrator } = runner(pool, migrations);
  try {
    const { error, results } = await migrator.migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new AppError('STORE.MIGRATION_FAILED', `PostgreSQL migration ${failed ?? '(runner)'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}

/**
 * The migrations this build has that the database has not run (all of them on a database without
 * callkeeper's schema), read without changing anything: the admin CLI's read-only commands ask for
 * `db migrate` rather than migrate (src/cli/cli-pg-store.ts).
 */
export async function pendingPgMigrations(pool: pg.Pool, migrations: readonly PgMigration[] = PG_MIGRATIONS): Promise<string[]> {
  const { db, migrator } = runner(pool, migrations);
  try {
    return (await migrator.getMigrations()).filter((m) => m.executedAt === undefined).map((m) => m.name);
  } finally {
    await db.destroy();
  }
}

function runner(pool: pg.Pool, migrations: readonly PgMigration[]): { db: Kysely<unknown>; migrator: Migrator } {
  // The Kysely instance is only the runner's: it borrows the pool, and destroying it would end the pool.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }) });
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(migrations.map((m): [string, Migration] => [m.name, { up: async (tx) => void (await sql.raw(m.sql).execute(tx)) }])),
  };
  return { db, migrator: new Migrator({ db, provider }) };
}
