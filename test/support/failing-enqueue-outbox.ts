import type { AsyncDispatchOutbox, OutboxTransaction } from '../../src/domain/ports/async-outbox.ts';

/**
 * The outbox, except that inside `atomically` an `enqueue` fails while `failures.left` is above 0 (each
 * failure counts it down), after whatever the transaction did before it: the failure paths of inbound
 * handling (a reply or a STOP's confirmation that cannot be queued must roll back the text and the ledger).
 */
export function failingEnqueueOutbox(
  real: AsyncDispatchOutbox,
  failures: { left: number } = { left: Number.POSITIVE_INFINITY },
): AsyncDispatchOutbox {
  return new Proxy(real, {
    get(target, key, receiver) {
      if (key !== 'atomically') return Reflect.get(target, key, receiver) as unknown;
      return <T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> =>
        target.atomically((tx) =>
          fn({
            ...tx,
            outbox: new Proxy(tx.outbox, {
              get(o, k, r) {
                if (k === 'enqueue' && failures.left > 0) {
                  failures.left--;
                  return () => Promise.reject(new Error('injected: the text could not be queued'));
                }
                return Reflect.get(o, k, r) as unknown;
              },
            }),
          }),
        );
    },
  });
}
