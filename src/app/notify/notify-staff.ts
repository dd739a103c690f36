import { planDeliveries, type ChannelKind, type DeliveryTarget } from '../../domain/notify/delivery-plan.ts';
import type { RetryPolicy } from '../../domain/notify/retry-policy.ts';
import { backoffDelay } from '../../domain/retry/backoff.ts';
import { decideStaffSms, type StaffSmsRateLimit } from '../../domain/notify/staff-sms-rate-policy.ts';
import {
  buildCallNotification,
  buildReplyNotification,
  buildTestNotification,
  buildTranscriptNotification,
  type CallNotificationInput,
  type ReplyNotificationInput,
  type NotificationLimits,
  type StaffNotification,
} from '../../domain/notify/staff-notification.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { NotificationChannel, SendResult } from '../../domain/ports/notification-channel.ts';
import type { AsyncNotificationLog, AsyncStaffDirectory } from '../../domain/ports/async-stores.ts';
import type { FinalDeliveryState, NewDelivery } from '../../domain/ports/notification-log.ts';

/**
 * Tells the business's staff about a call. Every delivery (one per channel and person, one
 * webhook per business) runs on its own: started together, each retried with backoff on its own, each
 * attempt bounded by a timeout, so a failing or slow channel never holds up another. Every attempt and
 * the final state are recorded; call end → delivered latency goes to the record and to `metrics`.
 *
 * The call flow calls `notifyCall` after the call has ended and does not wait for it (`void`); the
 * service awaits `drain()` on shutdown. The stores are the async ports (SQLite in turns, or PostgreSQL:
 * src/store/postgres/README.md, "Async ports"), so every record is awaited.
 */
export interface NotifyMetrics {
  /** One per settled delivery; `latencyMs` (call end → delivered) only when delivered. */
  notificationSettled(channel: ChannelKind, state: FinalDeliveryState, latencyMs: number | null, urgent: boolean): void;
}

export interface NotifyStaffDeps {
  readonly staff: AsyncStaffDirectory;
  /** The channels this process has; a kind without a channel is recorded as skipped. */
  readonly channels: readonly NotificationChannel[];
  readonly log: AsyncNotificationLog;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly retry: RetryPolicy;
  readonly smsRate: StaffSmsRateLimit;
  readonly limits?: NotificationLimits;
  readonly metrics?: NotifyMetrics;
}

export interface DeliveryReport {
  readonly channel: ChannelKind;
  readonly staffId: number | null;
  readonly name: string | null;
  readonly address: string;
  readonly state: FinalDeliveryState;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly latencyMs: number | null;
  readonly ref: string | null;
}

export interface NotifyReport {
  readonly key: string;
  readonly urgent: boolean;
  readonly escalatedToAll: boolean;
  readonly deliveries: readonly DeliveryReport[];
}

export interface NotifyStaff {
  notifyCall(input: CallNotificationInput): Promise<NotifyReport>;
  /** The transcript of a message that landed after the call's notice went out saying it was pending. */
  notifyTranscript(input: CallNotificationInput): Promise<NotifyReport>;
  /** A caller's question or booking reply, forwarded to the on-call staff (same channels, retries and SMS rate limit). */
  notifyReply(input: ReplyNotificationInput): Promise<NotifyReport>;
  /** `callkeeper notify test`: one notification through every configured channel to everyone, one attempt each. */
  sendTest(business: { id: number; name: string; timezone: string; did: string | null }): Promise<NotifyReport>;
  /** Resolves when every delivery started so far has settled. */
  drain(): Promise<void>;
}

