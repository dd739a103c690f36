import type { Statement } from 'better-sqlite3';
import type { InboundPair, MessageLog, MessageRow, NewInboundMessage, OptOutRow, StoredInbound } from '../domain/ports/message-log.ts';
import { currentConsentIdSql } from './current-consent-sql.ts';
import type { SqliteDb } from './sqlite-database.ts';

/** Inbound texts, and the read side of `callkeeper messages list` / `optout list`. */
export class SqliteMessageLog implements MessageLog {
  private readonly db: SqliteDb;
  private readonly s: Record<'insert' | 'latestCall' | 'latestInbound', Statement>;

  constructor(db: SqliteDb) {
    this.db = db;
    this.s = {
      insert: db.prepare(
        `INSERT INTO inbound_messages (business_id, recipient, sender, body, keyword, call_id, received_at)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      ),
      // `business_id IS ?`: a text to a number no business owns has none (migration 002's index still applies).
      latestInbound: db.prepare(
        `SELECT id, body, received_at AS receivedAt FROM inbound_messages
          WHERE business_id IS ? AND received_at >= ? AND recipient = ? AND sender = ? ORDER BY id DESC LIMIT 1`,
      ),
      latestCall: db.prepare('SELECT id FROM calls WHERE business_id = ? AND caller_e164 = ? ORDER BY started_at DESC, id DESC LIMIT 1').pluck(),
    };
  }

  saveInbound(m: NewInboundMessage): number {
    const r = this.s.insert.run(m.businessId, m.recipient, m.sender, m.body, m.keyword, m.callId, m.receivedAt);
    return Number(r.lastInsertRowid);
  }

  latestInbound(pair: InboundPair, since: number): StoredInbound | null {
    return (this.s.latestInbound.get(pair.businessId, since, pair.recipient, pair.sender) as StoredInbound | undefined) ?? null;
  }

  latestCallId(businessId: number, consumer: string): number | null {
    return (this.s.latestCall.get(businessId, consumer) as number | undefined) ?? null;
  }

  list(opts: { businessId?: number; limit?: number; direction?: 'in' | 'out' } = {}): MessageRow[] {
    const limit = opts.limit ?? 100;
    const biz = opts.businessId ?? null;
    const parts: string[] = [];
    if (opts.direction !== 'in') {
      parts.push(`SELECT 'out' AS direction, id, business_id, recipient AS consumer, body, created_at AS at, state AS status, kind, call_id
                    FROM outbound_messages WHERE (:biz IS NULL OR business_id = :biz)`);
    }
    if (opts.direction !== 'out') {
      parts.push(`SELECT 'in' AS direction, id, business_id, sender AS consumer, body, received_at AS at, COALESCE(keyword, 'reply') AS status, NULL AS kind, call_id
                    FROM inbound_messages WHERE (:biz IS NULL OR business_id = :biz)`);
    }
    const rows = this.db.prepare(`${parts.join(' UNION ALL ')} ORDER BY at DESC, id DESC LIMIT :limit`).all({ biz, limit }) as Array<
      Omit<MessageRow, 'businessId' | 'callId'> & { business_id: number | null; call_id: number | null }
    >;
    return rows.map(({ business_id, call_id, ...r }) => ({ ...r, businessId: business_id, callId: call_id }));
  }

  optOuts(opts: { businessId?: number } = {}): OptOutRow[] {
    const rows = this.db
      .prepare(
        `SELECT l.business_id, l.consumer, l.at, l.method, l.source FROM consent_ledger l
          WHERE l.id = ${currentConsentIdSql('l.business_id', 'l.consumer')}
            AND l.event = 'revoked' AND (:biz IS NULL OR l.business_id = :biz)
          ORDER BY l.id DESC`,
      )
      .all({ biz: opts.businessId ?? null }) as Array<{ business_id: number; consumer: string; at: number; method: string; source: string }>;
    return rows.map((r) => ({ businessId: r.business_id, consumer: r.consumer, at: r.at, method: r.method, source: r.source }));
  }
}
