import type { PgMigration } from './pg-migration.ts';

/**
 * The message-transcription backlog, as SQLite's migration 010 (src/store/migrations/010-transcript-backlog.ts):
 * same columns, same CHECK, the same partial index for reading pending rows oldest first.
 */
export const pgMigration004: PgMigration = {
  name: 'pg-004-transcript-backlog',
  sql: `
ALTER TABLE calls ADD COLUMN transcript_status text CHECK (transcript_status IN ('pending', 'done', 'failed'));
ALTER TABLE calls ADD COLUMN transcript_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN transcript_error text;
UPDATE calls SET transcript_status = 'done' WHERE transcript IS NOT NULL;
CREATE INDEX calls_transcript_pending ON calls(started_at, id) WHERE transcript_status = 'pending';
`,
};
