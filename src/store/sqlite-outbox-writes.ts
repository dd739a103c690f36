import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { OutboxBatch, OutboxBatchResult, SendDecider, UnsentState } from '../domain/ports/outbox.ts';
import type { SqliteDb } from './sqlite-database.ts';
import { SqliteOutbox } from './sqlite-outbox.ts';

/** One call of `OutboxWriter`, as it crosses to the writer thread (worker-outbox-writer.ts). */
export type OutboxWriteRequest = { readonly seq: number } & (
  | { readonly op: 'batch'; readonly batch: OutboxBatch }
  | { readonly op: 'retry'; readonly id: number; readonly reason: string; readonly nextAttemptAt: number }
  | { readonly op: 'unsent'; readonly id: number; readonly state: UnsentState; readonly reason: string; readonly at: number }
  | { readonly op: 'overdue'; readonly before: number; readonly reason: string; readonly at: number }
  | { readonly op: 'recover'; readonly now: number; readonly keep: readonly number[] | null }
  | { readonly op: 'close' }
);

export type OutboxWriteReply = { readonly seq: number } & (
  | { readonly ok: true; readonly value: OutboxBatchResult | number | null }
  | { readonly ok: false; readonly message: string }
);

/**
 * The writer thread's side (src/store/README.md, "The outbox writer thread"): its own connection, and
 * every request waiting on the port when it turns to them applied in one IMMEDIATE transaction, in the
 * order sent. While a commit is being fsynced the requests that arrive queue up and go into the next
 * transaction together (group commit): one fsync for however many results came during the last one.
 * A transaction that fails is rolled back and its requests run again one transaction each, so that one
 * bad request fails alone. `decide` is the app's sending decision (app/messaging/send-decider.ts), loaded
 * by the thread's entry.
 */
export function serveOutboxWrites(port: MessagePort, db: SqliteDb, decide: SendDecider): void {
  const outbox = new SqliteOutbox(db);
  const apply = (r: OutboxWriteRequest): OutboxBatchResult | number | null => {
    switch (r.op) {
      case 'batch': {
        const b = r.batch;
        const matched = outbox.recordBatch(b.submitted, b.receipts, b.at, b.parts);
        const claimed = b.claim && b.claim.limit > 0 ? outbox.claim(b.claim.limit, b.claim.now, decide) : [];
        return { matched, claimed };
      }
      case 'retry':
        outbox.markRetry(r.id, r.reason, r.nextAttemptAt);
        return null;
      case 'unsent':
        outbox.markUnsent(r.id, r.state, r.reason, r.at);
        return null;
      case 'overdue':
        return outbox.markReceiptsOverdue(r.before, r.reason, r.at);
      case 'recover':
        return r.keep === null ? outbox.recoverInFlight(r.now) : outbox.requeueClaimsExcept(r.now, r.keep);
      case 'close':
        return null;
    }
  };
  const inOneTx = db.transaction((rs: readonly OutboxWriteRequest[]) => rs.map(apply));
  port.on('message', (first: string) => {
    const requests = [JSON.parse(first) as OutboxWriteRequest];
    for (let m = receiveMessageOnPort(port); m; m = receiveMessageOnPort(port)) requests.push(JSON.parse(m.message as string) as OutboxWriteRequest);
    let replies: OutboxWriteReply[];
    try {
      const values = inOneTx.immediate(requests);
      replies = requests.map((r, i) => ({ seq: r.seq, ok: true, value: values[i] ?? null }));
    } catch {
      replies = requests.map((r) => {
        try {
          return { seq: r.seq, ok: true, value: inOneTx.immediate([r])[0] ?? null };
        } catch (e) {
          return { seq: r.seq, ok: false, message: e instanceof Error ? e.message : String(e) };
        }
      });
    }
    port.postMessage(JSON.stringify(replies));
    if (requests.some((r) => r.op === 'close')) {
      db.close();
      port.close();
    }
  });
}
