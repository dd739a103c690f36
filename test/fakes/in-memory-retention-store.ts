import type { ExpiredCallRecordings, RecordingRetentionStore } from '../../src/domain/ports/recording-retention-store.ts';
import type { InMemoryCallLog } from './in-memory-call-log.ts';
import type { InMemoryConsentStore } from './in-memory-consent-store.ts';

/**
 * An in-memory `RecordingRetentionStore` over the fakes' call log and ledger, as the durable stores read
 * their `calls` and `consent_ledger` tables (test/contract/recording-retention-store-contract.ts). It only
 * reads them: the stamp lives here (`deletedAt`), as `calls.recording_deleted_at` is the only thing the
 * durable stores write, and the ledger is never touched.
 */
export class InMemoryRetentionStore implements RecordingRetentionStore {
  readonly #calls: InMemoryCallLog;
  readonly #consent: InMemoryConsentStore;
  readonly #deletedAt = new Map<number, number>();

  constructor(opts: { readonly calls: InMemoryCallLog; readonly consent: InMemoryConsentStore }) {
    this.#calls = opts.calls;
    this.#consent = opts.consent;
  }

  listExpired(before: number, page: { afterCallId: number; limit: number }): ExpiredCallRecordings[] {
    const answered = new Set(this.#consent.events.filter((e) => e.callId !== null && e.audioPath !== null).map((e) => e.callId));
    const rows = [...this.#calls.rows.values()]
      .filter((c) => c.id > page.afterCallId && c.startedAt < before && !this.#deletedAt.has(c.id) && (c.recordingPath !== null || answered.has(c.id)))
      .sort((a, b) => a.id - b.id)
      .slice(0, Math.max(0, page.limit));
    return rows.map((c) => {
      const paths = c.recordingPath === null ? [] : [c.recordingPath];
      // The answers' audio in ledger order (the ledger's ids), each path once.
      for (const e of this.#consent.events) {
        if (e.callId === c.id && e.audioPath !== null && !paths.includes(e.audioPath)) paths.push(e.audioPath);
      }
      return { callId: c.id, startedAt: c.startedAt, paths };
    });
  }

  markDeleted(callId: number, at: number): void {
    // A second stamp keeps the first time; an unknown call changes nothing (an UPDATE matching no row).
    if (this.#calls.rows.has(callId) && !this.#deletedAt.has(callId)) this.#deletedAt.set(callId, at);
  }

  /** When the call's recordings were stamped deleted, or null. */
  deletedAt(callId: number): number | null {
    return this.#deletedAt.get(callId) ?? null;
  }
}
