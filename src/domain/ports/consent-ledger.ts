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
  /** Appends every event in one transaction: all are written or none. */
  appendAll(events: readonly NewConsentEvent[]): ConsentEvent[];
  /** Walks the whole chain in id order (streaming). */
  verify(): ChainVerification;
}
