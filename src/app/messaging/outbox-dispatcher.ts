import { isAppError } from '../../domain/errors.ts';
import { isUrgent, type SendingRules } from '../../domain/messaging/sending-policy.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import type { AsyncDispatchOutbox } from '../../domain/ports/async-outbox.ts';
import type { ClaimedMessage, OutboxWriter } from '../../domain/ports/outbox.ts';
import type { SmsGateway, SubmitResult } from '../../domain/ports/sms-gateway.ts';
import { backoffDelay } from '../../domain/retry/backoff.ts';
import { asyncOutboxWriter } from './async-outbox-writer.ts';
import { OutboxGroupCommit } from './outbox-group-commit.ts';
import { sendDecider } from './send-decider.ts';

/**
 * Sends the outbox. At most `window + answersAhead` messages are `submitting` at once (claims asked for
 * included), a text's claim is let go only after its result is committed, the gateway keeps at most `window`
 * on the wire, and the next part of a long text is written only after the previous part's acceptance is
 * committed: so after a crash at most `window + answersAhead` parts can be in doubt, and a restart
 * (`recoverInFlight`) resends exactly those (src/sms/README.md, "Crash guarantee"). Results and receipts are written in batches through
 * the `OutboxWriter`, record and claim together (outbox-group-commit.ts: one call out at a time, what
 * arrives meanwhile goes into the next; src/store/README.md), so that the database keeps pace with a
 * pipelined SMPP link. A batch that cannot be committed is kept and written again: a text the SMSC
 * accepted is never sent twice because its result was lost on our side.
 * Before each part is written the gateway asks `outbox.mayStillSend` (a STOP committed since the claim
 * wins: the text ends `suppressed`). Retryable failures are retried with backoff until the text's retry
 * horizon, then it is `expired`; only a permanent refusal is `failed`.
 */
export interface DispatcherConfig {
  /** The SMPP window: the most submits on the wire at once. */
  readonly window: number;
  /**
   * `smpp.answersAhead`: how many texts this dispatcher holds claimed beyond the window, so that a window
   * slot freed by an SMSC answer is refilled at once while that answer waits for its commit. The most
   * texts in doubt after a crash is `window + answersAhead`. 0 (the default): a slot refills only after
   * the commit of its answer (src/sms/README.md, "Crash guarantee").
   */
  readonly answersAhead?: number;
  /** First retry delay of a retryable failure; doubles per attempt. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /**
   * How long after it was queued a text is still retried after retryable failures (throttling, queue
   * full, timeouts, a dropped link): `smpp.validityHours`. Past it the text is `expired`, never `failed`.
   */
  readonly retryHorizonMs?: number;
  /** A `submitted` text with no final receipt after this long becomes `unknown` (`smpp.receiptTimeoutHours`); null: never. */
  readonly receiptTimeoutMs?: number | null;
  /** How often to look for texts whose receipt is overdue. */
  readonly receiptSweepMs?: number;
  /** How often to look for texts queued by another process (the CLI) or come due (quiet hours, retries). */
  readonly pollMs?: number;
  /**
   * The store's claim lease (`database.leaseMs`): while texts are in flight their leases are renewed every
   * third of it (`outbox.renewLeases`), so a text held longer than the lease (a full window, a slow SMSC,
   * retries) stays this node's; a node that stops renewing (killed) loses them when the lease ends. Absent: no renewal.
   */
  readonly leaseMs?: number | null;
}

