import type { Migration } from './migration.ts';

/**
 * Outbound and inbound texts (designed with issue 2, filled by the SMPP issue 5, which owns this file
 * and may extend it until it first lands).
 * Outbound states: queued → submitting → submitted → delivered | undeliverable | expired | failed,
 * plus cancelled (STOP arrived while queued) and refused (a sending rule said no at claim time).
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
CREATE INDEX outbound_pair_time ON outbound_messages(business_id, recipient, submitted_at);
CREATE INDEX outbound_smsc_id ON outbound_messages(smsc_message_id);

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
