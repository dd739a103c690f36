import type { Migration } from './migration.ts';

/**
 * Outbound and inbound texts (designed with the consent ledger, filled by the SMPP gateway, which owns this file
 * and may extend it until it first lands).
 * Outbound states: queued → submitting → submitted → delivered | undeliverable | expired | failed,
 * plus cancelled (STOP arrived while queued) and refused (a sending rule said no at claim time).
 * `outbound_parts` maps each SMSC message id (one per part) to its message, for delivery receipts.
 */
export const migration002: Migration = {
  version: 2,
  name: 'messages',
  sql: `
CREATE TABLE outbound_messages (
  id                INTEGER PRIMARY KEY,
  business_id       INTEGER NOT NULL REFERENCES businesses(id),
  sender            TEXT    NOT NULL,
  recipient         TEXT    NOT NULL,
  body              TEXT    NOT NULL,
  kind              TEXT    NOT NULL CHECK (kind IN ('first-reply','follow-up','keyword-reply','staff')),
  call_id           INTEGER REFERENCES calls(id),
  consent_event_id  INTEGER,
  state             TEXT    NOT NULL CHECK (state IN ('queued','submitting','submitted','delivered','undeliverable','expired','failed','cancelled','refused')),
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
CREATE INDEX outbound_state_next ON outbound_messages(state, next_attempt_at);
-- The claim scans queued rows in id order (oldest first) without sorting the whole queue.
CREATE INDEX outbound_state_id ON outbound_messages(state, id);
CREATE INDEX outbound_pair_time ON outbound_messages(business_id, recipient, submitted_at);
CREATE INDEX outbound_smsc_id ON outbound_messages(smsc_message_id);
CREATE INDEX outbound_pair_state ON outbound_messages(business_id, recipient, state);

-- One row per submitted PDU: a long text has one SMSC message id per part, and receipts come per part.
CREATE TABLE outbound_parts (
  smsc_message_id  TEXT    NOT NULL COLLATE NOCASE,
  outbound_id      INTEGER NOT NULL REFERENCES outbound_messages(id),
  part             INTEGER NOT NULL,
  state            TEXT    NOT NULL DEFAULT 'submitted',
  error            TEXT,
  PRIMARY KEY (smsc_message_id, outbound_id, part)
);
CREATE INDEX outbound_parts_outbound ON outbound_parts(outbound_id);

CREATE TABLE inbound_messages (
  id           INTEGER PRIMARY KEY,
  business_id  INTEGER REFERENCES businesses(id),
  recipient    TEXT    NOT NULL,
  sender       TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  keyword      TEXT,
  call_id      INTEGER REFERENCES calls(id),
  received_at  INTEGER NOT NULL
);
CREATE INDEX inbound_business_time ON inbound_messages(business_id, received_at);
`,
};
