import type pg from 'pg';
import type { AsyncMessageLog } from '../../domain/ports/async-stores.ts';
import type { InboundPair, MessageRow, NewInboundMessage, OptOutRow, StoredInbound } from '../../domain/ports/message-log.ts';
import { currentConsentIdSql } from '../current-consent-sql.ts';
import type { PgQueryable } from './pg-database.ts';

/** The advisory-lock class of a (DID, sender) pair's inbound texts ('CKIN'); the key's second half is the pair's hash. */
const INBOUND_PAIR_LOCK_CLASS = 0x434b494e;

/**
 * Inbound texts, and the read side of `callkeeper messages list` / `optout list`, on PostgreSQL, as
 * SqliteMessageLog. Given `client`, it works in that client's transaction (PgOutbox.atomically hands
 * one out: the text is stored in the transaction that applies it).
 */
export class PgMessageLog implements AsyncMessageLog {
  private readonly pool: pg.Pool;
  private readonly client: pg.PoolClient | undefined;

  constructor(pool: pg.Pool, client?: pg.PoolClient) {
    this.pool = pool;
    this.client = client;
  }

  private get db(): PgQueryable {
    return this.client ?? this.pool;
  }

  async saveInbound(m: NewInboundMessage): Promise<number> {
    const r = await this.db.query<{ id: number }>(
      `INSERT INTO inbound_messages (business_id, recipient, sender, body, keyword, call_id, received_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [m.businessId, m.recipient, m.sender, m.body, m.keyword, m.callId, m.receivedAt],
    );
    return r.rows[0]!.id;
  }

  /**
   * In a transaction, the pair's lock first (transaction-scoped, released by its commit or rollback): the
   * same text handled on two nodes at once (an SMSC resending to another bind) reads, stores and applies
   * one after the other, and the second reads the first's row (READ COMMITTED: pg-database.ts).
   */
  async latestInbound(pair: InboundPair, since: number): Promise<StoredInbound | null> {
    if (this.client) await this.client.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [INBOUND_PAIR_LOCK_CLASS, `${pair.recipient} ${pair.sender}`]);
    // Two statements rather than `IS NOT DISTINCT FROM`, which the (business_id, received_at) index does not serve.
    const where = pair.businessId === null ? 'business_id IS NULL AND $1::bigint IS NULL' : 'business_id = $1';
    const r = await this.db.query<StoredInbound>(
      `SELECT id, body, received_at AS "receivedAt" FROM inbound_messages
        WHERE ${where} AND received_at >= $2 AND recipient = $3 AND sender = $4 ORDER BY id DESC LIMIT 1`,
      [pair.businessId, since, pair.recipient, pair.sender],
    );
    return r.rows[0] ?? null;
  }

  async latestCallId(businessId: number, consumer: string): Promise<number | null> {
    const r = await this.db.query<{ id: number }>('SELECT id FROM calls WHERE business_id = $1 AND caller_e164 = $2 ORDER BY started_at DESC, id DESC LIMIT 1', [businessId, consumer]);
    return r.rows[0]?.id ?? null;
  }

  async list(opts: { businessId?: number; limit?: number; direction?: 'in' | 'out' } = {}): Promise<MessageRow[]> {
    const parts: string[] = [];
    // $1 is the business (NULL: all), typed so that `$1 IS NULL` needs no inference; $2 the limit.
    if (opts.direction !== 'in') {
      parts.push(`SELECT 'out' AS direction, id, business_id, recipient AS consumer, body, created_at AS at, state AS status, kind, call_id
                    FROM outbound_messages WHERE ($1::bigint IS NULL OR business_id = $1)`);
    }
    if (opts.direction !== 'out') {
      parts.push(`SELECT 'in' AS direction, id, business_id, sender AS consumer, body, received_at AS at, COALESCE(keyword, 'reply') AS status, NULL AS kind, call_id
                    FROM inbound_messages WHERE ($1::bigint IS NULL OR business_id = $1)`);
    }
    const r = await this.pool.query<Omit<MessageRow, 'businessId' | 'callId'> & { business_id: number | null; call_id: number | null }>(
      `${parts.join(' UNION ALL ')} ORDER BY at DESC, id DESC LIMIT $2`,
      [opts.businessId ?? null, opts.limit ?? 100],
    );
    return r.rows.map(({ business_id, call_id, ...row }) => ({ ...row, businessId: business_id, callId: call_id }));
  }

  async optOuts(opts: { businessId?: number } = {}): Promise<OptOutRow[]> {
    const r = await this.pool.query<{ business_id: number; consumer: string; at: number; method: string; source: string }>(
      `SELECT l.business_id, l.consumer, l.at, l.method, l.source FROM consent_ledger l
        WHERE l.id = ${currentConsentIdSql('l.business_id', 'l.consumer')}
          AND l.event = 'revoked' AND ($1::bigint IS NULL OR l.business_id = $1)
        ORDER BY l.id DESC`,
      [opts.businessId ?? null],
    );
    return r.rows.map((x) => ({ businessId: x.business_id, consumer: x.consumer, at: x.at, method: x.method, source: x.source }));
  }
}