export interface DispatcherDeps {
  /** Reads (`mayStillSend` before every part, `nextDueAt`, `pendingCount`); also the writes when no `writer` is given. */
  readonly outbox: AsyncDispatchOutbox;
  /** Where the writes go (claims, results, receipts); default: `outbox` itself, one transaction per call (async-outbox-writer.ts). */
  readonly writer?: OutboxWriter;
  /** The sending rules every claim applies (send-decider.ts). */
  readonly rules: SendingRules;
  readonly gateway: SmsGateway;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

const HOUR_MS = 3_600_000;

export class OutboxDispatcher {
  private readonly cfg: Required<DispatcherConfig>;
  private readonly d: DispatcherDeps;
  private readonly writer: OutboxWriter;
  private running = false;
  /** Claimed texts whose outcome is not committed yet: each holds one of the `window + answersAhead` claims. */
  private readonly inflight = new Set<number>();
  /** Slots held for claims the writer has not answered yet. */
  private reserved = 0;
  /** Writer calls not settled yet (the group commit's own call not counted: see `batch.idle()`). */
  private writes = 0;
  /** Reads of the outbox not settled yet (when to claim next). */
  private reads = 0;
  private pausedUntil = 0;
  private cancelPoll: (() => void) | null = null;
  private cancelWake: (() => void) | null = null;
  private cancelRenewal: (() => void) | null = null;
  /** Results, accepted parts and receipts waiting to be written, with the claim of the next flush. */
  private readonly batch: OutboxGroupCommit;
  private nextReceiptSweep = 0;
  private flushScheduled = false;
  /** Someone asked for a claim (an enqueue, the poll, the link coming up, a freed slot). */
  private wantClaim = false;
  /** The last claim found nothing more due now: freed slots do not ask again until something wakes us. */
  private queueDry = false;
  /**
   * A claim's answer was lost (the writer failed after its commit, maybe): rows it moved to `submitting`
   * would sit there unsent. No claim goes out until they are put back (`recoverInFlight` sparing ours).
   */
  private recoverNeeded = false;
  private recoveredAtStart = false;
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;
  /** Counters for logs, tests and the bench. */
  readonly stats = { submitted: 0, retried: 0, failed: 0, expired: 0, suppressed: 0, unknown: 0, receipts: 0, orphanReceipts: 0, flushes: 0, writeFailures: 0, rewrites: 0 };

  constructor(cfg: DispatcherConfig, deps: DispatcherDeps) {
    this.cfg = { answersAhead: 0, retryBaseMs: 2_000, retryMaxMs: 300_000, retryHorizonMs: 24 * HOUR_MS, receiptTimeoutMs: null, receiptSweepMs: 60_000, pollMs: 1_000, leaseMs: null, ...cfg };
    this.d = deps;
    this.writer = deps.writer ?? asyncOutboxWriter(deps.outbox, sendDecider(deps.rules));
    this.batch = new OutboxGroupCommit({
      writer: this.writer,
      outbox: deps.outbox,
      clock: deps.clock,
      logger: deps.logger,
      stats: this.stats,
      running: () => this.running,
      flushSoon: () => this.scheduleFlush(),
      release: (id) => this.inflight.delete(id),
    });
  }

  /**
   * Resolves `submitting` rows left by a crash, subscribes to the gateway, and starts sending. The promise
   * settles (never rejects) once that recovery is committed or has failed (it is then retried before any
   * claim): a service is not up until the last run's leftovers are dealt with.
   */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.running = true;
    let recovered!: () => void;
    const done = new Promise<void>((r) => (recovered = r));
    // No claim goes out before this recovery has committed (canClaim): SQLite's writers apply calls in order, but
    // PostgreSQL's runs each call in its own transaction on a pool, so a claim could commit first and the recovery then
    // put the fresh claim back, for another node to send again (test/app/messaging/lease-renewal.pg.test.ts).
    this.write(
      this.writer.recoverInFlight(this.d.clock.now()),
      (n) => {
        this.recoveredAtStart = true;
        if (n > 0) this.d.logger?.warn({ recovered: n }, 'requeued texts that were in flight at the last stop');
        this.kick();
      },
      recovered,
    );
    this.d.gateway.onReceipt((r) => this.batch.addReceipt(r));
    this.unsubscribe = this.d.gateway.onStatus((s) => {
      if (s === 'up') this.kick();
    });
    this.schedulePoll();
    this.scheduleRenewal();
    this.kick();
    return done;
  }

  /** Stops claiming; resolves when every in-flight submit has settled and been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelPoll?.();
    this.cancelWake?.();
    this.cancelRenewal?.();
    this.unsubscribe?.();
    await this.whenIdle();
  }

  /** Wakes the dispatcher now (after an enqueue). */
  kick(): void {
    if (!this.running) return;
    this.queueDry = false;
    this.wantClaim = true;
    this.scheduleFlush();
  }

  /** Resolves when nothing is in flight and nothing is due (tests, bench, `sms send --dispatch`). */
  async drain(): Promise<void> {
    for (;;) {
      this.kick();
      await this.whenIdle();
      const next = await this.d.outbox.nextDueAt();
      if (this.inflight.size === 0 && (next === null || next > this.d.clock.now()) && (await this.d.outbox.pendingCount()) === 0) return;
      await new Promise<void>((r) => this.d.clock.setTimer(Math.min(this.cfg.pollMs, 50), r));
    }
  }

