import type { PgMigration } from './pg-migration.ts';

/**
 * The node that took a call (`database.nodeId`, src/compose/pg-node-id.ts): its recordings are on that
 * node's disk, so only that node's purge may list the call (src/store/postgres/README.md, "The recordings
 * purge across nodes"). NULL: a call from before this migration, or copied from SQLite by a `db copy` that
 * could not say whose it is; any node's purge lists those, as before.
 */
export const pgMigration006: PgMigration = {
  name: 'pg-006-call-node',
  sql: `
ALTER TABLE calls ADD COLUMN node text;
`,
};
