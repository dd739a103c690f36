/**
 * The AssistLog contract: every assisted step is on the record, on every durable store (SQLite today,
 * PostgreSQL next). The port only writes, so each harness reads a record back its own way (`read`).
 * Guarantees checked:
 * - record returns a new growing id, and the record reads back with every field: the intake checks,
 *   the result that passed (any JSON value), the model and prompt version, the step it belongs to;
 * - a step without a result reads back with `null`; the latency is kept in whole milliseconds;
 * - every use and every outcome the port names is accepted (the schema and the port agree).
 *
 * Every call on the log is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INTAKE_FIELDS, type FieldCheck, type IntakeField } from '../../src/domain/assist/intake-check.ts';
import { ASSIST_OUTCOMES, ASSIST_USES, type AssistLog, type AssistRecord } from '../../src/domain/ports/assist-log.ts';
import { openHarness, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

export interface AssistLogHarness extends Teardown {
  readonly log: AsyncPort<AssistLog>;
  /** A business, one of its calls and an inbound text that exist in the store. */
  readonly businessId: number;
  readonly callId: number;
  readonly inboundId: number;
  read(id: number): Awaitable<AssistRecord | undefined>;
}

/** An `assist_results` row as both SQL harnesses read it back (`SELECT *`). */
export interface AssistRow {
  use: AssistRecord['use']; business_id: number | null; call_id: number | null; inbound_id: number | null; model: string | null;
  prompt_version: string | null; outcome: AssistRecord['outcome']; error_code: string | null; latency_ms: number; checks_json: string | null;
  result_json: string | null; applied: string; at: number;
}

/** The record a harness's `read` returns for a row, mapped independently of the stores' own code. */
export function recordOfRow(r: AssistRow): AssistRecord {
  return {
    use: r.use, businessId: r.business_id, callId: r.call_id, inboundId: r.inbound_id, model: r.model, promptVersion: r.prompt_version,
    outcome: r.outcome, errorCode: r.error_code, latencyMs: r.latency_ms,
    checks: r.checks_json === null ? null : (JSON.parse(r.checks_json) as AssistRecord['checks']),
    result: r.result_json === null ? null : (JSON.parse(r.result_json) as unknown), applied: r.applied, at: r.at,
  };
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);

export function runAssistLogContract(name: string, factory: HarnessFactory<AssistLogHarness>): void {
  describe(`AssistLog contract: ${name}`, () => {
    test('a record reads back with every field; ids grow', async (t) => {
      const h = await openHarness(t, factory);
      const checks = Object.fromEntries(INTAKE_FIELDS.map((f, i) => [f, (['accepted', 'rejected', 'empty'] as const)[i % 3]])) as Record<IntakeField, FieldCheck>;
      const intake: AssistRecord = {
        use: 'intake', businessId: h.businessId, callId: h.callId, inboundId: null, model: 'qwen2.5-1.5b', promptVersion: 'intake-v3',
        outcome: 'ok', errorCode: null, latencyMs: 840, checks, result: { problem: 'boiler leak', timeframe: null, tags: ['urgent', 2] },
        applied: 'fields:problem', at: T0,
      };
      const reply: AssistRecord = {
        use: 'reply', businessId: h.businessId, callId: null, inboundId: h.inboundId, model: 'qwen2.5-1.5b', promptVersion: 'reply-v1',
        outcome: 'ok', errorCode: null, latencyMs: 120, checks: null, result: 'forward', applied: 'forward', at: T0 + 1,
      };
      const a = await h.log.record(intake);
      const b = await h.log.record(reply);
      assert.ok(a > 0 && b > a, `ids ${a}, ${b}`);
      assert.deepEqual(await h.read(a), intake);
      assert.deepEqual(await h.read(b), reply);
      assert.equal(await h.read(b + 100), undefined);
    });

    test('a step without a result reads back with null; latency is kept in whole milliseconds', async (t) => {
      const h = await openHarness(t, factory);
      const failed: AssistRecord = {
        use: 'consent', businessId: null, callId: null, inboundId: null, model: null, promptVersion: null, outcome: 'timeout',
        errorCode: 'ASSIST.TIMEOUT', latencyMs: 2_500.6, checks: null, result: undefined, applied: 'none', at: T0,
      };
      const back = await h.read(await h.log.record(failed));
      assert.deepEqual(back, { ...failed, result: null, latencyMs: 2_501 });
      assert.equal((await h.read(await h.log.record({ ...failed, result: null, latencyMs: 0.4 })))?.latencyMs, 0);
    });

    test('every use and every outcome the port names is accepted', async (t) => {
      const h = await openHarness(t, factory);
      for (const use of ASSIST_USES) {
        for (const outcome of ASSIST_OUTCOMES) {
          const r: AssistRecord = {
            use, businessId: h.businessId, callId: null, inboundId: null, model: null, promptVersion: null, outcome,
            errorCode: outcome === 'ok' ? null : 'ASSIST.UNAVAILABLE', latencyMs: 1, checks: null, result: null, applied: 'none', at: T0,
          };
          assert.deepEqual(await h.read(await h.log.record(r)), r, `${use} ${outcome}`);
        }
      }
    });
  });
}
