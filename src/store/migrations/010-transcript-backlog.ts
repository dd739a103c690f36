import type { Migration } from './migration.ts';

/**
 * The message-transcription backlog (src/app/call/message-backlog.ts): which call rows still need a
 * transcript of their message, how many times the backlog tried, and why it gave up.
 * `transcript_status`: null (no message, or a call from before this migration), `pending` (a message is
 * stored and has no transcript yet), `done`, `failed` (given up: `transcript_error` says why).
 * Messages recorded before this migration are not made pending: the staff were told about them then,
 * and transcribing months-old messages at an upgrade would only send stale notices.
 */
export const migration010: Migration = {
  version: 10,
  name: 'transcript-backlog',
  sql: `
ALTER TABLE calls ADD COLUMN transcript_status TEXT CHECK (transcript_status IN ('pending','done','failed'));
ALTER TABLE calls ADD COLUMN transcript_attempts INTEGER NOT NULL DEFAULT 0;
ALTER TABLE calls ADD COLUMN transcript_error TEXT;
UPDATE calls SET transcript_status = 'done' WHERE transcript IS NOT NULL;
-- The backlog reads pending rows oldest first; the rest of the table is never scanned for it.
CREATE INDEX calls_transcript_pending ON calls(started_at, id) WHERE transcript_status = 'pending';
`,
};
