import { AppError, isAppError } from '../../domain/errors.ts';
import { isUrgent, type SendingRules } from '../../domain/messaging/sending-policy.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import type { AcceptedPart, ClaimedMessage, DispatchOutbox, SendDecider } from '../../domain/ports/outbox.ts';
import type { DeliveryReceipt, SmsGateway, SubmitResult } from '../../domain/ports/sms-gateway.ts';
import { backoffDelay } from '../../domain/retry/backoff.ts';
import { sendDecider } from './send-decider.ts';

/**
 * Sends the outbox. At most `window` messages are `submitting` at once, a slot is
 * freed only after the result is committed, and the next part of a long text is written only after the
 * previous part's acceptance is committed: so after a crash at most `window` parts can be in doubt, and
 * a restart (`recoverInFlight`) resends exactly those. Results and receipts are written in batches (one
 * transaction per event-loop turn) so that the database keeps pace with a pipelined SMPP link.
 * Before each part is written the gateway asks `outbox.mayStillSend` (a STOP committed since the claim
 * wins: the text ends `suppressed`). Retryable failures are retried with backoff until the text's retry
 * horizon, then it is `expired`; only a permanent refusal is `failed`.
 */
export interface DispatcherConfig {
  /** The SMPP window: also the most messages in doubt after a crash. */
  readonly window: number;
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
}

export interface DispatcherDeps {
  readonly outbox: DispatchOutbox;
  /** The sending rules every claim applies (send-decider.ts). */
  readonly rules: SendingRules;
  readonly gateway: SmsGateway;
  readonly clock: Clock;
  readonly logger?: Logger;
  readonly metrics?: Metrics;
}

interface Submitted {
  id: number;
  messageIds: readonly string[];
  parts: number;
  at: number;
}

/** Receipts for ids we have not recorded yet (the receipt can overtake the submit_sm_resp's commit). */
const ORPHAN_LIMIT = 10_000;
const HOUR_MS = 3_600_000;

interface PartAccepted extends AcceptedPart {
  readonly id: number;
  readonly done: (e?: unknown) => void;
}

export class OutboxDispatcher {
  private readonly cfg: Required<DispatcherConfig>;
  private readonly d: DispatcherDeps;
  private readonly decide: SendDecider;
  private running = false;
  private inflight = 0;
  private pausedUntil = 0;
  private cancelPoll: (() => void) | null = null;
  private cancelWake: (() => void) | null = null;
  private pumpScheduled = false;
  private submittedBatch: Submitted[] = [];
  private receiptBatch: Array<{ r: DeliveryReceipt; done: (e?: unknown) => void }> = [];
  private partBatch: PartAccepted[] = [];
  private nextReceiptSweep = 0;
  private flushScheduled = false;
  private readonly orphans = new Map<string, DeliveryReceipt>();
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;
  /** Counters for logs, tests and the bench. */
  readonly stats = { submitted: 0, retried: 0, failed: 0, expired: 0, suppressed: 0, unknown: 0, receipts: 0, orphanReceipts: 0, flushes: 0 };

  constructor(cfg: DispatcherConfig, deps: DispatcherDeps) {
    this.cfg = { retryBaseMs: 2_000, retryMaxMs: 300_000, retryHorizonMs: 24 * HOUR_MS, receiptTimeoutMs: null, receiptSweepMs: 60_000, pollMs: 1_000, ...cfg };
    this.d = deps;
    this.decide = sendDecider(deps.rules);
  }

  /** Resolves `submitting` rows left by a crash, subscribes to the gateway, and starts sending. */
  start(): void {
    if (this.running) return;
    this.running = true;
    const recovered = this.d.outbox.recoverInFlight(this.d.clock.now());
    if (recovered > 0) this.d.logger?.warn({ recovered }, 'requeued texts that were in flight at the last stop');
    this.d.gateway.onReceipt((r) => this.onReceipt(r));
    this.unsubscribe = this.d.gateway.onStatus((s) => {
      if (s === 'up') this.kick();
    });
    this.schedulePoll();
    this.kick();
  }

  /** Stops claiming; resolves when every in-flight submit has settled and been recorded. */
  async stop(): Promise<void> {
    this.running = false;
    this.cancelPoll?.();
    this.cancelWake?.();
    this.unsubscribe?.();
    await this.whenIdle();
  }

