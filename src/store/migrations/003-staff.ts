import type { Migration } from './migration.ts';

/**
 * Staff notifications and urgent calls: who is told about calls, the business's webhook,
 * its urgency settings, every notification delivery and attempt, and every urgency decision with the
 * rule that fired. Times are UTC ms; phone numbers E.164.
 */
export const migration003: Migration = {
  version: 3,
  name: 'staff',
  sql: `
CREATE TABLE staff (
  id           INTEGER PRIMARY KEY,
  business_id  INTEGER NOT NULL REFERENCES businesses(id),
  name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  mobile       TEXT,
  email        TEXT,
  -- {"spec": "...", "windows": [...]} (domain/notify/on-call-hours.ts); NULL = on call at all hours
  on_call_json TEXT,
  -- JSON array of 'sms' | 'email'
  channels     TEXT    NOT NULL DEFAULT '[]',
  created_at   INTEGER NOT NULL,
  -- Removed staff keep their row so that delivery records still say who was told.
  removed_at   INTEGER,
  CHECK (mobile IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX staff_business ON staff(business_id) WHERE removed_at IS NULL;

CREATE TABLE business_webhooks (
  business_id INTEGER PRIMARY KEY REFERENCES businesses(id),
  url         TEXT    NOT NULL,
  secret      TEXT    NOT NULL,
  updated_at  INTEGER NOT NULL
);

CREATE TABLE business_urgency (
  business_id   INTEGER PRIMARY KEY REFERENCES businesses(id),
  trade         TEXT    NOT NULL CHECK (trade IN ('plumbing','hvac','electrical','locksmith','general')),
  extra_json    TEXT    NOT NULL DEFAULT '[]',
  disabled_json TEXT    NOT NULL DEFAULT '[]',
  updated_at    INTEGER NOT NULL
);

CREATE TABLE notification_deliveries (
  id               INTEGER PRIMARY KEY,
  notification_key TEXT    NOT NULL,
  kind             TEXT    NOT NULL CHECK (kind IN ('call','test')),
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
  -- call end -> delivered (ms), when delivered
  latency_ms       INTEGER
);
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

CREATE TABLE urgency_decisions (
  id              INTEGER PRIMARY KEY,
  call_id         INTEGER REFERENCES calls(id),
  business_id     INTEGER NOT NULL REFERENCES businesses(id),
  decided_at      INTEGER NOT NULL,
  urgent          INTEGER NOT NULL CHECK (urgent IN (0, 1)),
  trade           TEXT    NOT NULL,
  rule            TEXT,
  phrase          TEXT,
  matched         TEXT,
  -- phrases that matched but were cancelled (negated, resolved, hypothetical, past), with why
  suppressed_json TEXT    NOT NULL DEFAULT '[]'
);
CREATE INDEX urgency_decisions_call ON urgency_decisions(call_id);
`,
};
