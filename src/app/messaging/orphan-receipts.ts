import type { DeliveryReceipt } from '../../domain/ports/sms-gateway.ts';

/** Receipts for ids we have not recorded yet (the receipt can overtake the submit_sm_resp's commit). */
const ORPHAN_LIMIT = 10_000;

/**
 * Delivery receipts that matched no text when they were written: the SMSC can report a text before
 * its submit result (or its part's acceptance) is committed here. Each is kept under every message id
 * it names, case-insensitively, until that id's result is written and the receipt goes with it. Bounded:
 * past `ORPHAN_LIMIT` ids the oldest is forgotten (a receipt for a text that was never ours).
 */
export class OrphanReceipts {
  private readonly byMessageId = new Map<string, DeliveryReceipt>();

  keep(r: DeliveryReceipt): void {
    if (this.byMessageId.size >= ORPHAN_LIMIT) {
      const oldest = this.byMessageId.keys().next().value;
      if (oldest !== undefined) this.byMessageId.delete(oldest);
    }
    for (const id of r.messageIds) this.byMessageId.set(id.toLowerCase(), r);
  }

  /** The receipt kept for this message id, if any; it is no longer kept under that id. */
  take(messageId: string): DeliveryReceipt | undefined {
    const o = this.byMessageId.get(messageId.toLowerCase());
    if (o) this.byMessageId.delete(messageId.toLowerCase());
    return o;
  }
}
