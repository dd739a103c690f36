import type { AsyncDispatchOutbox } from '../../domain/ports/async-outbox.ts';
import type { OutboxBatch, OutboxBatchResult, OutboxWriter, SendDecider } from '../../domain/ports/outbox.ts';

/**
 * The dispatcher's writes through the store's own async port, one transaction per `recordAndClaim`
 * (record, then claim, in one `atomically`): the writer for PostgreSQL's `PgOutbox` (a pool: each
 * transaction on one connection), and for SQLite without a writer thread (`:memory:`,
 * `smpp.outboxWriter: inline`, the CLI's `sms send --dispatch`), in its turns on the one connection
 * (src/store/sqlite-async-stores.ts). A failure rejects the promise, as the threaded writer's would.
 */
export function asyncOutboxWriter(outbox: AsyncDispatchOutbox, decide: SendDecider): OutboxWriter {
  return {
    recordAndClaim: (b: OutboxBatch) =>
      outbox.atomically(async (tx): Promise<OutboxBatchResult> => {
        const matched = await tx.outbox.recordBatch(b.submitted, b.receipts, b.at, b.parts);
        const claimed = b.claim && b.claim.limit > 0 ? await tx.outbox.claim(b.claim.limit, b.claim.now, decide) : [];
        return { matched, claimed };
      }),
    markRetry: (id, reason, nextAttemptAt) => outbox.markRetry(id, reason, nextAttemptAt),
    markUnsent: (id, state, reason, at) => outbox.markUnsent(id, state, reason, at),
    markReceiptsOverdue: (before, reason, at) => outbox.markReceiptsOverdue(before, reason, at),
    // At a start (`keep` absent) every `submitting` text of this node goes back ("may be sent twice");
    // in a running node only those never handed to the sender, so what is in flight is not sent twice.
    recoverInFlight: (now, keep) => (keep === undefined ? outbox.recoverInFlight(now) : outbox.requeueClaimsExcept(now, keep)),
    close: () => Promise.resolve(),
  };
}
