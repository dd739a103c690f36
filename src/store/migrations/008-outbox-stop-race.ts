import type { Migration } from './migration.ts';

/**
 * The outbox that sends no text after a STOP (no text after STOP, none lost or doubled; src/sms/README.md):
 * - two new states: `suppressed` (claimed, then withheld before a part was written because a STOP had
 *   committed) and `unknown` (accepted by the SMSC, no final receipt within `smpp.receiptTimeoutHours`);
 * - `outbound_queue_urgent`: the queued keyword replies and staff alerts in due order, claimed before
 *   bulk texts. Partial, so it holds only those few rows (its WHERE is repeated by the claim's query);
 * - `outbound_awaiting_receipt`: the `submitted` rows by submit time, for the receipt-timeout sweep. A
 *   row enters it at submit and leaves it with its receipt.
 * `outbound_parts` already records each accepted part; long texts now write their parts as they are
 * accepted (not only at the end), so a retry or a restart resends only the parts the SMSC lacks.
 *
 * SQLite cannot change a CHECK constraint in place, so both tables are rebuilt. With foreign keys on
 * (sqlite-database.ts) and inside the migration's transaction (where `PRAGMA foreign_keys` is a no-op),
 * the new parts table references the new messages table by its temporary name; the rename then
 * rewrites that reference (SQLite ≥ 3.26), and the old tables are dropped child first, so no foreign
 * key is ever left pointing at a dropped table.
 */
export const migration008: Migration = {
  version: 8,
  name: 'outbox-stop-race',
  sql: `
CREATE TABLE outbound_messages_006 (
  id                INTEGER PRIMARY KEY,
  business_id       INTEGER NOT NULL REFERENCES businesses(id),
  sender            TEXT    NOT NULL,
  recipient         TEXT    NOT NULL,
  body              TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('first-reply','follow-up','keyword-reply','staff')),
  call_id           INTEGER REFERENCES calls(id),
  consent_event_id  INTEGER,
  state             TEXT    NOT NULL CHECK (state IN ('queued','submitting','submitted','delivered','undeliverable','expired','failed','cancelled','refused','suppressed','unknown')),
  state_reason      TEXT,
  parts             INTEGER,
  smsc_message_id   TEXT,
  attempts          INTEGER NOT NULL DEFAULT 0,
  next_attempt_at   INTEGER,
  created_at        INTEGER NOT NULL,
  claimed_at        INTEGER,
  submitted_at      INTEGER,
  final_at          INTEGER
);
INSERT INTO outbound_messages_006 SELECT id, business_id, sender, recipient, body, kind, call_id, consent_event_id, state, state_reason,
  parts, smsc_message_id, attempts, next_attempt_at, created_at, claimed_at, submitted_at, final_at FROM outbound_messages;

CREATE TABLE outbound_parts_006 (
  smsc_message_id  TEXT    NOT NULL COLLATE NOCASE,
  outbound_id      INTEGER NOT NULL REFERENCES outbound_messages_006(id),
  part             INTEGER NOT NULL,
  state            TEXT    NOT NULL DEFAULT 'submitted',
  error            TEXT,
  PRIMARY KEY (smsc_message_id, outbound_id, part)
);
INSERT INTO outbound_parts_006 SELECT smsc_message_id, outbound_id, part, state, error FROM outbound_parts;

DROP TABLE outbound_parts;
DROP TABLE outbound_messages;
ALTER TABLE outbound_messages_006 RENAME TO outbound_messages;
ALTER TABLE outbound_parts_006 RENAME TO outbound_parts;

CREATE INDEX outbound_parts_outbound ON outbound_parts(outbound_id);
CREATE INDEX outbound_queue ON outbound_messages(next_attempt_at) WHERE state = 'queued';
CREATE INDEX outbound_queue_urgent ON outbound_messages(next_attempt_at) WHERE state = 'queued' AND kind IN ('keyword-reply','staff');
CREATE INDEX outbound_in_doubt ON outbound_messages(id) WHERE state = 'submitting';
CREATE INDEX outbound_awaiting_receipt ON outbound_messages(submitted_at) WHERE state = 'submitted';
CREATE INDEX outbound_pair ON outbound_messages(business_id, recipient);
CREATE INDEX outbound_smsc ON outbound_messages(smsc_message_id COLLATE NOCASE) WHERE smsc_message_id IS NOT NULL;
`,
};
