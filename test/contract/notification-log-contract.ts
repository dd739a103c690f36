/**
 * The NotificationLog contract: every log of staff notifications (SQLite, the notify tests' in-memory
 * log, PostgreSQL next) records each delivery and each attempt, so "did the plumber get it?" has an
 * answer, and counts staff texts for the rate limit. The port only writes (and counts), so each harness
 * reads a delivery back its own way (`read`). Guarantees checked:
 * - open returns a new growing id; the delivery reads back as given, `sending`, with no attempt;
 * - attempts are kept in order with every field; a failed attempt moves the delivery to `retrying`,
 *   a successful one leaves the state to `settle`;
 * - settle records the final state and its fields on that delivery only;
 * - `staffSmsSince` counts one person's texts opened after `since` (exclusive), rate-limited and skipped
 *   ones excluded, e-mails and other people's texts never;
 * - `openStaffSms` hands `decide` what `staffSmsSince` counts and opens the delivery (as `open`) only when it
 *   allows; refused, it opens nothing and returns the reason;
 * - an attempt or settlement naming a delivery never opened is INPUT.NOT_FOUND and records nothing.
 *
 * Every call on the log is awaited (test/contract/contract-harness.ts).
 */
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import type { DeliveryAttempt, DeliverySettlement, DeliveryState, NewDelivery, NotificationLog } from '../../src/domain/ports/notification-log.ts';
import { openHarness, rejectsWithCode, type AsyncPort, type Awaitable, type HarnessFactory, type Teardown } from './contract-harness.ts';

/** A delivery as recorded. `settlement` is null until settled (its `state` then is the final one). */
export interface DeliveryView extends NewDelivery {
  readonly state: DeliveryState;
  readonly attempts: readonly DeliveryAttempt[];
  readonly settlement: DeliverySettlement | null;
}

export interface NotificationLogHarness extends Teardown {
  readonly log: AsyncPort<NotificationLog>;
  /** A business, two of its staff and one of its calls that exist in the store. */
  readonly businessId: number;
  readonly staffIds: readonly [number, number];
  readonly callId: number;
  read(deliveryId: number): Awaitable<DeliveryView | undefined>;
}

/** A `notification_deliveries` row as both SQL harnesses read it back; `urgent` is 0/1 on SQLite, a boolean on PostgreSQL. */
export interface DeliveryRow<Urgent> {
  notification_key: string; kind: DeliveryView['kind']; business_id: number; call_id: number | null; channel: DeliveryView['channel'];
  staff_id: number | null; address: string; urgent: Urgent; state: DeliveryState; last_error: string | null; ref: string | null;
  created_at: number; updated_at: number; latency_ms: number | null;
}

const FINAL: ReadonlySet<string> = new Set(['delivered', 'failed', 'rate-limited', 'skipped']);

/** The view a harness's `read` returns for a row, its urgent flag already read and its attempts from the log. */
export function viewOfRow(r: DeliveryRow<unknown>, urgent: boolean, attempts: readonly DeliveryAttempt[]): DeliveryView {
  const settlement: DeliverySettlement | null = FINAL.has(r.state)
    ? { state: r.state as DeliverySettlement['state'], at: r.updated_at, lastError: r.last_error, latencyMs: r.latency_ms, ref: r.ref }
    : null;
  return {
    notificationKey: r.notification_key, kind: r.kind, businessId: r.business_id, callId: r.call_id, channel: r.channel, staffId: r.staff_id,
    address: r.address, urgent, createdAt: r.created_at, state: r.state, attempts, settlement,
  };
}

const T0 = Date.UTC(2026, 4, 26, 14, 0, 0);