  /** Wakes the dispatcher now (after an enqueue). */
  kick(): void {
    if (this.pumpScheduled || !this.running) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Resolves when nothing is in flight and nothing is due (tests, bench, `sms send --dispatch`). */
  async drain(): Promise<void> {
    for (;;) {
      this.kick();
      await this.whenIdle();
      const next = this.d.outbox.nextDueAt();
      if (this.inflight === 0 && (next === null || next > this.d.clock.now()) && this.d.outbox.pendingCount() === 0) return;
      await new Promise<void>((r) => this.d.clock.setTimer(Math.min(this.cfg.pollMs, 50), r));
    }
  }

  /** Resolves when nothing is in flight and nothing is due now (texts held for later stay queued). */
  async drainDue(): Promise<void> {
    for (;;) {
      this.kick();
      await this.whenIdle();
      const next = this.d.outbox.nextDueAt();
      if (this.inflight === 0 && (next === null || next > this.d.clock.now())) return;
      await new Promise<void>((r) => this.d.clock.setTimer(Math.min(this.cfg.pollMs, 50), r));
    }
  }

  private whenIdle(): Promise<void> {
    if (this.inflight === 0 && !this.flushScheduled) return Promise.resolve();
    return new Promise((r) => this.idleWaiters.push(r));
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
   * Texts the SMSC accepted but never reported on become `unknown` (src/sms/README.md): the SMSC's own validity
   * period has long passed, so no final receipt is coming; a late one still settles the text.
   */
  private sweepReceipts(): number {
    const timeout = this.cfg.receiptTimeoutMs;
    const now = this.d.clock.now();
    if (timeout === null || now < this.nextReceiptSweep) return 0;
    this.nextReceiptSweep = now + this.cfg.receiptSweepMs;
    const hours = Math.round((timeout / HOUR_MS) * 10) / 10;
    const n = this.d.outbox.markReceiptsOverdue(now - timeout, `no final delivery receipt within ${hours} h`, now);
    if (n > 0) {
      this.stats.unknown += n;
      this.d.metrics?.smsState('unknown', n);
      this.d.logger?.warn({ texts: n, receiptTimeoutHours: hours }, 'texts without a delivery receipt are now unknown');
    }
    return n;
  }

  private pump(): void {
    if (!this.running || this.d.gateway.status() !== 'up') return;
    const now = this.d.clock.now();
    if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
    const free = this.cfg.window - this.inflight;
    if (free <= 0) return;
    const claimed = this.d.outbox.claim(free, now, this.decide);
    for (const m of claimed) this.send(m);
    if (claimed.length < free) {
      const next = this.d.outbox.nextDueAt();
      if (next !== null && next > now) this.wakeAt(next);
      // Still due: the claim stopped after its read budget of refusals (every row it read left the due
      // set), so another turn makes progress. A timer, not a microtask: sockets get their turn first.
      else if (next !== null) this.wakeAt(now);
    }
    this.d.metrics?.outboxDepth(this.d.outbox.pendingCount());
  }

  private wakeAt(at: number): void {
    this.cancelWake?.();
    this.cancelWake = this.d.clock.setTimer(Math.max(0, at - this.d.clock.now()), () => this.kick());
  }

  private send(m: ClaimedMessage): void {
    this.inflight++;
    if (this.d.clock.now() > m.createdAt + this.cfg.retryHorizonMs) {
      // Queued (or waiting for a retry) through a long SMSC outage: past its validity, too late to be useful (README "Retries").
      return this.settleAfter(() => this.expire(m, m.lastReason === null ? 'not sent: the SMSC was unreachable' : `last: ${m.lastReason}`));
    }
    this.d.gateway
      .submit(
        { from: m.from, to: m.to, text: m.body },
        {
          urgent: isUrgent(m.kind),
          // The same reference on every attempt (a retry resends only the missing parts, which must join the others).
          concatRef: m.id & 0xff,
          accepted: new Map(m.acceptedParts.map((p) => [p.part, p.messageId])),
          mayWrite: () => this.d.outbox.mayStillSend(m),
          onPartAccepted: (part, messageId) => this.recordPart(m.id, part, messageId),
        },
      )
      .then(
        (r) => {
          if (r.withheldFromPart !== null) return this.settleAfter(() => this.onWithheld(m, r));
          this.stats.submitted++;
          this.submittedBatch.push({ id: m.id, messageIds: r.messageIds, parts: r.parts, at: this.d.clock.now() });
          this.d.metrics?.smsState('submitted');
          this.scheduleFlush();
        },
        (e: unknown) => this.settleAfter(() => this.onSubmitError(m, e)),
      );
  }

  private settleAfter(fn: () => void): void {
    try {
      fn();
    } finally {
      this.settle(1);
    }
  }

  /** The next part is written once this one's acceptance is committed (≤ one part per slot in doubt). */
  private recordPart(id: number, part: number, messageId: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.partBatch.push({ id, part, messageId, done: (e) => (e ? reject(e) : resolve()) });
      this.scheduleFlush();
    });
  }

