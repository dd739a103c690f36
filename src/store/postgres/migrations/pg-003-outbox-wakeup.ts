import type { PgMigration } from './pg-migration.ts';

/**
 * Wakes every node's dispatcher when a text is queued, by any node or by the CLI: a statement-level
 * trigger sends NOTIFY on `callkeeper_outbox`, which PostgreSQL delivers at commit (never for a rolled
 * back insert). Nodes also poll, so a missed notification (a listener reconnecting) only delays a text
 * to the next poll; see ../pg-outbox-wakeup.ts.
 */
export const pgMigration003: PgMigration = {
  name: 'pg-003-outbox-wakeup',
  sql: `
CREATE FUNCTION callkeeper_outbox_wakeup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('callkeeper_outbox', '');
  RETURN NULL;
END $$;
CREATE TRIGGER outbound_messages_wakeup AFTER INSERT ON outbound_messages
  FOR EACH STATEMENT EXECUTE FUNCTION callkeeper_outbox_wakeup();
`,
};