export function createNotifyStaff(deps: NotifyStaffDeps): NotifyStaff {
  const byKind = new Map<ChannelKind, NotificationChannel>(deps.channels.map((c) => [c.kind, c]));
  const inFlight = new Set<Promise<unknown>>();
  const warnedNoStaff = new Set<number>();
  const log = deps.logger.child({ component: 'notify' });

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => deps.clock.setTimer(ms, resolve));
  }

  /** One attempt, bounded by the attempt timeout even if the adapter ignores the abort signal. */
  async function attemptOnce(channel: NotificationChannel, n: StaffNotification, target: DeliveryTarget, deliveryId: string, attempt: number): Promise<SendResult> {
    const ac = new AbortController();
    let cancelTimer: () => void = () => {};
    const timedOut = new Promise<SendResult>((resolve) => {
      cancelTimer = deps.clock.setTimer(deps.retry.attemptTimeoutMs, () => {
        ac.abort(new Error('attempt timed out'));
        resolve({ ok: false, error: `timed out after ${deps.retry.attemptTimeoutMs} ms`, retryable: true });
      });
    });
    try {
      const sent = channel
        .send({ deliveryId, attempt, notification: n, target, signal: ac.signal })
        .catch((e: unknown): SendResult => ({ ok: false, error: (e as Error)?.message ?? String(e), retryable: true }));
      return await Promise.race([sent, timedOut]);
    } finally {
      cancelTimer();
    }
  }

  async function deliver(n: StaffNotification, target: DeliveryTarget, rowId: number, maxAttempts: number): Promise<DeliveryReport> {
    const channel = byKind.get(target.channel)!;
    const deliveryId = `${n.key}/${target.channel}/${target.staffId ?? 'business'}`;
    let lastError: string | null = null;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      const startedAt = deps.clock.now();
      const r = await attemptOnce(channel, n, target, deliveryId, attempt);
      const endedAt = deps.clock.now();
      await deps.log.attempt(rowId, { attempt, startedAt, endedAt, ok: r.ok, error: r.ok ? null : r.error, ref: r.ok ? r.ref : null });
      if (r.ok) {
        const latencyMs = Math.max(0, endedAt - n.since);
        return settle(n, target, rowId, { state: 'delivered', attempts: attempt, lastError: null, latencyMs, ref: r.ref });
      }
      lastError = r.error;
      log.warn({ channel: target.channel, staffId: target.staffId, callId: n.callId, attempt, error: r.error, retryable: r.retryable }, 'notification attempt failed');
      if (!r.retryable || attempt >= maxAttempts) break;
      await sleep(backoffDelay({ initialMs: deps.retry.baseDelayMs, maxMs: deps.retry.maxDelayMs }, attempt));
    }
    return settle(n, target, rowId, { state: 'failed', attempts: attempt, lastError, latencyMs: null, ref: null });
  }

  async function settle(
    n: StaffNotification,
    target: DeliveryTarget,
    rowId: number,
    r: { state: FinalDeliveryState; attempts: number; lastError: string | null; latencyMs: number | null; ref: string | null },
  ): Promise<DeliveryReport> {
    await deps.log.settle(rowId, { state: r.state, at: deps.clock.now(), lastError: r.lastError, latencyMs: r.latencyMs, ref: r.ref });
    deps.metrics?.notificationSettled(target.channel, r.state, r.latencyMs, n.urgent);
    if (r.state === 'delivered') log.info({ channel: target.channel, staffId: target.staffId, callId: n.callId, latencyMs: r.latencyMs, attempts: r.attempts }, 'notification delivered');
    else if (r.state === 'failed') log.error({ channel: target.channel, staffId: target.staffId, callId: n.callId, attempts: r.attempts, error: r.lastError }, 'notification failed');
    return { channel: target.channel, staffId: target.staffId, name: target.name, address: target.address, ...r };
  }

  /**
   * Plans, rate-limits and opens a notification's deliveries, one notification at a time: the staff
   * texts a concurrent notification has opened are counted before this one's are judged, so a burst of
   * calls cannot slip past the limit (the store answers later; nothing between these awaits may interleave).
   * Across nodes sharing PostgreSQL a staff text is counted and opened under a lock on the person
   * (`openStaffSms`), so the nodes together keep the limit too (src/store/postgres/README.md).
   */
  let planning: Promise<unknown> = Promise.resolve();
  function planInTurn<T>(fn: () => Promise<T>): Promise<T> {
    const turn = planning.then(fn);
    planning = turn.catch(() => {});
    return turn;
  }

  function newDelivery(n: StaffNotification, t: DeliveryTarget, now: number): NewDelivery {
    return {
      notificationKey: n.key,
      kind: n.kind,
      businessId: n.businessId,
      callId: n.callId,
      channel: t.channel,
      staffId: t.staffId,
      address: t.address,
      urgent: n.urgent,
      createdAt: now,
    };
  }

  function openRow(n: StaffNotification, t: DeliveryTarget, now: number): Promise<number> {
    return deps.log.open(newDelivery(n, t, now));
  }

  async function start(n: StaffNotification, timezone: string, maxAttempts: number): Promise<{ settled: DeliveryReport[]; running: Promise<DeliveryReport>[]; escalatedToAll: boolean }> {
    const now = deps.clock.now();
    const [staff, webhook] = await Promise.all([deps.staff.staffOf(n.businessId), deps.staff.webhookOf(n.businessId)]);
    const plan = planDeliveries({
      staff,
      webhookUrl: webhook?.url ?? null,
      urgent: n.urgent,
      kind: n.kind,
      at: now,
      timezone,
      available: [...byKind.keys()],
    });
    const open = (t: DeliveryTarget): Promise<number> => openRow(n, t, now);
    const settled: DeliveryReport[] = [];
    const running: Promise<DeliveryReport>[] = [];
    try {
      for (const s of plan.skipped) settled.push(await settle(n, s, await open(s), { state: 'skipped', attempts: 0, lastError: s.reason, latencyMs: null, ref: null }));
      await openTargets(n, plan.targets, now, maxAttempts, settled, running);
    } catch (err) {
      // A store failure part-way: the deliveries already started still finish (and `drain` waits for them).
      await Promise.allSettled(running);
      throw err;
    }
    if (plan.targets.length === 0) {
      // A business with no staff is a set-up gap, said once (and by `doctor`), not a warning on every call.
      const first = !warnedNoStaff.has(n.businessId);
      warnedNoStaff.add(n.businessId);
      (first ? log.warn : log.debug).call(log, { businessId: n.businessId, callId: n.callId }, 'no staff channel to notify');
    }
    return { settled, running, escalatedToAll: plan.escalatedToAll };
  }

  async function openTargets(
    n: StaffNotification,
    targets: readonly DeliveryTarget[],
    now: number,
    maxAttempts: number,
    settled: DeliveryReport[],
    running: Promise<DeliveryReport>[],
  ): Promise<void> {
    const open = (t: DeliveryTarget): Promise<number> => openRow(n, t, now);
    for (const t of targets) {
      let rowId: number;
      if (t.channel === 'sms' && t.staffId !== null && n.kind !== 'test') {
        // Counted and opened in one step of the store, so nodes sharing it never pass the limit together.
        const r = await deps.log.openStaffSms({ ...newDelivery(n, t, now), staffId: t.staffId }, now - deps.smsRate.windowMs, (sent) => decideStaffSms(sent, n.urgent, deps.smsRate));
        if ('refused' in r) {
          settled.push(await settle(n, t, await open(t), { state: 'rate-limited', attempts: 0, lastError: r.refused, latencyMs: null, ref: null }));
          continue;
        }
        rowId = r.id;
      } else {
        rowId = await open(t);
      }
      const delivery = deliver(n, t, rowId, maxAttempts).catch((e: unknown) =>
        settle(n, t, rowId, { state: 'failed', attempts: 0, lastError: `internal: ${(e as Error)?.message ?? String(e)}`, latencyMs: null, ref: null }),
      );
      // Observed now: it may fail (the store could not record it) while later targets are still being opened.
      delivery.catch(() => undefined);
      running.push(delivery);
    }
  }

  function run(n: StaffNotification, timezone: string, maxAttempts: number): Promise<NotifyReport> {
    const all = planInTurn(() => start(n, timezone, maxAttempts)).then(async ({ settled, running, escalatedToAll }) => ({
      key: n.key,
      urgent: n.urgent,
      escalatedToAll,
      deliveries: [...settled, ...(await everySettled(running))],
    }));
    // In flight from the call on, so that `drain()` also waits for a notification still being planned.
    inFlight.add(all);
    void all.catch(() => undefined).finally(() => inFlight.delete(all));
    return all;
  }

  return {
    notifyCall(input) {
      return run(buildCallNotification(input, deps.limits), input.business.timezone, deps.retry.maxAttempts);
    },
    notifyTranscript(input) {
      return run(buildTranscriptNotification(input, deps.limits), input.business.timezone, deps.retry.maxAttempts);
    },
    notifyReply(input) {
      return run(buildReplyNotification(input, deps.limits), input.business.timezone, deps.retry.maxAttempts);
    },
    sendTest(business) {
      return run(buildTestNotification(business, deps.clock.now(), business.did), business.timezone, 1);
    },
    async drain() {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
  };
}

/** Every delivery's report once all have settled; the first failure (a store that could not record) only after that, so none is left running unobserved. */
async function everySettled(running: readonly Promise<DeliveryReport>[]): Promise<DeliveryReport[]> {
  const results = await Promise.allSettled(running);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<DeliveryReport>).value);
}
