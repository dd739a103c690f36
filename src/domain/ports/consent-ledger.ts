import type { ConsentEvent, ConsentEventType, NewConsentEvent } from '../consent.ts';
import type { ChainVerification } from '../ledger/ledger-chain.ts';
import type { LedgerRecord } from '../ledger/ledger-record.ts';
import type { ConsentStore } from './consent-store.ts';

/** Which ledger rows an export or listing wants; every field narrows, all optional. Times are UTC ms. */
export interface LedgerFilter {
  readonly businessId?: number;
  readonly consumer?: string;
  /** Inclusive. */
  readonly since?: number;
  /** Exclusive. */
  readonly until?: number;
  readonly events?: readonly ConsentEventType[];
}

/** A ledger row as exported, with the script text it points at (JSON/NDJSON exports, evidence). */
export interface LedgerRecordWithScript extends LedgerRecord {
  readonly script_text: string | null;
}

/** See `ConsentLedger.appendAll`: `index` is the event's position in the batch. */
export type AppendCheck = (event: NewConsentEvent, index: number, current: ConsentEvent | undefined) => void;

/**
 * The admin side of the consent ledger (the CLI): streaming reads for export and verification, and
 * all-or-nothing bulk appends for imports. Iterators hold a read snapshot until they finish or are
 * returned; callers must drain or `return()` them.
 */
export interface ConsentLedger extends ConsentStore {
  /** Rows in id order. */
  records(filter?: LedgerFilter): IterableIterator<LedgerRecord>;
  recordsWithScript(filter?: LedgerFilter): IterableIterator<LedgerRecordWithScript>;
  record(id: number): LedgerRecordWithScript | undefined;
  /**
   * Appends every event in one transaction: all are written or none. `check` runs inside that
   * transaction before each append, with the pair's current event at that moment (earlier events of the
   * batch included); a throw refuses the whole batch. So a check cannot race a STOP appended meanwhile.
   */
  appendAll(events: readonly NewConsentEvent[], check?: AppendCheck): ConsentEvent[];
  /** Walks the whole chain in id order (streaming). */
  verify(): ChainVerification;
}
