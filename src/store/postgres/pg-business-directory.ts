import type pg from 'pg';
import type { Business } from '../../domain/business.ts';
import { AppError } from '../../domain/errors.ts';
import type { AsyncBusinessRepository } from '../../domain/ports/async-stores.ts';
import type { BusinessPatch, NewBusiness } from '../../domain/ports/business-repository.ts';
import { didTaken, toBusiness, updatedValues, type BusinessRow } from '../business-row.ts';
import { inPgTransaction, isUniqueViolation, type PgQueryable } from './pg-database.ts';

/** The business row plus its DIDs in position order, aggregated in the same query. */
interface BusinessDidsRow extends BusinessRow {
  dids: string[] | null;
}

/** Every business column plus its DIDs in order, so a business is one query, not one per business. */
const SELECT = `SELECT b.id, b.name, b.timezone, b.consent_mode, b.templates_json, b.greeting, b.emergency_instruction, b.created_at,
  (SELECT array_agg(d.did ORDER BY d.position) FROM business_dids d WHERE d.business_id = b.id) AS dids
  FROM businesses b`;

/**
 * Businesses and their DIDs on PostgreSQL, as SqliteBusinessDirectory: a DID belongs to one business
 * (primary key of business_dids), callers pass DIDs already normalized and fields already validated.
 * `add` and `update` each run in one transaction. Two nodes adding the same DID at once both pass the
 * owner check; the primary key makes the second insert wait for the first and then fail, which is
 * turned into the same INPUT.INVALID.
 */
export class PgBusinessDirectory implements AsyncBusinessRepository {
  private readonly pool: pg.Pool;
  private readonly now: () => number;

  constructor(pool: pg.Pool, clock: { now(): number } = { now: Date.now }) {
    this.pool = pool;
    this.now = () => clock.now();
  }

  async byDid(did: string): Promise<Business | undefined> {
    const r = await this.pool.query<BusinessDidsRow>(`${SELECT} WHERE b.id = (SELECT business_id FROM business_dids WHERE did = $1)`, [did]);
    return r.rows[0] && toBusinessWithDids(r.rows[0]);
  }

  byId(id: number): Promise<Business | undefined> {
    return byId(this.pool, id);
  }

  async list(): Promise<Business[]> {
    return (await this.pool.query<BusinessDidsRow>(`${SELECT} ORDER BY b.id`)).rows.map(toBusinessWithDids);
  }

  add(b: NewBusiness): Promise<Business> {
    return inPgTransaction(this.pool, async (c) => {
      const now = this.now();
      const r = await c.query<{ id: number }>(
        `INSERT INTO businesses (name, timezone, consent_mode, templates_json, greeting, emergency_instruction, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`,
        [b.name, b.timezone, b.consentMode, JSON.stringify(b.templates ?? {}), b.greeting ?? null, b.emergencyInstruction ?? null, now],
      );
      const id = r.rows[0]!.id;
      await setDids(c, id, b.dids);
      return (await byId(c, id))!;
    });
  }

  update(id: number, patch: BusinessPatch): Promise<Business> {
    return inPgTransaction(this.pool, async (c) => {
      // FOR UPDATE: two updates of one business apply one after the other, each on the other's result (templates merge).
      const locked = await c.query('SELECT id FROM businesses WHERE id = $1 FOR UPDATE', [id]);
      const existing = locked.rowCount ? await byId(c, id) : undefined;
      if (!existing) throw new AppError('INPUT.NOT_FOUND', `no business with id ${id}`);
      await c.query(
        `UPDATE businesses SET name = $1, timezone = $2, consent_mode = $3, templates_json = $4, greeting = $5,
           emergency_instruction = $6, updated_at = $7 WHERE id = $8`,
        [...updatedValues(existing, patch, this.now()), id],
      );
      if (patch.dids !== undefined) {
        await c.query('DELETE FROM business_dids WHERE business_id = $1', [id]);
        await setDids(c, id, patch.dids);
      }
      return (await byId(c, id))!;
    });
  }
}

async function byId(db: PgQueryable, id: number): Promise<Business | undefined> {
  const r = await db.query<BusinessDidsRow>(`${SELECT} WHERE b.id = $1`, [id]);
  return r.rows[0] && toBusinessWithDids(r.rows[0]);
}

async function setDids(c: pg.PoolClient, businessId: number, dids: readonly string[]): Promise<void> {
  for (const [i, did] of dids.entries()) {
    const owner = await c.query<{ business_id: number }>('SELECT business_id FROM business_dids WHERE did = $1', [did]);
    const other = owner.rows[0]?.business_id;
    if (other !== undefined) {
      throw didTaken(did, i, businessId, other);
    }
    try {
      await c.query('INSERT INTO business_dids (did, business_id, position) VALUES ($1, $2, $3)', [did, businessId, i]);
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError('INPUT.INVALID', `DID ${i + 1} already belongs to another business`, { details: { did }, cause: e });
      throw e;
    }
  }
}

function toBusinessWithDids(r: BusinessDidsRow): Business {
  return toBusiness(r, r.dids ?? []);
}
