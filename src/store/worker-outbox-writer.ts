import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { OutboxBatch, OutboxBatchResult, OutboxWriter, UnsentState } from '../domain/ports/outbox.ts';
import type { OutboxWriteReply, OutboxWriteRequest } from './sqlite-outbox-writes.ts';

type Call = OutboxWriteRequest extends infer R ? (R extends OutboxWriteRequest ? Omit<R, 'seq'> : never) : never;

/** A thread that is stopping gets this long to commit what it was sent before it is terminated. */
const CLOSE_GRACE_MS = 10_000;
/** After a thread's exit, how long its answers already posted may take to arrive before its unanswered calls fail. */
const PORT_DRAIN_MS = 1_000;

export interface WorkerOutboxWriterOptions {
  /** The thread's entry (src/compose/outbox-writer-thread.ts): opens the database, loads the sending decision, serves the port. */
  readonly entry: URL;
  /** Passed to the entry as `workerData`, with `port` added. */
  readonly workerData: Readonly<Record<string, unknown>>;
  readonly logger?: Logger;
  /** How long `close` waits for the thread to end by itself before terminating it (default 10 s; tests lengthen it). */
  readonly closeGraceMs?: number;
}

/**
 * `OutboxWriter` on a worker thread with its own SQLite connection (src/store/README.md, "The outbox
 * writer thread"): the dispatcher's claims, results and receipts are committed there, grouped
 * (sqlite-outbox-writes.ts), so the event loop never waits for an fsync. A thread that dies (or fails to
 * start) rejects every call not yet answered with `STORE.WRITE_FAILED` (retryable: the calls wrote
 * nothing the caller can rely on, and are safe to make again); the next call starts a new thread.
 */
export class WorkerOutboxWriter implements OutboxWriter {
  private worker: Worker | null = null;
  /**
   * Settles when the running thread has exited. Listened for from the thread's start, not from `close`:
   * the thread's `exit` can reach this thread before the answer it posted to `close` on our own channel
   * (Node drains only the worker's built-in ports before `exit`), and an `exit` already emitted is never
   * emitted again, so a listener added after it waited out the whole grace (the "outbox did not stop
   * within 10000 ms" of src/sms/README.md, "Throughput").
   */
  private exited: Promise<void> | null = null;
  private port: MessagePort | null = null;
  private seq = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: unknown) => void }>();
  private closed = false;
  /** The `seq` of the `close` call. */
  private closeSeq = 0;
  /** Threads started so far (a restart after a failure counts). */
  starts = 0;

  constructor(private readonly opts: WorkerOutboxWriterOptions) {}

  recordAndClaim(batch: OutboxBatch): Promise<OutboxBatchResult> {
    return this.call({ op: 'batch', batch });
  }

  markRetry(id: number, reason: string, nextAttemptAt: number): Promise<void> {
    return this.call({ op: 'retry', id, reason, nextAttemptAt });
  }

  markUnsent(id: number, state: UnsentState, reason: string, at: number): Promise<void> {
    return this.call({ op: 'unsent', id, state, reason, at });
  }

  markReceiptsOverdue(before: number, reason: string, at: number): Promise<number> {
    return this.call({ op: 'overdue', before, reason, at });
  }

  recoverInFlight(now: number, keep?: readonly number[]): Promise<number> {
    return this.call({ op: 'recover', now, keep: keep ?? null });
  }

  /** The running thread, if any (tests end it to prove a dead writer loses nothing). */
  thread(): Worker | null {
    return this.worker;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const worker = this.worker;
    const exited = this.exited;
    this.closeSeq = this.seq + 1;
    const done = worker ? this.call({ op: 'close' }).catch(() => undefined) : Promise.resolve();
    this.closed = true;
    if (!worker || !exited) return;
    await done;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(() => void worker.terminate().then(() => resolve()), this.opts.closeGraceMs ?? CLOSE_GRACE_MS);
    });
    await Promise.race([exited, grace]);
    clearTimeout(timer);
  }

  private call<T>(c: Call): Promise<T> {
    if (this.closed) return Promise.reject(new AppError('STORE.WRITE_FAILED', 'the outbox writer is closed', { retryable: false }));
    const port = this.ensureThread();
    const seq = ++this.seq;
    return new Promise<T>((resolve, reject) => {
      if (this.pending.size === 0) port.ref();
      this.pending.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      // As JSON text: a string crosses as one copy, where the structured clone of the same nested objects cost several times more (bench:sms).
      port.postMessage(JSON.stringify({ ...c, seq } as OutboxWriteRequest));
    });
  }

  private ensureThread(): MessagePort {
    if (this.port) return this.port;
    const { port1, port2 } = new MessageChannel();
    const worker = new Worker(this.opts.entry, { workerData: { ...this.opts.workerData, port: port2 }, transferList: [port2] });
    this.starts++;
    this.worker = worker;
    this.exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.port = port1;
    port1.on('message', (replies: string) => this.onReplies(port1, JSON.parse(replies) as OutboxWriteReply[]));
    // Only calls waiting for an answer keep the process alive (see `call`).
    port1.unref();
    worker.unref();
    worker.on('error', (e) => this.lost(worker, e));
    worker.on('exit', (code) => this.lost(worker, new Error(`outbox writer thread exited (code ${code})`)));
    return port1;
  }

  private onReplies(port: MessagePort, replies: readonly OutboxWriteReply[]): void {
    for (const r of replies) {
      const p = this.pending.get(r.seq);
      if (!p) continue;
      this.pending.delete(r.seq);
      if (r.ok) p.resolve(r.value);
      else p.reject(new AppError('STORE.WRITE_FAILED', `the outbox write failed: ${r.message}`, { retryable: true }));
    }
    if (this.pending.size === 0) port.unref();
  }

  private lost(worker: Worker, e: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    const port = this.port;
    this.port = null;
    // The calls this thread was sent; a call made from now on starts a new thread and is not its to fail.
    const orphans = [...this.pending.keys()];
    // Answers the thread posted just before it ended can still be on our channel, behind its `exit` (see
    // `exited`): take them first. The port's 'close' comes once the other side is gone and what it posted
    // was delivered; the timer bounds the wait should it never come.
    let settled = false;
    const settle = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      port?.close();
      this.failUnanswered(orphans, e);
    };
    const timer = setTimeout(settle, PORT_DRAIN_MS);
    timer.unref();
    if (port) port.once('close', settle);
    else settle();
  }

  private failUnanswered(seqs: readonly number[], e: Error): void {
    // Closing: the thread ended as asked, its answer to `close` overtaken by its `exit` (see `exited`).
    const closing = this.pending.get(this.closeSeq);
    if (this.closed && closing && seqs.includes(this.closeSeq)) {
      this.pending.delete(this.closeSeq);
      closing.resolve(null);
    }
    const unanswered = seqs.filter((s) => this.pending.has(s));
    if (unanswered.length === 0) return;
    this.opts.logger?.error({ err: e.message, unanswered: unanswered.length }, 'the outbox writer thread stopped; a new one starts with the next write');
    const err = new AppError('STORE.WRITE_FAILED', 'the outbox writer thread stopped before answering', { retryable: true, cause: e });
    for (const s of unanswered) {
      this.pending.get(s)?.reject(err);
      this.pending.delete(s);
    }
  }
}
