import type { Migration } from './migration.ts';

/**
 * Businesses, their DIDs, calls, consent scripts and the consent ledger.
 * Times are UTC milliseconds since the epoch (INTEGER); phone numbers are E.164 TEXT.
 * The ledger is append-only, enforced by the database itself: triggers refuse UPDATE and DELETE.
 */
export const migration001: Migration = {
  version: 1,
  name: 'core',
  sql: `
CREATE TABLE businesses (
  id                    INTEGER PRIMARY KEY,
  name                  TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  timezone              TEXT    NOT NULL,
  consent_mode          TEXT    NOT NULL CHECK (consent_mode IN ('verbal', 'implied')),
  templates_json        TEXT    NOT NULL DEFAULT '{}',
  greeting              TEXT,
  emergency_instruction TEXT,
  created_at            INTEGER NOT NULL,
  updated_at            INTEGER NOT NULL
);

CREATE TABLE business_dids (
  did         TEXT    PRIMARY KEY,
  business_id INTEGER NOT NULL REFERENCES businesses(id),
  position    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX business_dids_business ON business_dids(business_id);

CREATE TABLE calls (
  id                 INTEGER PRIMARY KEY,
  engine             TEXT    NOT NULL,
  channel_id         TEXT    NOT NULL,
  business_id        INTEGER REFERENCES businesses(id),
  did                TEXT    NOT NULL,
  caller_raw         TEXT    NOT NULL,
  caller_e164        TEXT,
  started_at         INTEGER NOT NULL,
  ended_at           INTEGER,
  outcome            TEXT,
  recording_path     TEXT,
  recording_sha256   TEXT,
  recording_ms       INTEGER,
  recording_deleted_at INTEGER,
  transcript         TEXT,
  summary            TEXT
);
CREATE INDEX calls_business_started ON calls(business_id, started_at);
CREATE INDEX calls_caller ON calls(caller_e164);

-- Each distinct consent script text is stored once; ledger rows point at it by sha256.
CREATE TABLE consent_scripts (
  sha256  TEXT PRIMARY KEY,
  version TEXT NOT NULL,
  text    TEXT NOT NULL
);

CREATE TABLE consent_ledger (
  id             INTEGER PRIMARY KEY,
  at             INTEGER NOT NULL,
  business_id    INTEGER NOT NULL,
  did            TEXT    NOT NULL,
  consumer       TEXT    NOT NULL,
  event          TEXT    NOT NULL CHECK (event IN ('granted','declined','unclear','implied','revoked','reinstated')),
  method         TEXT    NOT NULL CHECK (method IN ('verbal','sms-keyword','admin','import','implied')),
  script_version TEXT,
  script_sha256  TEXT REFERENCES consent_scripts(sha256),
  transcript     TEXT,
  audio_path     TEXT,
  audio_sha256   TEXT,
  call_id        INTEGER,
  source         TEXT    NOT NULL,
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL UNIQUE
);
-- The current consent of a pair is its latest event by time (imports append old events late), then id.
CREATE INDEX consent_ledger_pair ON consent_ledger(business_id, consumer, at, id);
CREATE INDEX consent_ledger_consumer ON consent_ledger(consumer, id);
CREATE INDEX consent_ledger_at ON consent_ledger(at);

CREATE TRIGGER consent_ledger_no_update BEFORE UPDATE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'consent_ledger is append-only: UPDATE refused'); END;
CREATE TRIGGER consent_ledger_no_delete BEFORE DELETE ON consent_ledger
BEGIN SELECT RAISE(ABORT, 'consent_ledger is append-only: DELETE refused'); END;
CREATE TRIGGER consent_scripts_no_update BEFORE UPDATE ON consent_scripts
BEGIN SELECT RAISE(ABORT, 'consent_scripts is append-only: UPDATE refused'); END;
CREATE TRIGGER consent_scripts_no_delete BEFORE DELETE ON consent_scripts
BEGIN SELECT RAISE(ABORT, 'consent_scripts is append-only: DELETE refused'); END;
`,
};
