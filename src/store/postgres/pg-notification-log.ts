import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { AsyncNotificationLog } from '../../domain/ports/async-stores.ts';
import type { StaffSmsDecision } from '../../domain/notify/staff-sms-rate-policy.ts';
import type { DeliveryAttempt, DeliverySettlement, NewDelivery } from '../../domain/ports/notification-log.ts';
import { inPgTransaction, type PgQueryable } from './pg-database.ts';

/** The advisory-lock class of one person's staff texts ('CKST'); the key's second half is the staff id. */
const STAFF_SMS_LOCK_CLASS = 0x434b5354;

function insertDelivery(db: PgQueryable, d: NewDelivery): Promise<number> {
  return db
    .query<{ id: number }>(
      `INSERT INTO notification_deliveries (notification_key, kind, business_id, call_id, channel, staff_id, address, urgent, state, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'sending', $9, $9) RETURNING id`,
      [d.notificationKey, d.kind, d.businessId, d.callId, d.channel, d.staffId, d.address, d.urgent, d.createdAt],
    )
    .then((r) => r.rows[0]!.id);
}

function countStaffSms(db: PgQueryable, staffId: number, since: number): Promise<number> {
  return db
    .query<{ n: number }>(
      `SELECT count(*) AS n FROM notification_deliveries
        WHERE staff_id = $1 AND channel = 'sms' AND created_at > $2 AND state NOT IN ('rate-limited','skipped')`,
      [staffId, since],
    )
    .then((r) => r.rows[0]!.n);
}

/** Notification deliveries and their attempts on PostgreSQL (migration 002-stores), as SqliteNotificationLog. */
export class PgNotificationLog implements AsyncNotificationLog {
  private readonly pool: pg.Pool;

  constructor(pool: pg.Pool) {
    this.pool = pool;
  }

  open(d: NewDelivery): Promise<number> {
    return insertDelivery(this.pool, d);
  }

  /**
   * The count and the insert in one transaction under a transaction advisory lock on the person: another
   * node judging the same person's texts waits for this one's commit and counts what it opened.
   */
  openStaffSms(d: NewDelivery & { readonly staffId: number }, since: number, decide: (sentInWindow: number) => StaffSmsDecision): Promise<{ readonly id: number } | { readonly refused: string }> {
    return inPgTransaction(this.pool, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock($1, $2)', [STAFF_SMS_LOCK_CLASS, d.staffId]);
      const verdict = decide(await countStaffSms(c, d.staffId, since));
      return verdict.allow ? { id: await insertDelivery(c, d) } : { refused: verdict.reason };
    });
  }

  /** The delivery's counters and the attempt row in one transaction: both or neither. */
  attempt(deliveryId: number, a: DeliveryAttempt): Promise<void> {
    return inPgTransaction(this.pool, async (c) => {
      const r = await c.query(
        `UPDATE notification_deliveries SET attempts = $1, updated_at = $2,
           state = CASE WHEN $3::boolean THEN state ELSE 'retrying' END, last_error = COALESCE($4, last_error)
         WHERE id = $5`,
        [a.attempt, a.endedAt, a.ok, a.error, deliveryId],
      );
      found(r.rowCount, deliveryId);
      await c.query('INSERT INTO notification_attempts (delivery_id, attempt, started_at, ended_at, ok, error, ref) VALUES ($1, $2, $3, $4, $5, $6, $7)', [
        deliveryId, a.attempt, a.startedAt, a.endedAt, a.ok, a.error, a.ref,
      ]);
    });
  }

  async settle(deliveryId: number, s: DeliverySettlement): Promise<void> {
    const r = await this.pool.query('UPDATE notification_deliveries SET state = $1, updated_at = $2, last_error = $3, latency_ms = $4, ref = $5 WHERE id = $6', [
      s.state, s.at, s.lastError, s.latencyMs, s.ref, deliveryId,
    ]);
    found(r.rowCount, deliveryId);
  }

  staffSmsSince(staffId: number, since: number): Promise<number> {
    return countStaffSms(this.pool, staffId, since);
  }

  /** A delivery's attempts in order (`calls show`, tests). */
  async attemptsOf(deliveryId: number): Promise<DeliveryAttempt[]> {
    const r = await this.pool.query<{ attempt: number; started_at: number; ended_at: number; ok: boolean; error: string | null; ref: string | null }>(
      'SELECT attempt, started_at, ended_at, ok, error, ref FROM notification_attempts WHERE delivery_id = $1 ORDER BY attempt',
      [deliveryId],
    );
    return r.rows.map((x) => ({ attempt: x.attempt, startedAt: x.started_at, endedAt: x.ended_at, ok: x.ok, error: x.error, ref: x.ref }));
  }
}

/** An attempt or settlement of a delivery `open` never returned is a bug: refused, not dropped (test/contract/notification-log-contract.ts). */
function found(changes: number | null, deliveryId: number): void {
  if (!changes) throw new AppError('INPUT.NOT_FOUND', `no notification delivery with id ${deliveryId}`);
}
