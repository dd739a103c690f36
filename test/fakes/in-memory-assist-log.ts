import type { AssistLog, AssistRecord } from '../../src/domain/ports/assist-log.ts';

/**
 * An in-memory `AssistLog`: keeps each record as the durable stores would read it back
 * (test/contract/assist-log-contract.ts): latency in whole milliseconds, a missing result as `null`,
 * `checks` and `result` through JSON (what they store), so a value JSON cannot hold does not survive here either.
 */
export class InMemoryAssistLog implements AssistLog {
  readonly records: AssistRecord[] = [];

  record(r: AssistRecord): number {
    this.records.push({
      ...r,
      latencyMs: Math.round(r.latencyMs),
      checks: r.checks === null ? null : (JSON.parse(JSON.stringify(r.checks)) as AssistRecord['checks']),
      result: r.result === null || r.result === undefined ? null : (JSON.parse(JSON.stringify(r.result)) as unknown),
    });
    return this.records.length;
  }

  /** The record `record` returned `id` for, as stored. */
  read(id: number): AssistRecord | undefined {
    return this.records[id - 1];
  }
}
