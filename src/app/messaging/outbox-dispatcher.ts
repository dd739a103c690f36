import { isAppError } from '../../domain/errors.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import type { ClaimedMessage, DispatchOutbox } from '../../domain/ports/outbox.ts';
import type { DeliveryReceipt, SmsGateway } from '../../domain/ports/sms-gateway.ts';

/**
 * Sends the outbox. At most `window` messages are `submitting` at once, and a slot is freed
 * only after the result is committed: so after a crash at most `window` messages can be in doubt, and a
 * restart (`recoverInFlight`) resends exactly those. Results and receipts are written in batches (one
 * transaction per event-loop turn) so that the database keeps pace with a pipelined SMPP link.
 */
export interface DispatcherConfig {
  /** The SMPP window: also the most messages in doubt after a crash. */
  readonly window: number;
  /** First retry delay of a retryable failure; doubles per attempt. */
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  /** After this many attempts a retryable failure becomes `failed`. */
  readonly maxAttempts?: number;
  /** How often to look for texts queued by another process (the CLI) or come due (quiet hours, retries). */
  readonly pollMs?: number;
}

export interface DispatcherDeps {
  readonly outbox: DispatchOutbox;
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

export class OutboxDispatcher {
  private readonly cfg: Required<DispatcherConfig>;
  private readonly d: DispatcherDeps;
  private running = false;
  private inflight = 0;
  private pausedUntil = 0;
  private cancelPoll: (() => void) | null = null;
  private cancelWake: (() => void) | null = null;
  private pumpScheduled = false;
  private submittedBatch: Submitted[] = [];
  private receiptBatch: Array<{ r: DeliveryReceipt; done: (e?: unknown) => void }> = [];
  private flushScheduled = false;
  private readonly orphans = new Map<string, DeliveryReceipt>();
  private idleWaiters: Array<() => void> = [];
  private unsubscribe: (() => void) | null = null;
  /** Counters for logs, tests and the bench. */
  readonly stats = { submitted: 0, retried: 0, failed: 0, receipts: 0, orphanReceipts: 0, flushes: 0 };

  constructor(cfg: DispatcherConfig, deps: DispatcherDeps) {
    this.cfg = { retryBaseMs: 2_000, retryMaxMs: 300_000, maxAttempts: 8, pollMs: 1_000, ...cfg };
    this.d = deps;
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
      this.kick();
      this.schedulePoll();
    });
  }

  private pump(): void {
    if (!this.running || this.d.gateway.status() !== 'up') return;
    const now = this.d.clock.now();
    if (now < this.pausedUntil) return this.wakeAt(this.pausedUntil);
    const free = this.cfg.window - this.inflight;
    if (free <= 0) return;
    const claimed = this.d.outbox.claim(free, now);
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
    this.d.gateway.submit({ from: m.from, to: m.to, text: m.body }).then(
      (r) => {
        this.stats.submitted++;
        this.submittedBatch.push({ id: m.id, messageIds: r.messageIds, parts: r.parts, at: this.d.clock.now() });
        this.d.metrics?.smsState('submitted');
        this.scheduleFlush();
      },
      (e: unknown) => {
        try {
          this.onSubmitError(m, e);
        } finally {
          this.settle(1);
        }
      },
    );
  }

  private onSubmitError(m: ClaimedMessage, e: unknown): void {
    const now = this.d.clock.now();
    const retryable = isAppError(e) ? e.retryable : true;
    const reason = isAppError(e) ? `${e.code}: ${e.message}` : String(e);
    const hinted = isAppError(e) ? Number(e.details.backoffMs ?? 0) : 0;
    if (isAppError(e) && e.details.statusName === 'ESME_RTHROTTLED') {
      // Throttling is about the link, not the message: hold every claim, not just this one.
      this.pausedUntil = Math.max(this.pausedUntil, now + hinted);
    }
    if (!retryable || m.attempts >= this.cfg.maxAttempts) {
      this.stats.failed++;
      this.d.outbox.markFailed(m.id, reason, now);
      this.d.metrics?.smsState('failed');
      this.d.logger?.warn({ outboundId: m.id, code: isAppError(e) ? e.code : 'INTERNAL', attempts: m.attempts }, 'text failed');
      return;
    }
    const exp = Math.min(this.cfg.retryMaxMs, this.cfg.retryBaseMs * 2 ** (m.attempts - 1));
    const delay = Math.max(hinted, Math.round(exp / 2 + (Math.random() * exp) / 2));
    this.stats.retried++;
    this.d.outbox.markRetry(m.id, reason, now + delay);
    this.d.logger?.info({ outboundId: m.id, delayMs: delay, code: isAppError(e) ? e.code : 'INTERNAL' }, 'text will be retried');
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
    this.submittedBatch = [];
    this.receiptBatch = [];
    const now = this.d.clock.now();
    const late: DeliveryReceipt[] = [];
    for (const s of submitted) {
      for (const id of s.messageIds) {
        const o = this.orphans.get(id.toLowerCase());
        if (o) {
          this.orphans.delete(id.toLowerCase());
          late.push(o);
        }
      }
    }
    const all = [...receipts.map((x) => x.r), ...late];
    let claimed: ClaimedMessage[] = [];
    try {
      const matched = this.d.outbox.atomically(() => {
        const m = this.d.outbox.recordBatch(submitted, all, now);
        const free = this.cfg.window - (this.inflight - submitted.length);
        if (this.canClaim(now) && free > 0) claimed = this.d.outbox.claim(free, now);
        return m;
      });
      matched.forEach((id, i) => {
        if (id === null && i < receipts.length) this.keepOrphan(all[i]!);
        else if (id !== null) this.stats.receipts++;
      });
      for (const x of receipts) x.done();
    } catch (e) {
      // The receipts are answered with a temporary error so the SMSC resends them; submits stay
      // `submitting` and are resolved by recoverInFlight at the next start.
      this.d.logger?.error({ err: (e as Error).message }, 'could not record SMS results');
      for (const x of receipts) x.done(e);
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

  private settle(n: number): void {
    this.inflight -= n;
    if (this.inflight === 0 && !this.flushScheduled) for (const w of this.idleWaiters.splice(0)) w();
    if (n > 0) this.kick();
  }
}
