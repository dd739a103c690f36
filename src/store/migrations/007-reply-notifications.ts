import type { Migration } from './migration.ts';

/**
 * Staff notifications of kind `reply`: a caller's question or booking reply forwarded to the on-call staff
 * (src/app/messaging/inbound-message-handler.ts). SQLite cannot change a CHECK constraint in place, so
 * the deliveries table is rebuilt with its rows. Its attempts (which reference it) are set aside in a
 * temporary table first and written back after, so no foreign key ever points at a dropped table.
 */
export const migration007: Migration = {
  version: 7,
  name: 'reply-notifications',
  sql: `
CREATE TEMP TABLE attempts_kept AS SELECT * FROM notification_attempts;
DROP TABLE notification_attempts;
CREATE TABLE notification_deliveries_new (
  id               INTEGER PRIMARY KEY,
  notification_key TEXT    NOT NULL,
  kind             TEXT    NOT NULL CHECK (kind IN ('call','reply','test')),
  business_id      INTEGER NOT NULL REFERENCES businesses(id),
  call_id          INTEGER REFERENCES calls(id),
  channel          TEXT    NOT NULL CHECK (channel IN ('sms','email','webhook')),
  staff_id         INTEGER REFERENCES staff(id),
  address          TEXT    NOT NULL,
  urgent           INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  state            TEXT    NOT NULL CHECK (state IN ('sending','retrying','delivered','failed','rate-limited','skipped')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  last_error       TEXT,
  ref              TEXT,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  latency_ms       INTEGER
);
INSERT INTO notification_deliveries_new SELECT id, notification_key, kind, business_id, call_id, channel, staff_id, address, urgent,
  state, attempts, last_error, ref, created_at, updated_at, latency_ms FROM notification_deliveries;
DROP TABLE notification_deliveries;
ALTER TABLE notification_deliveries_new RENAME TO notification_deliveries;
CREATE INDEX notification_deliveries_call ON notification_deliveries(call_id);
CREATE INDEX notification_deliveries_staff_sms ON notification_deliveries(staff_id, created_at) WHERE channel = 'sms';
CREATE TABLE notification_attempts (
  delivery_id INTEGER NOT NULL REFERENCES notification_deliveries(id),
  attempt     INTEGER NOT NULL,
  started_at  INTEGER NOT NULL,
  ended_at    INTEGER NOT NULL,
  ok          INTEGER NOT NULL CHECK (ok IN (0, 1)),
  error       TEXT,
  ref         TEXT,
  PRIMARY KEY (delivery_id, attempt)
);
INSERT INTO notification_attempts SELECT delivery_id, attempt, started_at, ended_at, ok, error, ref FROM attempts_kept;
DROP TABLE attempts_kept;
`,
};
