import type { AssistLog, AssistRecord } from '../../src/domain/ports/assist-log.ts';

/** JSON out and back: what survives a `*_json` column. */
const throughJson = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

/**
 * An in-memory `AssistLog`: keeps each record as the durable stores read it back
 * (test/contract/assist-log-contract.ts, src/store/assist-row.ts): latency in whole milliseconds, a missing
 * result as `null`, `checks` and `result` through JSON, so a value JSON cannot hold does not survive here either.
 */
export class InMemoryAssistLog implements AssistLog {
  readonly records: AssistRecord[] = [];

  record(r: AssistRecord): number {
    this.records.push({
      ...r,
      latencyMs: Math.round(r.latencyMs),
      checks: r.checks === null ? null : throughJson(r.checks),
      result: r.result === null || r.result === undefined ? null : throughJson(r.result),
    });
    return this.records.length;
  }

  /** The record `record` returned `id` for, as stored (a copy). */
  read(id: number): AssistRecord | undefined {
    const r = this.records[id - 1];
    return r && structuredClone(r);
  }
}
