import type { Migration } from './migration.ts';

/**
 * Cheaper outbox writes (measured with `npm run bench:sms`, src/sms/README.md "Throughput"). A text changes state
 * three times (queued → submitting → submitted → delivered); every index with `state` or a time in its
 * key was rewritten at each step, and each rewritten page is copied to the WAL at commit. Now:
 * - the queue is a partial index of queued rows in due order: a row leaves it once, when claimed;
 * - the rows in doubt (`submitting`, at most the window) have their own tiny partial index, for the
 *   restart recovery and the pending count;
 * - the per-consumer reads (frequency cap, STOP cancelling the queue) use (business, recipient), whose
 *   key never changes after the insert: a consumer has a handful of rows a day, read from the table;
 * - a one-part text (most texts) no longer gets an `outbound_parts` row (three b-tree writes: the row,
 *   its primary key, its outbound_id index); a receipt finds it by the SMSC id on its own row, through
 *   a partial, case-insensitive index written once, at submit (`outbound_parts` compares ids NOCASE too:
 *   hex ids come back in either case). Long texts keep one part row per part.
 * Every queued row has a `next_attempt_at` from now on (the outbox sets it on every write); old rows
 * without one are due at their creation.
 */
export const migration005: Migration = {
  version: 5,
  name: 'outbox-indexes',
  sql: `
DROP INDEX outbound_state_next;
DROP INDEX outbound_state_id;
DROP INDEX outbound_pair_time;
DROP INDEX outbound_smsc_id;
DROP INDEX outbound_pair_state;
UPDATE outbound_messages SET next_attempt_at = created_at WHERE state = 'queued' AND next_attempt_at IS NULL;
CREATE INDEX outbound_queue ON outbound_messages(next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbound_in_doubt ON outbound_messages(id) WHERE state = 'submitting';
CREATE INDEX outbound_pair ON outbound_messages(business_id, recipient);
CREATE INDEX outbound_smsc ON outbound_messages(smsc_message_id COLLATE NOCASE) WHERE smsc_message_id IS NOT NULL;
`,
};