  /** A STOP committed after the claim: the parts not yet written stay unwritten (src/sms/README.md, "No part after STOP"). */
  private onWithheld(m: ClaimedMessage, r: SubmitResult): void {
    const now = this.d.clock.now();
    const sent = r.withheldFromPart! - 1;
    this.stats.suppressed++;
    this.d.outbox.markUnsent(m.id, 'suppressed', `consent withdrawn after the claim: ${sent} of ${r.parts} part(s) had been sent`, now);
    this.d.metrics?.smsState('suppressed');
    this.d.logger?.info({ outboundId: m.id, partsSent: sent }, 'text withheld: consent withdrawn after it was claimed');
  }

  private expire(m: ClaimedMessage, why: string): void {
    this.stats.expired++;
    const hours = Math.round((this.cfg.retryHorizonMs / HOUR_MS) * 10) / 10;
    this.d.outbox.markUnsent(m.id, 'expired', `not accepted by the SMSC within ${hours} h; ${why}`, this.d.clock.now());
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
      this.d.outbox.markUnsent(m.id, 'failed', reason, now);
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
    this.d.outbox.markRetry(m.id, reason, now + delay);
    this.d.logger?.info({ outboundId: m.id, delayMs: delay, code, part: isAppError(e) ? e.details.part : undefined }, 'text will be retried');
  }

  private onReceipt(r: DeliveryReceipt): Promise<void> {
    return new Promise((resolve, reject) => {
      this.receiptBatch.push({ r, done: (e) => (e ? reject(e) : resolve()) });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => this.flush());
  }

  /**
   * Writes the batch and claims the next messages for the freed slots in the same transaction (one
   * commit per turn instead of two). Slots free only once the results are committed.
   */
  private flush(): void {
    this.flushScheduled = false;
    this.stats.flushes++;
    const submitted = this.submittedBatch;
    const receipts = this.receiptBatch;
    const parts = this.partBatch;
    this.submittedBatch = [];
    this.receiptBatch = [];
    this.partBatch = [];
    const now = this.d.clock.now();
    const late: DeliveryReceipt[] = [];
    const adopt = (id: string): void => {
      const o = this.orphans.get(id.toLowerCase());
      if (o) {
        this.orphans.delete(id.toLowerCase());
        late.push(o);
      }
    };
    for (const s of submitted) for (const id of s.messageIds) adopt(id);
    for (const p of parts) adopt(p.messageId);
    const all = [...receipts.map((x) => x.r), ...late];
    let claimed: ClaimedMessage[] = [];
    try {
      const matched = this.d.outbox.atomically(() => {
        const m = this.d.outbox.recordBatch(submitted, all, now, parts);
        const free = this.cfg.window - (this.inflight - submitted.length);
        if (this.canClaim(now) && free > 0) claimed = this.d.outbox.claim(free, now, this.decide);
        return m;
      });
      matched.forEach((id, i) => {
        if (id === null && i < receipts.length) this.keepOrphan(all[i]!);
        else if (id !== null) this.stats.receipts++;
      });
      for (const x of receipts) x.done();
      for (const p of parts) p.done();
    } catch (e) {
      // The receipts are answered with a temporary error so the SMSC resends them; submits stay
      // `submitting` and are resolved by recoverInFlight at the next start.
      this.d.logger?.error({ err: (e as Error).message }, 'could not record SMS results');
      for (const x of receipts) x.done(e);
      // The part's text fails retryable (its accepted part may be resent: in doubt, like any crash).
      for (const p of parts) p.done(new AppError('INTERNAL', 'could not record an accepted part', { retryable: true, cause: e }));
    }
    this.inflight -= submitted.length;
    for (const m of claimed) this.send(m);
    if (this.inflight === 0 && !this.flushScheduled) for (const w of this.idleWaiters.splice(0)) w();
    if (submitted.length > 0 && claimed.length === 0) this.kick();
  }

  private canClaim(now: number): boolean {
    return this.running && this.d.gateway.status() === 'up' && now >= this.pausedUntil;
  }

  private keepOrphan(r: DeliveryReceipt): void {
    this.stats.orphanReceipts++;
    if (this.orphans.size >= ORPHAN_LIMIT) {
      const oldest = this.orphans.keys().next().value;
      if (oldest !== undefined) this.orphans.delete(oldest);
    }
    for (const id of r.messageIds) this.orphans.set(id.toLowerCase(), r);
  }

  /**
   * A slot freed without a result to record (a failure, a withheld text). The next claim waits for a
   * timer, not a microtask: a submit that fails at once (the socket is already gone, its `close` not yet
   * delivered) would otherwise be claimed, fail and be claimed again in one endless microtask chain
   * that never lets the socket's events in (seen with a dropped link in the fault matrix).
   */
  private settle(n: number): void {
    this.inflight -= n;
    if (this.inflight === 0 && !this.flushScheduled) for (const w of this.idleWaiters.splice(0)) w();
    if (n > 0 && this.running) this.wakeAt(this.d.clock.now());
  }
}
