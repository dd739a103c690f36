import type { Business } from '../domain/business.ts';
import { AppError } from '../domain/errors.ts';
import type { BusinessPatch, BusinessRepository, NewBusiness } from '../domain/ports/business-repository.ts';
import { didTaken, toBusiness, updatedValues, type BusinessRow } from './business-row.ts';
import type { SqliteDb } from './sqlite-database.ts';

/**
 * Businesses and their DIDs on SQLite. A DID belongs to one business (primary key of business_dids);
 * callers pass DIDs already normalized to E.164 and the other fields already validated (app/business).
 */
export class SqliteBusinessDirectory implements BusinessRepository {
  private readonly db: SqliteDb;
  private readonly now: () => number;

  constructor(db: SqliteDb, clock: { now(): number } = { now: Date.now }) {
    this.db = db;
    this.now = () => clock.now();
  }

  byDid(did: string): Business | undefined {
    const id = this.db.prepare('SELECT business_id FROM business_dids WHERE did = ?').pluck().get(did) as number | undefined;
    return id === undefined ? undefined : this.byId(id);
  }

  byId(id: number): Business | undefined {
    const row = this.db.prepare('SELECT * FROM businesses WHERE id = ?').get(id) as BusinessRow | undefined;
    return row && this.rowToBusiness(row);
  }

  list(): Business[] {
    return (this.db.prepare('SELECT * FROM businesses ORDER BY id').all() as BusinessRow[]).map((r) => this.rowToBusiness(r));
  }

  add(b: NewBusiness): Business {
    return this.db
      .transaction(() => {
        const now = this.now();
        const id = Number(
          this.db
            .prepare(
              `INSERT INTO businesses (name, timezone, consent_mode, templates_json, greeting, emergency_instruction, created_at, updated_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
            )
            .run(b.name, b.timezone, b.consentMode, JSON.stringify(b.templates ?? {}), b.greeting ?? null, b.emergencyInstruction ?? null, now, now)
            .lastInsertRowid,
        );
        this.setDids(id, b.dids);
        return this.byId(id)!;
      })
      .immediate();
  }

  update(id: number, patch: BusinessPatch): Business {
    return this.db
      .transaction(() => {
        const existing = this.byId(id);
        if (!existing) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
        this.db
          .prepare(
            `UPDATE businesses SET name = ?, timezone = ?, consent_mode = ?, templates_json = ?, greeting = ?,
               emergency_instruction = ?, updated_at = ? WHERE id = ?`,
          )
          .run(...updatedValues(existing, patch, this.now()), id);
        if (patch.dids !== undefined) {
          this.db.prepare('DELETE FROM business_dids WHERE business_id = ?').run(id);
          this.setDids(id, patch.dids);
        }
        return this.byId(id)!;
      })
      .immediate();
  }

  private setDids(businessId: number, dids: readonly string[]): void {
    const owner = this.db.prepare('SELECT business_id FROM business_dids WHERE did = ?').pluck();
    const insert = this.db.prepare('INSERT INTO business_dids (did, business_id, position) VALUES (?, ?, ?)');
    dids.forEach((did, i) => {
      const other = owner.get(did) as number | undefined;
      if (other !== undefined) {
        throw didTaken(did, i, businessId, other);
      }
      insert.run(did, businessId, i);
    });
  }

  private rowToBusiness(r: BusinessRow): Business {
    const dids = this.db.prepare('SELECT did FROM business_dids WHERE business_id = ? ORDER BY position').pluck().all(r.id) as string[];
    return toBusiness(r, dids);
  }
}
