import type { PgMigration } from './pg-migration.ts';

/**
 * The PostgreSQL schema of the other stores, as SQLite has them after its migrations 002, 003, 006 and
 * 007 (src/store/migrations/): inbound texts, staff and the business webhook, urgency settings and
 * decisions, notification deliveries (kinds call, reply, test) and their attempts, assist results.
 * Same names, columns and CHECKs; times UTC ms (bigint), ids identity columns. Flags SQLite keeps as
 * INTEGER 0/1 (`urgent`, `ok`) are `boolean` here; the JSON columns stay text holding the same JSON,
 * so a row means the same on both (and copies between them as it is).
 */
export const pgMigration002: PgMigration = {
  name: '002-stores',
  sql: `
CREATE TABLE inbound_messages (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  business_id  bigint REFERENCES businesses(id),
  recipient    text   NOT NULL,
  sender       text   NOT NULL,
  body         text   NOT NULL,
  keyword      text,
  call_id      bigint REFERENCES calls(id),
  received_at  bigint NOT NULL
);
CREATE INDEX inbound_business_time ON inbound_messages(business_id, received_at);

CREATE TABLE staff (
  id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  business_id  bigint NOT NULL REFERENCES businesses(id),
  name         text   NOT NULL CHECK (length(name) BETWEEN 1 AND 120),
  mobile       text,
  email        text,
  on_call_json text,
  channels     text   NOT NULL DEFAULT '[]',
  created_at   bigint NOT NULL,
  removed_at   bigint,
  CHECK (mobile IS NOT NULL OR email IS NOT NULL)
);
CREATE INDEX staff_business ON staff(business_id) WHERE removed_at IS NULL;

CREATE TABLE business_webhooks (
  business_id bigint PRIMARY KEY REFERENCES businesses(id),
  url         text   NOT NULL,
  secret      text   NOT NULL,
  updated_at  bigint NOT NULL
);

CREATE TABLE business_urgency (
  business_id   bigint PRIMARY KEY REFERENCES businesses(id),
  trade         text   NOT NULL CHECK (trade IN ('plumbing','hvac','electrical','locksmith','general')),
  extra_json    text   NOT NULL DEFAULT '[]',
  disabled_json text   NOT NULL DEFAULT '[]',
  updated_at    bigint NOT NULL
);

CREATE TABLE notification_deliveries (
  id               bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  notification_key text    NOT NULL,
  kind             text    NOT NULL CHECK (kind IN ('call','reply','test')),
  business_id      bigint  NOT NULL REFERENCES businesses(id),
  call_id          bigint  REFERENCES calls(id),
  channel          text    NOT NULL CHECK (channel IN ('sms','email','webhook')),
  staff_id         bigint  REFERENCES staff(id),
  address          text    NOT NULL,
  urgent           boolean NOT NULL,
  state            text    NOT NULL CHECK (state IN ('sending','retrying','delivered','failed','rate-limited','skipped')),
  attempts         integer NOT NULL DEFAULT 0,
  last_error       text,
  ref              text,
  created_at       bigint  NOT NULL,
  updated_at       bigint  NOT NULL,
  latency_ms       bigint
);
CREATE INDEX notification_deliveries_call ON notification_deliveries(call_id);
CREATE INDEX notification_deliveries_staff_sms ON notification_deliveries(staff_id, created_at) WHERE channel = 'sms';

CREATE TABLE notification_attempts (
  delivery_id bigint  NOT NULL REFERENCES notification_deliveries(id),
  attempt     integer NOT NULL,
  started_at  bigint  NOT NULL,
  ended_at    bigint  NOT NULL,
  ok          boolean NOT NULL,
  error       text,
  ref         text,
  PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE urgency_decisions (
  id              bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  call_id         bigint  REFERENCES calls(id),
  business_id     bigint  NOT NULL REFERENCES businesses(id),
  decided_at      bigint  NOT NULL,
  urgent          boolean NOT NULL,
  trade           text    NOT NULL,
  rule            text,
  phrase          text,
  matched         text,
  suppressed_json text    NOT NULL DEFAULT '[]'
);
CREATE INDEX urgency_decisions_call ON urgency_decisions(call_id);

CREATE TABLE assist_results (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  use            text   NOT NULL CHECK (use IN ('intake','reply','consent')),
  business_id    bigint REFERENCES businesses(id),
  call_id        bigint REFERENCES calls(id),
  inbound_id     bigint REFERENCES inbound_messages(id),
  model          text,
  prompt_version text,
  outcome        text   NOT NULL CHECK (outcome IN ('ok','failed','timeout','circuit-open','bad-output')),
  error_code     text,
  latency_ms     bigint NOT NULL,
  checks_json    text,
  result_json    text,
  applied        text   NOT NULL,
  at             bigint NOT NULL
);
CREATE INDEX assist_results_call ON assist_results(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX assist_results_inbound ON assist_results(inbound_id) WHERE inbound_id IS NOT NULL;
`,
};