  /** Resolves when nothing is in flight and nothing is due now (texts held for later stay queued). */
  async drainDue(): Promise<void> {
    for (;;) {
      this.kick();
      await this.whenIdle();
      const next = await this.d.outbox.nextDueAt();
      if (this.inflight.size === 0 && (next === null || next > this.d.clock.now())) return;
      await new Promise<void>((r) => this.d.clock.setTimer(Math.min(this.cfg.pollMs, 50), r));
    }
  }

  private idle(): boolean {
    return this.inflight.size === 0 && this.writes === 0 && this.reads === 0 && !this.flushScheduled && this.batch.idle();
  }

  private whenIdle(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
  }

  private maybeIdle(): void {
    if (this.idle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  /** Counts a writer call until it settles; a failure is logged (the text stays `submitting`: see `recoverNeeded`). */
  private write<T>(p: Promise<T>, then: (v: T) => void = () => {}, settled: () => void = () => {}): void {
    this.writes++;
    p.then(then, (e: unknown) => {
      // Not sent (a failure, a withheld text, a retry): whatever the row says, putting it back is right.
      this.recoverNeeded = true;
      this.d.logger?.error({ err: (e as Error).message }, 'could not record the outcome of a text; it is requeued');
    }).finally(() => {
      this.writes--;
      settled();
      if (this.recoverNeeded && this.running) this.batch.rewriteLater();
      this.maybeIdle();
    });
  }

  /**
   * Counts a read until it settles (the dispatcher is not idle meanwhile); `then` runs only while the
   * dispatcher runs (a wake set after `stop` would hold the process). A failure is logged: the poll asks again.
   */
  private read<T>(p: Promise<T>, then: (v: T) => void): void {
    this.reads++;
    p.then((v) => {
      if (this.running) then(v);
    })
      .catch((e: unknown) => this.d.logger?.warn({ err: (e as Error).message }, 'could not read the outbox; the poll tries again'))
      .finally(() => {
        this.reads--;
        this.maybeIdle();
      });
  }

  private schedulePoll(): void {
    this.cancelPoll = this.d.clock.setTimer(this.cfg.pollMs, () => {
      if (!this.running) return;
      this.sweepReceipts();
      this.kick();
      this.schedulePoll();
    });
  }

  /**
   * Renews this node's claims every third of the lease while texts are in flight: two renewals can fail
   * (a slow or lost connection) before the lease ends. Counted as a read, so `stop` waits for it.
   */
  private scheduleRenewal(): void {
    const lease = this.cfg.leaseMs;
    if (lease === null) return;
    this.cancelRenewal = this.d.clock.setTimer(Math.max(1, Math.floor(lease / 3)), () => {
      if (!this.running) return;
      if (this.inflight.size > 0 || this.reserved > 0) {
        this.reads++;
        this.d.outbox
          .renewLeases(this.d.clock.now())
          .catch((e: unknown) => this.d.logger?.warn({ err: (e as Error).message }, 'could not renew the leases of texts in flight; the next renewal tries again'))
          .finally(() => {
            this.reads--;
            this.maybeIdle();
          });
      }
      this.scheduleRenewal();
    });
  }

  /**
   * Texts the SMSC accepted but never reported on become `unknown` (src/sms/README.md): the SMSC's own validity
   * period has long passed, so no final receipt is coming; a late one still settles the text.
   */
  private sweepReceipts(): void {
    const timeout = this.cfg.receiptTimeoutMs;
    const now = this.d.clock.now();
    if (timeout === null || now < this.nextReceiptSweep) return;
    this.nextReceiptSweep = now + this.cfg.receiptSweepMs;
    const hours = Math.round((timeout / HOUR_MS) * 10) / 10;
    this.write(this.writer.markReceiptsOverdue(now - timeout, `no final delivery receipt within ${hours} h`, now), (n) => {
      if (n === 0) return;
      this.stats.unknown += n;
      this.d.metrics?.smsState('unknown', n);
      this.d.logger?.warn({ texts: n, receiptTimeoutHours: hours }, 'texts without a delivery receipt are now unknown');
    });
  }

  private wakeAt(at: number): void {
    this.cancelWake?.();
    this.cancelWake = this.d.clock.setTimer(Math.max(0, at - this.d.clock.now()), () => this.kick());
  }

  private send(m: ClaimedMessage): void {
    this.inflight.add(m.id);
    if (this.d.clock.now() > m.createdAt + this.cfg.retryHorizonMs) {
      // Queued (or waiting for a retry) through a long SMSC outage: past its validity, too late to be useful (README "Retries").
      return this.expire(m, m.lastReason === null ? 'not sent: the SMSC was unreachable' : `last: ${m.lastReason}`);
    }
    this.d.gateway
      .submit(
        { from: m.from, to: m.to, text: m.body },
        {
          urgent: isUrgent(m.kind),
          // The same reference on every attempt (a retry resends only the missing parts, which must join the others).
          concatRef: m.id & 0xff,
          accepted: new Map(m.acceptedParts.map((p) => [p.part, p.messageId])),
          mayWrite: () => this.d.outbox.holdForWrite(m),
          // The next part is written once this one's acceptance is committed, whatever `answersAhead` is (≤ one part per claim in doubt).
          onPartAccepted: (part, messageId) => this.batch.addPart(m.id, part, messageId),
        },
      )
      .then(
        (r) => {
          if (r.withheldFromPart !== null) return this.onWithheld(m, r);
          this.stats.submitted++;
          this.batch.addSubmitted({ id: m.id, messageIds: r.messageIds, parts: r.parts, at: this.d.clock.now() });
          this.d.metrics?.smsState('submitted');
        },
        (e: unknown) => this.onSubmitError(m, e),
      );
  }

  /** Records a text's end without a result to batch (a failure, a withheld text, a retry); its slot frees once that is committed. */
  private settleWith(id: number, p: Promise<void>): void {
    this.write(p, undefined, () => this.settle(id));
  }

  /** A STOP committed after the claim: the parts not yet written stay unwritten (src/sms/README.md, "No part after STOP"). */
  private onWithheld(m: ClaimedMessage, r: SubmitResult): void {
    const now = this.d.clock.now();
    const sent = r.withheldFromPart! - 1;
    this.stats.suppressed++;
    this.settleWith(m.id, this.writer.markUnsent(m.id, 'suppressed', `consent withdrawn after the claim: ${sent} of ${r.parts} part(s) had been sent`, now));
    this.d.metrics?.smsState('suppressed');
    this.d.logger?.info({ outboundId: m.id, partsSent: sent }, 'text withheld: consent withdrawn after it was claimed');
  }

  private expire(m: ClaimedMessage, why: string): void {
    this.stats.expired++;
    const hours = Math.round((this.cfg.retryHorizonMs / HOUR_MS) * 10) / 10;
    this.settleWith(m.id, this.writer.markUnsent(m.id, 'expired', `not accepted by the SMSC within ${hours} h; ${why}`, this.d.clock.now()));
    this.d.metrics?.smsState('expired');
    this.d.logger?.warn({ outboundId: m.id, attempts: m.attempts }, 'text expired before the SMSC accepted it');
  }

  private onSubmitError(m: ClaimedMessage, e: unknown): void {
    const now = this.d.clock.now();
    const retryable = isAppError(e) ? e.retryable : true;
    const code = isAppError(e) ? e.code : 'INTERNAL';
    const reason = isAppError(e) ? `${e.code}: ${e.message}` : String(e);
    // The SMSC's hint (smpp-status-table.ts), within our own longest retry delay.
    const hinted = Math.min(this.cfg.retryMaxMs, isAppError(e) ? Number(e.details.backoffMs ?? 0) : 0);
    if (isAppError(e) && e.details.statusName === 'ESME_RTHROTTLED') {
      // Throttling is about the link, not the message: hold every claim, not just this one.
      this.pausedUntil = Math.max(this.pausedUntil, now + hinted);
    }
    if (!retryable) {
      this.stats.failed++;
      this.settleWith(m.id, this.writer.markUnsent(m.id, 'failed', reason, now));
      this.d.metrics?.smsState('failed');
      this.d.logger?.warn({ outboundId: m.id, code, attempts: m.attempts }, 'text failed');
      return;
    }
    // `attempts` counts this failed attempt too: the failures in a row so far.
    const delay = Math.max(hinted, backoffDelay({ initialMs: this.cfg.retryBaseMs, maxMs: this.cfg.retryMaxMs, jitter: 0.5 }, m.attempts));
    if (now + delay > m.createdAt + this.cfg.retryHorizonMs) {
      // A temporary condition that outlasted the text's validity: it is too late to send it, not a failure.
      this.expire(m, `last: ${reason}`);
      return;
    }
    this.stats.retried++;
    this.settleWith(m.id, this.writer.markRetry(m.id, reason, now + delay));
    this.d.logger?.info({ outboundId: m.id, delayMs: delay, code, part: isAppError(e) ? e.details.part : undefined }, 'text will be retried');
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Claims free: claimed texts and claims asked for hold one each, `window + answersAhead` in all. The
   * gateway puts at most `window` on the wire; the texts beyond it wait there for a slot, already claimed,
   * and take it the moment an answer frees it, while that answer waits for its commit. Every text sent
   * whose answer is not committed holds a claim: that is the in-doubt bound.
   */
  private free(): number {
    return this.cfg.window + this.cfg.answersAhead - this.inflight.size - this.reserved;
  }

  /**
   * Hands the turn's results, parts and receipts to the group commit, with a claim for the slots they free
   * (one commit, record and claim). A flush while a commit is out does nothing: that commit's end flushes
   * again. Slots free once the results are committed.
   */
  private flush(): void {
    this.flushScheduled = false;
    if (this.batch.committing) return;
    const now = this.d.clock.now();
    if (this.recoverNeeded && this.reserved === 0) this.recoverClaims(now);
    const results = this.batch.resultsWaiting;
    let limit = 0;
    if (this.wantClaim || (results > 0 && !this.queueDry)) {
      this.wantClaim = false;
      if (this.running && now < this.pausedUntil) this.wakeAt(this.pausedUntil);
      // The slots of the waiting results count as free: the claim runs after their record, in the same transaction.
      else if (this.canClaim(now)) limit = Math.max(0, this.free() + results);
    }
    if (limit === 0 && !this.batch.hasWaiting()) return this.maybeIdle();
    this.reserved += limit;
    this.batch.commit(limit > 0 ? { limit, now } : null, now, {
      recorded: (claimed) => this.claimed(limit, claimed, now),
      notRecorded: () => {
        this.reserved -= limit;
        // The claim may have committed before the failure: its rows must not wait in `submitting` unsent.
        if (limit > 0) this.recoverNeeded = true;
      },
      settled: () => {
        if (this.batch.hasWaiting() || this.wantClaim) this.scheduleFlush();
        this.maybeIdle();
      },
    });
  }

  /** A flush's commit went through: send what its claim returned, and decide when to claim again. */
  private claimed(limit: number, claimed: readonly ClaimedMessage[], now: number): void {
    this.reserved -= limit;
    for (const m of claimed) this.send(m);
    if (limit > 0 && claimed.length < limit) {
      this.queueDry = true;
      this.read(Promise.all([this.d.outbox.nextDueAt(), this.d.outbox.pendingCount()]), ([next, pending]) => {
        if (next !== null && next > now) this.wakeAt(next);
        // Still due: the claim stopped after its read budget of refusals (every row it read left the due
        // set), so another turn makes progress. A timer, not a microtask: sockets get their turn first.
        else if (next !== null) this.wakeAt(now);
        this.d.metrics?.outboxDepth(pending);
      });
    } else if (this.free() > 0 && !this.queueDry && this.running) {
      // Slots freed by results committed while another claim was out: ask for them.
      this.wantClaim = true;
      this.scheduleFlush();
    }
  }

  /** Puts back `submitting` rows that no text in flight here owns: claims whose answer was lost, never written. */
  private recoverClaims(now: number): void {
    this.recoverNeeded = false;
    // Until the start's recovery has run, what sits in `submitting` is the last run's: resent "may be sent twice".
    const keep = this.recoveredAtStart ? [...this.inflight] : undefined;
    this.write(this.writer.recoverInFlight(now, keep), (n) => {
      this.recoveredAtStart = true;
      if (n > 0) this.d.logger?.warn({ requeued: n }, 'requeued texts claimed while the outbox writer failed');
      this.kick();
    });
  }

  private canClaim(now: number): boolean {
    return this.running && this.recoveredAtStart && !this.recoverNeeded && this.d.gateway.status() === 'up' && now >= this.pausedUntil;
  }

  /**
   * A slot freed without a result to batch (a failure, a withheld text). The next claim waits for a
   * timer, not a microtask: a submit that fails at once (the socket is already gone, its `close` not yet
   * delivered) would otherwise be claimed, fail and be claimed again in one endless chain
   * that never lets the socket's events in (seen with a dropped link in the fault matrix).
   */
  private settle(id: number): void {
    this.inflight.delete(id);
    this.maybeIdle();
    if (this.running) this.wakeAt(this.d.clock.now());
  }
}
