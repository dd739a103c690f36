/** A PostgreSQL schema migration: run once, in name order, all pending ones in one transaction (pg-migrate.ts). */
export interface PgMigration {
  /** Sorts in apply order; never renamed once landed (the runner records it by name). */
  readonly name: string;
  readonly sql: string;
}
