/**
 * A shared, ordered record of writes across the in-memory stores, so tests can assert ordering across
 * ports (e.g. the ledger append for a call happened before its text was queued).
 */
export interface JournalEntry {
  readonly seq: number;
  readonly kind: 'call.open' | 'call.message' | 'call.transcript' | 'call.close' | 'ledger.append' | 'outbox.enqueue' | 'recording.save';
  readonly callId: number | null;
  readonly ref: number | string | null;
}

export class Journal {
  readonly entries: JournalEntry[] = [];

  add(kind: JournalEntry['kind'], callId: number | null, ref: number | string | null = null): void {
    this.entries.push({ seq: this.entries.length + 1, kind, callId, ref });
  }

  of(callId: number): JournalEntry[] {
    return this.entries.filter((e) => e.callId === callId);
  }
}