export function runNotificationLogContract(name: string, factory: HarnessFactory<NotificationLogHarness>): void {
  describe(`NotificationLog contract: ${name}`, () => {
    async function open(t: TestContext): Promise<NotificationLogHarness & { delivery(over?: Partial<NewDelivery>): NewDelivery }> {
      const h = await openHarness(t, factory);
      return {
        ...h,
        delivery: (over = {}) => ({
          notificationKey: 'call-1', kind: 'call', businessId: h.businessId, callId: h.callId, channel: 'sms',
          staffId: h.staffIds[0], address: '+15125550142', urgent: false, createdAt: T0, ...over,
        }),
      };
    }

    test('open returns a new growing id; the delivery reads back as given, sending, with no attempt', async (t) => {
      const h = await open(t);
      const sms = h.delivery({ urgent: true });
      const hook = h.delivery({ notificationKey: 'reply-7', kind: 'reply', callId: null, channel: 'webhook', staffId: null, address: 'https://crm.example/h', createdAt: T0 + 1 });
      const a = await h.log.open(sms);
      const b = await h.log.open(hook);
      assert.ok(a > 0 && b > a, `ids ${a}, ${b}`);
      assert.deepEqual(await h.read(a), { ...sms, state: 'sending', attempts: [], settlement: null });
      assert.deepEqual(await h.read(b), { ...hook, state: 'sending', attempts: [], settlement: null });
    });

    test('attempts are kept in order; a failed one means retrying, a good one leaves the state to settle', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.delivery());
      const other = await h.log.open(h.delivery({ channel: 'email', address: 'dana@acme.test' }));
      const failed: DeliveryAttempt = { attempt: 1, startedAt: T0 + 10, endedAt: T0 + 20, ok: false, error: 'SMS.SUBMIT_TIMEOUT', ref: null };
      const good: DeliveryAttempt = { attempt: 2, startedAt: T0 + 30, endedAt: T0 + 45, ok: true, error: null, ref: 'outbox 9' };
      await h.log.attempt(id, failed);
      assert.equal((await h.read(id))?.state, 'retrying');
      await h.log.attempt(id, good);
      const back = await h.read(id);
      assert.equal(back?.state, 'retrying', 'only settle ends a delivery');
      assert.deepEqual(back?.attempts, [failed, good]);
      assert.deepEqual(await h.read(other), { ...h.delivery({ channel: 'email', address: 'dana@acme.test' }), state: 'sending', attempts: [], settlement: null });
    });

    test('settle records the final state and its fields on that delivery only', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.delivery());
      const other = await h.log.open(h.delivery({ staffId: h.staffIds[1] }));
      await h.log.attempt(id, { attempt: 1, startedAt: T0 + 10, endedAt: T0 + 20, ok: true, error: null, ref: 'outbox 3' });
      const delivered: DeliverySettlement = { state: 'delivered', at: T0 + 20, lastError: null, latencyMs: 20, ref: 'outbox 3' };
      await h.log.settle(id, delivered);
      const back = await h.read(id);
      assert.equal(back?.state, 'delivered');
      assert.deepEqual(back?.settlement, delivered);
      const failed: DeliverySettlement = { state: 'failed', at: T0 + 90, lastError: 'NOTIFY.DELIVERY_FAILED', latencyMs: null, ref: null };
      await h.log.settle(other, failed);
      assert.deepEqual((await h.read(other))?.settlement, failed);
      assert.deepEqual((await h.read(id))?.settlement, delivered);
    });

    test('staffSmsSince counts one person\'s texts opened after since, not rate-limited or skipped ones', async (t) => {
      const h = await open(t);
      const [dana, eli] = h.staffIds;
      const settle = async (id: number, state: DeliverySettlement['state']) => h.log.settle(id, { state, at: T0 + 500, lastError: null, latencyMs: null, ref: null });
      await h.log.open(h.delivery({ createdAt: T0 }));
      await settle(await h.log.open(h.delivery({ createdAt: T0 + 100 })), 'failed');
      await settle(await h.log.open(h.delivery({ createdAt: T0 + 200 })), 'rate-limited');
      await settle(await h.log.open(h.delivery({ createdAt: T0 + 300 })), 'skipped');
      await h.log.open(h.delivery({ createdAt: T0 + 400, channel: 'email', address: 'dana@acme.test' }));
      await h.log.open(h.delivery({ createdAt: T0 + 400, staffId: eli, address: '+15125550143' }));
      assert.equal(await h.log.staffSmsSince(dana, T0 - 1), 2, 'the first text and the failed one');
      assert.equal(await h.log.staffSmsSince(dana, T0), 1, 'since is exclusive');
      assert.equal(await h.log.staffSmsSince(dana, T0 + 100), 0);
      assert.equal(await h.log.staffSmsSince(eli, T0 - 1), 1);
      assert.equal(await h.log.staffSmsSince(eli + dana + 100, T0 - 1), 0, 'an unknown person');
    });

    test('openStaffSms counts as staffSmsSince does and opens only what decide allows; refused, nothing is opened', async (t) => {
      const h = await open(t);
      const [dana] = h.staffIds;
      const seen: number[] = [];
      const atMostTwo = (sent: number) => (seen.push(sent), sent < 2 ? ({ allow: true } as const) : ({ allow: false, reason: `rate limit: ${sent}` } as const));
      await h.log.settle(await h.log.open(h.delivery({ createdAt: T0 })), { state: 'rate-limited', at: T0, lastError: null, latencyMs: null, ref: null });
      const first = await h.log.openStaffSms({ ...h.delivery({ createdAt: T0 + 100 }), staffId: dana }, T0 - 1, atMostTwo);
      const second = await h.log.openStaffSms({ ...h.delivery({ createdAt: T0 + 200 }), staffId: dana }, T0 - 1, atMostTwo);
      const third = await h.log.openStaffSms({ ...h.delivery({ createdAt: T0 + 300 }), staffId: dana }, T0 - 1, atMostTwo);
      assert.deepEqual(seen, [0, 1, 2], 'the rate-limited row does not count; each opened text does');
      assert.ok('id' in first && 'id' in second, 'the first two are opened');
      assert.deepEqual(third, { refused: 'rate limit: 2' });
      for (const r of [first, second]) {
        if (!('id' in r)) continue;
        const v = await h.read(r.id);
        assert.equal(v?.state, 'sending');
        assert.equal(v?.staffId, dana);
      }
      assert.equal(await h.log.staffSmsSince(dana, T0 - 1), 2, 'the refused one opened nothing');
    });

    test('an attempt or settlement naming a delivery never opened is INPUT.NOT_FOUND and records nothing', async (t) => {
      const h = await open(t);
      const id = await h.log.open(h.delivery());
      const unknown = id + 1_000;
      await rejectsWithCode(() => h.log.attempt(unknown, { attempt: 1, startedAt: T0, endedAt: T0 + 1, ok: false, error: 'x', ref: null }), 'INPUT.NOT_FOUND', 'attempt');
      await rejectsWithCode(() => h.log.settle(unknown, { state: 'failed', at: T0, lastError: 'x', latencyMs: null, ref: null }), 'INPUT.NOT_FOUND', 'settle');
      assert.equal(await h.read(unknown), undefined);
      assert.deepEqual(await h.read(id), { ...h.delivery(), state: 'sending', attempts: [], settlement: null });
    });
  });
}
