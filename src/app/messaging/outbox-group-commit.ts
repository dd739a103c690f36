import { AppError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { AsyncDispatchOutbox } from '../../domain/ports/async-outbox.ts';
import type { AcceptedPart, ClaimedMessage, OutboxWriter } from '../../domain/ports/outbox.ts';
import type { DeliveryReceipt } from '../../domain/ports/sms-gateway.ts';
import { OrphanReceipts } from './orphan-receipts.ts';

/** A text the SMSC accepted whole: it holds its claim (the dispatcher's `window + answersAhead`) until this result is committed. */
export interface SubmittedResult {
  readonly id: number;
  readonly messageIds: readonly string[];
  readonly parts: number;
  readonly at: number;
}

interface PartAccepted extends AcceptedPart {
  readonly id: number;
  readonly done: (e?: unknown) => void;
}

interface ReceiptWaiting {
  readonly r: DeliveryReceipt;
  readonly done: (e?: unknown) => void;
}

/** A batch the writer could not commit is written again after this long (the writer restarts its thread meanwhile). */
const REWRITE_DELAY_MS = 200;

/** The dispatcher's counters this class moves (`OutboxDispatcher.stats`). */
export interface GroupCommitStats {
  receipts: number;
  orphanReceipts: number;
  flushes: number;
  writeFailures: number;
  rewrites: number;
}

export interface GroupCommitDeps {
  readonly writer: OutboxWriter;
  /** A batch the writer could not commit is written at once through this store (the event loop's connection, or the pool). */
  readonly outbox: AsyncDispatchOutbox;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly stats: GroupCommitStats;
  /** Whether the dispatcher still runs: once it stops, a batch nothing can write is given up (and logged). */
  readonly running: () => boolean;
  /** Asks the dispatcher for a flush (a `commit`) in a later turn. */
  readonly flushSoon: () => void;
  /** This text's result is committed, or given up on at a stop: its window slot is free. */
  readonly release: (id: number) => void;
}

/** What the dispatcher does with one commit's outcome (its window and its claim). */
export interface CommitHandlers {
  /** Committed; `claimed` is what the claim asked for returned (empty without one). */
  recorded(claimed: readonly ClaimedMessage[]): void;
  /** Not committed; the claim may have been (its answer is lost). Runs before the batch is kept or rewritten. */
  notRecorded(): void;
  /** After either: the next commit may go. */
  settled(): void;
}

/**
 * The group commit of the dispatcher's results (src/store/README.md, "The outbox writer thread"):
 * `submitted` results, accepted parts of long texts and delivery receipts wait here for the next
 * `OutboxWriter.recordAndClaim`. One call is out at a time; what arrives while it is being committed goes
 * into the next one. A part's and a receipt's promise settles when its commit does (the gateway writes the
 * next part, or answers the deliver_sm, only then). A batch that cannot be committed is never dropped:
 * the SMSC has those texts, and a lost result would have a restart send them again (`notRecorded`).
 */
export class OutboxGroupCommit {
  private submitted: SubmittedResult[] = [];
  private receipts: ReceiptWaiting[] = [];
  private parts: PartAccepted[] = [];
  /** A `recordAndClaim` is out: the next waits for it. */
  private out = false;
  private cancelRewrite: (() => void) | null = null;
  private readonly orphans = new OrphanReceipts();

  constructor(private readonly d: GroupCommitDeps) {}

  addSubmitted(s: SubmittedResult): void {
    this.submitted.push(s);
    this.d.flushSoon();
  }

  /** Settles once this part's acceptance is committed: the next part is written only then (≤ one part per claim in doubt). */
  addPart(id: number, part: number, messageId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.parts.push({ id, part, messageId, done: (e) => (e ? reject(e) : resolve()) });
      this.d.flushSoon();
    });
  }

  /** Settles once the receipt is committed; rejects if it could not be (the SMSC is told to resend it). */
  addReceipt(r: DeliveryReceipt): Promise<void> {
    return new Promise((resolve, reject) => {
      this.receipts.push({ r, done: (e) => (e ? reject(e) : resolve()) });
      this.d.flushSoon();
    });
  }

  /** A commit is out: anything added now waits for the next one. */
  get committing(): boolean {
    return this.out;
  }

  /** Results waiting for the next commit (their slots count as free for its claim). */
  get resultsWaiting(): number {
    return this.submitted.length;
  }

  /** Anything waiting for the next commit. */
  hasWaiting(): boolean {
    return this.submitted.length + this.receipts.length + this.parts.length > 0;
  }

  /** No commit out, no result kept to be written again, no rewrite pending. */
  idle(): boolean {
    return !this.out && this.cancelRewrite === null && this.submitted.length === 0;
  }

  /**
   * Hands what is waiting to the writer, with the dispatcher's claim (one commit, record and claim). The
   * receipts kept as orphans whose ids are among these results go with them. Call only when not `committing`.
   */
  commit(claim: { readonly limit: number; readonly now: number } | null, now: number, h: CommitHandlers): void {
    const submitted = this.submitted;
    const receipts = this.receipts;
    const parts = this.parts;
    this.submitted = [];
    this.receipts = [];
    this.parts = [];
    const late: DeliveryReceipt[] = [];
    const adopt = (id: string): void => {
      const o = this.orphans.take(id);
      if (o) late.push(o);
    };
    for (const s of submitted) for (const id of s.messageIds) adopt(id);
    for (const p of parts) adopt(p.messageId);
    const all = [...receipts.map((x) => x.r), ...late];
    this.out = true;
    this.d.stats.flushes++;
    this.d.writer
      .recordAndClaim({ submitted, parts, receipts: all, at: now, claim })
      .then(
        (res) => {
          this.recorded(submitted, receipts, parts, all, res.matched);
          h.recorded(res.claimed);
        },
        (e: unknown) => {
          h.notRecorded();
          // The next commit waits for this rewrite (`out` stays set until it settles).
          return this.notRecorded(submitted, receipts, parts, late, e, now);
        },
      )
      .finally(() => {
        this.out = false;
        h.settled();
      });
  }

  private recorded(
    submitted: SubmittedResult[],
    receipts: ReceiptWaiting[],
    parts: PartAccepted[],
    all: DeliveryReceipt[],
    matched: ReadonlyArray<number | null>,
  ): void {
    matched.forEach((id, i) => {
      if (id === null && i < receipts.length) this.keepOrphan(all[i]!);
      else if (id !== null) this.d.stats.receipts++;
    });
    for (const x of receipts) x.done();
    for (const p of parts) p.done();
    for (const s of submitted) this.d.release(s.id);
  }

  /**
   * The writer could not commit the batch. Results and parts are kept and written again (first through
   * this thread's own connection, then by the writer after a pause): the SMSC has those texts, and
   * dropping their results would have a restart send them again. Receipts are answered with a temporary
   * error so that the SMSC resends them.
   */
  private async notRecorded(
    submitted: SubmittedResult[],
    receipts: ReceiptWaiting[],
    parts: PartAccepted[],
    late: DeliveryReceipt[],
    e: unknown,
    now: number,
  ): Promise<void> {
    this.d.stats.writeFailures++;
    this.d.logger?.error({ err: (e as Error).message, results: submitted.length, parts: parts.length }, 'could not record SMS results; writing them again');
    for (const x of receipts) x.done(e);
    for (const r of late) this.keepOrphan(r);
    try {
      await this.d.outbox.atomically((tx) => tx.outbox.recordBatch(submitted, [], now, parts));
      this.d.stats.rewrites++;
      for (const p of parts) p.done();
      for (const s of submitted) this.d.release(s.id);
      return;
    } catch (again) {
      this.d.logger?.error({ err: (again as Error).message }, 'could not record SMS results on the main connection either');
    }
    if (!this.d.running()) {
      // Stopping and the store is gone: nothing left to write with. The texts stay `submitting`; the next
      // start requeues them ("may be sent twice"). Their ids are logged for the operator.
      this.d.logger?.error({ outboundIds: submitted.map((s) => s.id) }, 'texts accepted by the SMSC whose acceptance could not be recorded');
      for (const p of parts) p.done(new AppError('STORE.WRITE_FAILED', 'could not record an accepted part', { retryable: true, cause: e }));
      for (const s of submitted) this.d.release(s.id);
      return;
    }
    this.submitted.push(...submitted);
    this.parts.push(...parts);
    this.rewriteLater();
  }

  /** The next write after a failure waits a little: a store that fails at once is not hammered. */
  rewriteLater(): void {
    if (this.cancelRewrite) return;
    this.cancelRewrite = this.d.clock.setTimer(REWRITE_DELAY_MS, () => {
      this.cancelRewrite = null;
      this.d.flushSoon();
    });
  }

  private keepOrphan(r: DeliveryReceipt): void {
    this.d.stats.orphanReceipts++;
    this.orphans.keep(r);
  }
}
