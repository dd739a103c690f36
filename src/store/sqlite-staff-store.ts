import type { Statement } from 'better-sqlite3';
import { AppError } from '../domain/errors.ts';
import type { NewStaffMember, StaffMember } from '../domain/notify/staff-member.ts';
import type { StaffRepository, WebhookConfig } from '../domain/ports/staff-directory.ts';
import { isConstraintError, type SqliteDb } from './sqlite-database.ts';
import { STAFF_COLS as COLS, staffInsertValues, toStaff, type StaffRow } from './staff-row.ts';

/** Staff contacts and the business webhook on SQLite (migration 003). */
export class SqliteStaffStore implements StaffRepository {
  private readonly now: () => number;
  private readonly s: Record<'insert' | 'byBusiness' | 'all' | 'get' | 'remove' | 'webhook' | 'setWebhook' | 'clearWebhook', Statement>;

  constructor(db: SqliteDb, opts: { clock?: { now(): number } } = {}) {
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
    this.s = {
      insert: db.prepare('INSERT INTO staff (business_id, name, mobile, email, on_call_json, channels, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      byBusiness: db.prepare(`SELECT ${COLS} FROM staff WHERE business_id = ? AND removed_at IS NULL ORDER BY id`),
      all: db.prepare(`SELECT ${COLS} FROM staff WHERE removed_at IS NULL ORDER BY business_id, id`),
      get: db.prepare(`SELECT ${COLS} FROM staff WHERE id = ? AND removed_at IS NULL`),
      remove: db.prepare('UPDATE staff SET removed_at = ? WHERE id = ? AND removed_at IS NULL'),
      webhook: db.prepare('SELECT business_id, url, secret FROM business_webhooks WHERE business_id = ?'),
      setWebhook: db.prepare(
        `INSERT INTO business_webhooks (business_id, url, secret, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT(business_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, updated_at = excluded.updated_at`,
      ),
      clearWebhook: db.prepare('DELETE FROM business_webhooks WHERE business_id = ?'),
    };
  }

  add(s: NewStaffMember): StaffMember {
    try {
      const r = this.s.insert.run(...staffInsertValues(s, this.now()));
      return this.get(Number(r.lastInsertRowid))!;
    } catch (e) {
      if (isConstraintError(e, 'FOREIGNKEY')) throw new AppError('INPUT.NOT_FOUND', `no business with id ${s.businessId}`, { cause: e });
      throw e;
    }
  }

  get(id: number): StaffMember | undefined {
    const r = this.s.get.get(id) as StaffRow | undefined;
    return r && toStaff(r);
  }

  list(businessId?: number): StaffMember[] {
    const rows = (businessId === undefined ? this.s.all.all() : this.s.byBusiness.all(businessId)) as StaffRow[];
    return rows.map(toStaff);
  }

  staffOf(businessId: number): StaffMember[] {
    return this.list(businessId);
  }

  remove(id: number): StaffMember {
    const before = this.get(id);
    if (!before || this.s.remove.run(this.now(), id).changes === 0) throw new AppError('INPUT.NOT_FOUND', `no staff member with id ${id}`);
    return before;
  }

  webhookOf(businessId: number): WebhookConfig | undefined {
    const r = this.s.webhook.get(businessId) as { business_id: number; url: string; secret: string } | undefined;
    return r && { businessId: r.business_id, url: r.url, secret: r.secret };
  }

  setWebhook(businessId: number, cfg: { url: string; secret: string } | null): void {
    try {
      if (cfg === null) this.s.clearWebhook.run(businessId);
      else this.s.setWebhook.run(businessId, cfg.url, cfg.secret, this.now());
    } catch (e) {
      if (isConstraintError(e, 'FOREIGNKEY')) throw new AppError('INPUT.NOT_FOUND', `no business with id ${businessId}`, { cause: e });
      throw e;
    }
  }
}
