import { pgMigration001 } from './pg-001-core.ts';
import { pgMigration002 } from './pg-002-stores.ts';
import { pgMigration003 } from './pg-003-outbox-wakeup.ts';
import { pgMigration004 } from './pg-004-transcript-backlog.ts';
import { pgMigration005 } from './pg-005-console.ts';
import { pgMigration006 } from './pg-006-call-node.ts';
import type { PgMigration } from './pg-migration.ts';

/** Every PostgreSQL migration, in order. Append new files here; never edit one that has landed. */
export const PG_MIGRATIONS: readonly PgMigration[] = [pgMigration001, pgMigration002, pgMigration003, pgMigration004, pgMigration005, pgMigration006];
