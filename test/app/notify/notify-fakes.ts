import { AppError } from '../../../src/domain/errors.ts';
import type { ChannelKind } from '../../../src/domain/notify/delivery-plan.ts';
import type { StaffMember } from '../../../src/domain/notify/staff-member.ts';
import type { StaffSmsDecision } from '../../../src/domain/notify/staff-sms-rate-policy.ts';
import type { Clock } from '../../../src/domain/ports/clock.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';
import type { DeliveryRequest, NotificationChannel, SendResult } from '../../../src/domain/ports/notification-channel.ts';
import type { AsyncNotificationLog, AsyncStaffDirectory } from '../../../src/domain/ports/async-stores.ts';
import type { DeliveryAttempt, DeliverySettlement, NewDelivery } from '../../../src/domain/ports/notification-log.ts';
import type { WebhookConfig } from '../../../src/domain/ports/staff-directory.ts';
import type { NotifyMetrics } from '../../../src/app/notify/notify-staff.ts';
import { DEFAULT_WAIT_MS, withTimeout } from '../../support/wait-for.ts';

/** Scripted channel (a fake with knobs): per attempt, a result, a throw, or "hold until aborted/released". */
export type Step = SendResult | { hold: true } | { throws: string };

export class FakeChannel implements NotificationChannel {
  readonly kind: ChannelKind;
  readonly requests: DeliveryRequest[] = [];
  readonly aborted: DeliveryRequest[] = [];
  private script: (req: DeliveryRequest) => Step;
  private readonly held: ((r: SendResult) => void)[] = [];

  constructor(kind: ChannelKind, script: (req: DeliveryRequest) => Step = () => ({ ok: true, ref: 'ok' })) {
    this.kind = kind;
    this.script = script;
  }

  send(req: DeliveryRequest): Promise<SendResult> {
    this.requests.push(req);
    const step = this.script(req);
    if ('throws' in step) return Promise.reject(new Error(step.throws));
    if ('hold' in step) {
      return new Promise((resolve) => {
        this.held.push(resolve);
        // Deliberately ignores the abort for its result: the use case must not depend on the adapter honouring it.
        req.signal.addEventListener('abort', () => this.aborted.push(req));
      });
    }
    return Promise.resolve(step);
  }

  /** Changes what the next attempts do. */
  rescript(script: (req: DeliveryRequest) => Step): void {
    this.script = script;
  }

  release(r: SendResult = { ok: true, ref: 'late' }): void {
    for (const f of this.held.splice(0)) f(r);
  }
}

/** The staff directory behind its async port, as the use case sees every store (SQLite in turns, PostgreSQL). */
export class FakeDirectory implements AsyncStaffDirectory {
  constructor(
    public staff: StaffMember[],
    public webhook: WebhookConfig | undefined = undefined,
  ) {}
  async staffOf(businessId: number): Promise<StaffMember[]> {
    return this.staff.filter((s) => s.businessId === businessId);
  }
  async webhookOf(businessId: number): Promise<WebhookConfig | undefined> {
    return this.webhook?.businessId === businessId ? this.webhook : undefined;
  }
}

/** The notification log behind its async port; each call answers on a later microtask, as a store would. */
export class MemoryNotificationLog implements AsyncNotificationLog {
  readonly rows: (NewDelivery & { id: number; state: string; attempts: DeliveryAttempt[]; settlement?: DeliverySettlement })[] = [];
  async open(d: NewDelivery): Promise<number> {
    const id = this.rows.length + 1;
    this.rows.push({ ...d, id, state: 'sending', attempts: [] });
    return id;
  }
  async attempt(id: number, a: DeliveryAttempt): Promise<void> {
    const r = this.#row(id);
    r.attempts.push(a);
    if (!a.ok) r.state = 'retrying';
  }
  async settle(id: number, s: DeliverySettlement): Promise<void> {
    const r = this.#row(id);
    r.state = s.state;
    r.settlement = s;
  }
  async staffSmsSince(staffId: number, since: number): Promise<number> {
    return this.rows.filter((r) => r.channel === 'sms' && r.staffId === staffId && r.createdAt > since && r.state !== 'rate-limited' && r.state !== 'skipped').length;
  }
  /** Count and open in one synchronous step (one process, one array: nothing can come between). */
  async openStaffSms(d: NewDelivery & { readonly staffId: number }, since: number, decide: (sentInWindow: number) => StaffSmsDecision): Promise<{ readonly id: number } | { readonly refused: string }> {
    const verdict = decide(this.rows.filter((r) => r.channel === 'sms' && r.staffId === d.staffId && r.createdAt > since && r.state !== 'rate-limited' && r.state !== 'skipped').length);
    if (!verdict.allow) return { refused: verdict.reason };
    const id = this.rows.length + 1;
    this.rows.push({ ...d, id, state: 'sending', attempts: [] });
    return { id };
  }
  #row(id: number): MemoryNotificationLog['rows'][number] {
    const r = this.rows[id - 1];
    // As the SQLite log (test/contract/notification-log-contract.ts).
    if (r === undefined) throw new AppError('INPUT.NOT_FOUND', `no notification delivery with id ${id}`);
    return r;
  }
}

/** Records settlements in order and lets a test wait for one. */
export class RecordingMetrics implements NotifyMetrics {
  readonly events: { channel: ChannelKind; state: string; latencyMs: number | null; urgent: boolean }[] = [];
  private waiters: { pred: (e: RecordingMetrics['events'][number]) => boolean; resolve: () => void }[] = [];
  notificationSettled(channel: ChannelKind, state: string, latencyMs: number | null, urgent: boolean): void {
    const e = { channel, state, latencyMs, urgent };
    this.events.push(e);
    this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(), false) : true));
  }
  waitFor(pred: (e: RecordingMetrics['events'][number]) => boolean): Promise<void> {
    if (this.events.some(pred)) return Promise.resolve();
    return withTimeout(new Promise((resolve) => this.waiters.push({ pred, resolve })), DEFAULT_WAIT_MS, 'a notification to settle as the test expects');
  }
}

/**
 * Real time for short timers (retry backoff of a few ms), manual for long ones (attempt timeouts): a test
 * decides when an attempt times out with `advance`, so nothing depends on how fast the machine is.
 */
export class SplitClock implements Clock {
  private offset = 0;
  private pending: { due: number; fn: () => void; done: boolean }[] = [];
  constructor(private readonly realBelowMs = 100) {}
  now(): number {
    return Date.now() + this.offset;
  }
  setTimer(ms: number, fn: () => void): () => void {
    if (ms < this.realBelowMs) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    }
    const timer = { due: this.now() + ms, fn, done: false };
    this.pending.push(timer);
    return () => {
      timer.done = true;
    };
  }
  advance(ms: number): void {
    this.offset += ms;
    const due = this.pending.filter((t) => !t.done && t.due <= this.now());
    this.pending = this.pending.filter((t) => !due.includes(t));
    for (const t of due) {
      t.done = true;
      t.fn();
    }
  }
  get pendingCount(): number {
    return this.pending.filter((t) => !t.done).length;
  }
}

export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

export const staffMember = (id: number, over: Partial<StaffMember> = {}): StaffMember => ({
  id,
  businessId: 1,
  name: `Tech ${id}`,
  mobile: `+1512555020${id}`,
  email: `tech${id}@example.com`,
  onCall: null,
  channels: ['sms', 'email'],
  createdAt: 0,
  ...over,
});
