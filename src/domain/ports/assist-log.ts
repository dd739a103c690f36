import type { FieldCheck, IntakeField } from '../assist/intake-check.ts';

/** Which assisted step: the message intake, an inbound reply, an unclear consent answer. */
export type AssistUse = 'intake' | 'reply' | 'consent';
export const ASSIST_USES: readonly AssistUse[] = ['intake', 'reply', 'consent'];

/**
 * How an assisted call went. `circuit-open`: not attempted (the breaker had opened); `bad-output`: the
 * answer was not JSON, or broke the schema; `failed`: any other error (HTTP status, connection).
 */
export type AssistOutcome = 'ok' | 'failed' | 'timeout' | 'circuit-open' | 'bad-output';
export const ASSIST_OUTCOMES: readonly AssistOutcome[] = ['ok', 'failed', 'timeout', 'circuit-open', 'bad-output'];

/** One assisted step, as stored (`assist_results`). Values are what passed the checks, never the raw draft. */
export interface AssistRecord {
  readonly use: AssistUse;
  readonly businessId: number | null;
  readonly callId: number | null;
  readonly inboundId: number | null;
  readonly model: string | null;
  readonly promptVersion: string | null;
  readonly outcome: AssistOutcome;
  readonly errorCode: string | null;
  readonly latencyMs: number;
  /** Intake: each field's check; null for the other uses. */
  readonly checks: Readonly<Record<IntakeField, FieldCheck>> | null;
  /** What passed: the checked fields, the reply intent, or the consent verdict. */
  readonly result: unknown;
  /** What it changed: `fields:problem,serviceAddress`, `revoke`, `forward`, `declined`, or `none`. */
  readonly applied: string;
  readonly at: number;
}

/** Every assisted step is on the record (the ledger never depends on it). */
export interface AssistLog {
  record(r: AssistRecord): number;
}
