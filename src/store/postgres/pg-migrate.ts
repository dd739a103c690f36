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
  // The Kysely instance is only the runner's: it borrows the pool, and destroying it would end the pool.
  const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: { connect: () => pool.connect(), end: async () => {} } }) });
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(migrations.map((m): [string, Migration] => [m.name, { up: async (tx) => void (await sql.raw(m.sql).execute(tx)) }])),
  };
  try {
    const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
    if (error !== undefined) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new AppError('STORE.MIGRATION_FAILED', `PostgreSQL migration ${failed ?? '(runner)'} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }
}
