import type { Migration } from './migration.ts';

/**
 * Every assisted step on the record (src/llm/README.md): which use (message intake, inbound reply,
 * unclear consent answer), the model and prompt version that answered, the latency, how the call went,
 * each intake field's check (accepted, rejected, empty), what passed, and what it changed. The consent
 * ledger never refers to this table: no grant rests on the assist.
 */
export const migration006: Migration = {
  version: 6,
  name: 'assist-results',
  sql: `
CREATE TABLE assist_results (
  id             INTEGER PRIMARY KEY,
  use            TEXT    NOT NULL CHECK (use IN ('intake','reply','consent')),
  business_id    INTEGER REFERENCES businesses(id),
  call_id        INTEGER REFERENCES calls(id),
  inbound_id     INTEGER REFERENCES inbound_messages(id),
  model          TEXT,
  prompt_version TEXT,
  outcome        TEXT    NOT NULL CHECK (outcome IN ('ok','failed','timeout','circuit-open','bad-output')),
  error_code     TEXT,
  latency_ms     INTEGER NOT NULL,
  -- intake: {"problem":"accepted","serviceAddress":"rejected",...}; NULL for the other uses
  checks_json    TEXT,
  -- what passed the checks (never the raw model output)
  result_json    TEXT,
  applied        TEXT    NOT NULL,
  at             INTEGER NOT NULL
);
CREATE INDEX assist_results_call ON assist_results(call_id) WHERE call_id IS NOT NULL;
CREATE INDEX assist_results_inbound ON assist_results(inbound_id) WHERE inbound_id IS NOT NULL;
`,
};
