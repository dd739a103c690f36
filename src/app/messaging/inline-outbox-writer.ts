import type { DispatchOutbox, OutboxBatch, OutboxBatchResult, OutboxWriter, SendDecider } from '../../domain/ports/outbox.ts';

/**
 * The dispatcher's writes done on the calling thread, one transaction per call, through the synchronous
 * `DispatchOutbox` port: for stores without a writer thread (the in-memory fake, `:memory:`, the CLI's
 * `sms send --dispatch`). A failure rejects the promise, as the threaded writer's would.
 */
export function inlineOutboxWriter(outbox: DispatchOutbox, decide: SendDecider): OutboxWriter {
  const run = <T>(fn: () => T): Promise<T> => {
    try {
      return Promise.resolve(fn());
    } catch (e) {
      return Promise.reject(e);
    }
  };
  return {
    recordAndClaim: (b: OutboxBatch) =>
      run((): OutboxBatchResult =>
        outbox.atomically(() => {
          const matched = outbox.recordBatch(b.submitted, b.receipts, b.at, b.parts);
          const claimed = b.claim && b.claim.limit > 0 ? outbox.claim(b.claim.limit, b.claim.now, decide) : [];
          return { matched, claimed };
        }),
      ),
    markRetry: (id, reason, nextAttemptAt) => run(() => outbox.markRetry(id, reason, nextAttemptAt)),
    markUnsent: (id, state, reason, at) => run(() => outbox.markUnsent(id, state, reason, at)),
    markReceiptsOverdue: (before, reason, at) => run(() => outbox.markReceiptsOverdue(before, reason, at)),
    // Only a threaded writer that restarted passes `keep`; on one thread nothing is ever claimed unseen.
    recoverInFlight: (now) => run(() => outbox.recoverInFlight(now)),
    close: () => Promise.resolve(),
  };
}
