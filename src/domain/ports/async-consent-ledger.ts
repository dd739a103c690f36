/**
 * The consent ledger's ports for a store whose driver answers later (PostgreSQL): the same operations
 * and guarantees as ConsentStore / ConsentLedger (consent-store.ts, consent-ledger.ts), each returning
 * a Promise, and streaming reads as async iterators. The synchronous ports stay as they are until the
 * app moves to these (src/store/postgres/README.md, "Async ports").
 */
import type { ConsentEvent, ConsentState, NewConsentEvent } from '../consent.ts';
import type { ChainVerification } from '../ledger/ledger-chain.ts';
import type { LedgerRecord } from '../ledger/ledger-record.ts';
import type { AppendCheck, LedgerFilter, LedgerRecordWithScript } from './consent-ledger.ts';

/** ConsentStore, awaited. */
export interface AsyncConsentStore {
  /** Appends one event and returns it with its id, time and chain hash. Committed when it resolves. */
  append(event: NewConsentEvent): Promise<ConsentEvent>;
  /** See ConsentStore.appendUnless: the judgement and the append in one transaction, under the ledger's lock. */
  appendUnless(event: NewConsentEvent, refuse: (latest: ConsentEvent | undefined) => boolean): Promise<ConsentEvent | undefined>;
  latest(businessId: number, consumer: string): Promise<ConsentEvent | undefined>;
  current(businessId: number, consumer: string): Promise<ConsentState>;
  history(consumer: string, businessId?: number): Promise<ConsentEvent[]>;
}

/**
 * ConsentLedger, awaited. Iterators read in id order; a caller that stops early must `return()` them
 * (a `for await` that breaks does).
 */
export interface AsyncConsentLedger extends AsyncConsentStore {
  records(filter?: LedgerFilter): AsyncIterableIterator<LedgerRecord>;
  recordsWithScript(filter?: LedgerFilter): AsyncIterableIterator<LedgerRecordWithScript>;
  record(id: number): Promise<LedgerRecordWithScript | undefined>;
  /** All or none, in one transaction; `check` runs inside it before each append (see ConsentLedger.appendAll). */
  appendAll(events: readonly NewConsentEvent[], check?: AppendCheck): Promise<ConsentEvent[]>;
  /** Walks the whole chain in id order, a page at a time. */
  verify(): Promise<ChainVerification>;
}
