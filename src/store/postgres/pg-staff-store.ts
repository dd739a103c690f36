import type pg from 'pg';
import { AppError } from '../../domain/errors.ts';
import type { NewStaffMember, StaffMember } from '../../domain/notify/staff-member.ts';
import type { AsyncStaffRepository } from '../../domain/ports/async-stores.ts';
import type { WebhookConfig } from '../../domain/ports/staff-directory.ts';
import { isForeignKeyViolation } from './pg-database.ts';
import { STAFF_COLS as COLS, staffInsertValues, toStaff, type StaffRow } from '../staff-row.ts';

/** Staff contacts and the business webhook on PostgreSQL (migration 002-stores), as SqliteStaffStore. */
export class PgStaffStore implements AsyncStaffRepository {
  private readonly pool: pg.Pool;
  private readonly now: () => number;

  constructor(pool: pg.Pool, opts: { clock?: { now(): number } } = {}) {
    this.pool = pool;
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
  }

  async add(s: NewStaffMember): Promise<StaffMember> {
    try {
      const r = await this.pool.query<StaffRow>(
        `INSERT INTO staff (business_id, name, mobile, email, on_call_json, channels, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLS}`,
        staffInsertValues(s, this.now()),
      );
      return toStaff(r.rows[0]!);
    } catch (e) {
      if (isForeignKeyViolation(e)) throw new AppError('INPUT.NOT_FOUND', `no business with id ${s.businessId}`, { cause: e });
      throw e;
    }
  }

  async get(id: number): Promise<StaffMember | undefined> {
    const r = await this.pool.query<StaffRow>(`SELECT ${COLS} FROM staff WHERE id = $1 AND removed_at IS NULL`, [id]);
    return r.rows[0] && toStaff(r.rows[0]);
  }

  async list(businessId?: number): Promise<StaffMember[]> {
    const r =
      businessId === undefined
        ? await this.pool.query<StaffRow>(`SELECT ${COLS} FROM staff WHERE removed_at IS NULL ORDER BY business_id, id`)
        : await this.pool.query<StaffRow>(`SELECT ${COLS} FROM staff WHERE business_id = $1 AND removed_at IS NULL ORDER BY id`, [businessId]);
    return r.rows.map(toStaff);
  }

  staffOf(businessId: number): Promise<StaffMember[]> {
    return this.list(businessId);
  }

  /** One statement: the row is marked removed and returned as it was, or nothing matched (unknown or already removed). */
  async remove(id: number): Promise<StaffMember> {
    const r = await this.pool.query<StaffRow>(`UPDATE staff SET removed_at = $1 WHERE id = $2 AND removed_at IS NULL RETURNING ${COLS}`, [this.now(), id]);
    if (!r.rows[0]) throw new AppError('INPUT.NOT_FOUND', `no staff member with id ${id}`);
    return toStaff(r.rows[0]);
  }

  async webhookOf(businessId: number): Promise<WebhookConfig | undefined> {
    const r = await this.pool.query<{ business_id: number; url: string; secret: string }>('SELECT business_id, url, secret FROM business_webhooks WHERE business_id = $1', [businessId]);
    const w = r.rows[0];
    return w && { businessId: w.business_id, url: w.url, secret: w.secret };
  }

  async setWebhook(businessId: number, cfg: { url: string; secret: string } | null): Promise<void> {
    try {
      if (cfg === null) {
        await this.pool.query('DELETE FROM business_webhooks WHERE business_id = $1', [businessId]);
      } else {
        await this.pool.query(
          `INSERT INTO business_webhooks (business_id, url, secret, updated_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (business_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
          [businessId, cfg.url, cfg.secret, this.now()],
        );
      }
    } catch (e) {
      if (isForeignKeyViolation(e)) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`, { cause: e });
      throw e;
    }
  }
}
