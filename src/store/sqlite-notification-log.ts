import type { Statement } from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';
import type { DeliveryAttempt, DeliverySettlement, NewDelivery, NotificationLog } from '../domain/ports/notification-log.ts';
import type { StaffSmsDecision } from '../domain/notify/staff-sms-rate-policy.ts';
import type { SqliteDb } from './sqlite-database.ts';

export interface DeliveryRecord {
  readonly id: number;
  readonly notificationKey: string;
  readonly kind: 'call' | 'reply' | 'test';
  readonly businessId: number;
  readonly callId: number | null;
  readonly channel: 'sms' | 'email' | 'webhook';
  readonly staffId: number | null;
  readonly address: string;
  readonly urgent: boolean;
  readonly state: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly ref: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly latencyMs: number | null;
}

interface Row {
  id: number;
  notification_key: string;
  kind: 'call' | 'reply' | 'test';
  business_id: number;
  call_id: number | null;
  channel: 'sms' | 'email' | 'webhook';
  staff_id: number | null;
  address: string;
  urgent: number;
  state: string;
  attempts: number;
  last_error: string | null;
  ref: string | null;
  created_at: number;
  updated_at: number;
  latency_ms: number | null;
}

/** Notification deliveries and their attempts on SQLite (migration 003). */
export class SqliteNotificationLog implements NotificationLog {
  private readonly s: Record<'open' | 'attempt' | 'afterAttempt' | 'settle' | 'smsSince' | 'forCall' | 'attempts', Statement>;
  private readonly db: SqliteDb;

  constructor(db: SqliteDb) {
    this.db = db;
    this.s = {
      open: db.prepare(
        `INSERT INTO notification_deliveries (notification_key, kind, business_id, call_id, channel, staff_id, address, urgent, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?)`,
      ),
      attempt: db.prepare('INSERT INTO notification_attempts (delivery_id, attempt, started_at, ended_at, ok, error, ref) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      afterAttempt: db.prepare(
        `UPDATE notification_deliveries SET attempts = ?, updated_at = ?,
           state = CASE WHEN ? THEN state ELSE 'retrying' END, last_error = COALESCE(?, last_error)
         WHERE id = ?`,
      ),
      settle: db.prepare('UPDATE notification_deliveries SET state = ?, updated_at = ?, last_error = ?, latency_ms = ?, ref = ? WHERE id = ?'),
      smsSince: db
        .prepare(
          `SELECT count(*) FROM notification_deliveries
            WHERE staff_id = ? AND channel = 'sms' AND created_at > ? AND state NOT IN ('rate-limited','skipped')`,
        )
        .pluck(),
      forCall: db.prepare('SELECT * FROM notification_deliveries WHERE call_id = ? ORDER BY id'),
      attempts: db.prepare('SELECT attempt, started_at, ended_at, ok, error, ref FROM notification_attempts WHERE delivery_id = ? ORDER BY attempt'),
    };
  }

  open(d: NewDelivery): number {
    const r = this.s.open.run(d.notificationKey, d.kind, d.businessId, d.callId, d.channel, d.staffId, d.address, d.urgent ? 1 : 0, d.createdAt, d.createdAt);
    return Number(r.lastInsertRowid);
  }

  /** The count and the insert in one IMMEDIATE transaction: the write lock is held from the count on, so another connection or process waits. */
  openStaffSms(d: NewDelivery & { readonly staffId: number }, since: number, decide: (sentInWindow: number) => StaffSmsDecision): { readonly id: number } | { readonly refused: string } {
    return this.db
      .transaction(() => {
        const verdict = decide(this.staffSmsSince(d.staffId, since));
        return verdict.allow ? { id: this.open(d) } : { refused: verdict.reason };
      })
      .immediate();
  }

  attempt(deliveryId: number, a: DeliveryAttempt): void {
    this.db.transaction(() => {
      found(this.s.afterAttempt.run(a.attempt, a.endedAt, a.ok ? 1 : 0, a.error, deliveryId).changes, deliveryId);
      this.s.attempt.run(deliveryId, a.attempt, a.startedAt, a.endedAt, a.ok ? 1 : 0, a.error, a.ref);
    })();
  }

  settle(deliveryId: number, s: DeliverySettlement): void {
    found(this.s.settle.run(s.state, s.at, s.lastError, s.latencyMs, s.ref, deliveryId).changes, deliveryId);
  }

  staffSmsSince(staffId: number, since: number): number {
    return this.s.smsSince.get(staffId, since) as number;
  }

  /** Deliveries of one call, for `calls show`, tests and the end-to-end check. */
  forCall(callId: number): DeliveryRecord[] {
    return (this.s.forCall.all(callId) as Row[]).map((r) => ({
      id: r.id,
      notificationKey: r.notification_key,
      kind: r.kind,
      businessId: r.business_id,
      callId: r.call_id,
      channel: r.channel,
      staffId: r.staff_id,
      address: r.address,
      urgent: r.urgent === 1,
      state: r.state,
      attempts: r.attempts,
      lastError: r.last_error,
      ref: r.ref,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
      latencyMs: r.latency_ms,
    }));
  }

  attemptsOf(deliveryId: number): DeliveryAttempt[] {
    return (this.s.attempts.all(deliveryId) as { attempt: number; started_at: number; ended_at: number; ok: number; error: string | null; ref: string | null }[]).map((r) => ({
      attempt: r.attempt,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      ok: r.ok === 1,
      error: r.error,
      ref: r.ref,
    }));
  }
}

/** An attempt or settlement of a delivery `open` never returned is a bug: refused, not dropped (test/contract/notification-log-contract.ts). */
function found(changes: number, deliveryId: number): void {
  if (changes === 0) throw new AppError('INPUT.NOT_FOUND', `no notification delivery with id ${deliveryId}`);
}
