import type pg from 'pg';
import { currentConsent, type ConsentEventType, type ConsentState } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import { consentAllows, countsTowardCap, DAY_MS, needsConsent } from '../../domain/messaging/sending-policy.ts';
import type { AsyncDispatchOutbox, OutboxTransaction } from '../../domain/ports/async-outbox.ts';
import type {
  AcceptedPart,
  ClaimedMessage,
  MessageKind,
  OutboundRequest,
  OutboundState,
  PreflightResult,
  SendDecider,
  SendFacts,
  UnsentState,
} from '../../domain/ports/outbox.ts';
import type { DeliveryReceipt, WriteVerdict } from '../../domain/ports/sms-gateway.ts';
import { currentConsentIdSql } from '../current-consent-sql.ts';
import { PgConsentStore, LOCK_CLASS } from './pg-consent-store.ts';
import { PgMessageLog } from './pg-message-log.ts';
import { inPgTransaction, type PgQueryable } from './pg-database.ts';
import { lockPairForWrite } from './pg-pair-write-lock.ts';
import { AWAITING_RECEIPT, claimedOf, CONSUMER_KINDS, SENT_STATES, URGENT_KINDS, type QueuedRow } from '../outbox-row.ts';

const CONSENT_SQL = `SELECT event FROM consent_ledger WHERE id = ${currentConsentIdSql('$1', '$2')}`;
const SENT_COUNT_SQL = `SELECT count(*) AS n FROM outbound_messages
   WHERE business_id = $1 AND recipient = $2 AND state IN ${SENT_STATES} AND kind IN ${CONSUMER_KINDS}
     AND COALESCE(submitted_at, claimed_at) > $3`;
/**
 * The due rows, locked for this transaction; rows another node's claim has locked are skipped, not
 * waited for (`SKIP LOCKED`), and rows this claim already looked at are left out by id.
 */
const dueSql = (urgent: boolean): string =>
  `SELECT o.id, o.business_id, o.sender, o.recipient, o.body, o.kind, o.attempts, o.created_at, o.state_reason, b.timezone
     FROM outbound_messages o JOIN businesses b ON b.id = o.business_id
    WHERE o.state = 'queued' ${urgent ? `AND o.kind IN ${URGENT_KINDS} ` : ''}AND o.next_attempt_at <= $1 AND NOT (o.id = ANY($2::bigint[]))
    ORDER BY o.next_attempt_at, o.id LIMIT $3
    FOR UPDATE OF o SKIP LOCKED`;

/** The pair lock's class (the ledger's is LOCK_CLASS): one try-lock per (business, consumer) in a claim. */
const PAIR_LOCK_CLASS = LOCK_CLASS + 1;
/** At most this many queued rows per claimed slot are examined in one claim transaction (as SqliteOutbox). */
const CLAIM_READ_FACTOR = 8;
/**
 * How long a claim is this node's: a claimed text is written to the SMSC within seconds (the window's
 * submit timeout, src/sms/README.md), so two minutes leaves a slow node room while a dead node's texts
 * come back soon. A text may go out twice only if its node died after the SMSC took it.
 */
export const DEFAULT_LEASE_MS = 120_000;
const FAILED_RECEIPT: Readonly<Record<string, OutboundState>> = { undeliverable: 'undeliverable', expired: 'expired', failed: 'failed' };

export interface PgOutboxOptions {
  /** This node's name in `claimed_by`: stable across its restarts, so `recoverInFlight` finds its own claims. */
  readonly nodeId: string;
  readonly leaseMs?: number;
  readonly clock?: { now(): number };
}

/**
 * The shared outbox on PostgreSQL. Any node claims due texts with `FOR UPDATE SKIP LOCKED`; in the
 * claiming transaction (READ COMMITTED: each statement sees what committed before it began) it reads the
 * pair's current consent, the texts of the last 24 h and the business's time zone, asks `decide`, and
 * applies the verdict, as SqliteOutbox does. So a STOP committed by any node before a claim's read wins.
 * Differences that come from several nodes:
 * - a claim is a lease (`claimed_by`, `lease_until`): a claim first returns texts whose lease has ended
 *   to the queue; the mark* calls change a text only while this node's claim on it stands;
 * - the frequency cap counts texts other nodes are claiming only once they commit, so a claim takes a
 *   transaction-scoped try-lock per (business, consumer) and leaves a pair another claim holds for the
 *   next round (never waits: no deadlock between claims);
 * - `recoverInFlight` returns only this node's own claims (the others' have live leases).
 */
export class PgOutbox implements AsyncDispatchOutbox {
  private readonly pool: pg.Pool;
  private readonly client: pg.PoolClient | undefined;
  private readonly opts: PgOutboxOptions;
  private readonly leaseMs: number;
  private readonly now: () => number;

  constructor(pool: pg.Pool, opts: PgOutboxOptions, client?: pg.PoolClient) {
    if (!opts.nodeId) throw new AppError('CONFIG.INVALID', 'the outbox needs a node id');
    this.pool = pool;
    this.client = client;
    this.opts = opts;
    this.leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
  }

  private get db(): PgQueryable {
    return this.client ?? this.pool;
  }

  private tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.client ? fn(this.client) : inPgTransaction(this.pool, fn);
  }

  atomically<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    return this.tx((c) =>
      fn({ outbox: new PgOutbox(this.pool, this.opts, c), consent: new PgConsentStore(this.pool, { now: this.now }, c), messages: new PgMessageLog(this.pool, c) }),
    );
  }

  async enqueue(msg: OutboundRequest): Promise<number> {
    const now = this.now();
    const r = await this.db.query<{ id: number }>(
      `INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, call_id, consent_event_id, state, created_at, next_attempt_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, 'queued', $8, $8) RETURNING id`,
      [msg.businessId, msg.from, msg.to, msg.body, msg.kind, msg.callId, msg.consentEventId, now],
    );
    return r.rows[0]!.id;
  }

  private async consentOf(db: PgQueryable, businessId: number, consumer: string): Promise<ConsentState> {
    const r = await db.query<{ event: ConsentEventType }>(CONSENT_SQL, [businessId, consumer]);
    return currentConsent(r.rows[0]);
  }

  private async factsOf(db: PgQueryable, businessId: number, consumer: string, kind: MessageKind, timezone: string, now: number): Promise<SendFacts> {
    const consent = needsConsent(kind) ? await this.consentOf(db, businessId, consumer) : 'none';
    const sent = countsTowardCap(kind) ? (await db.query<{ n: number }>(SENT_COUNT_SQL, [businessId, consumer, now - DAY_MS])).rows[0]!.n : 0;
    return { kind, consent, sentLast24h: sent, now, timezone };
  }

  claim(limit: number, now: number, decide: SendDecider): Promise<ClaimedMessage[]> {
    if (limit <= 0) return Promise.resolve([]);
    return this.tx((c) => this.claimLocked(c, limit, now, decide));
  }

  private async claimLocked(c: pg.PoolClient, limit: number, now: number, decide: SendDecider): Promise<ClaimedMessage[]> {
    // Leases that ended: back to the queue, due now, judged again below like any queued text. Rows
    // another claim is returning already are skipped, so claims never wait on each other here.
    await c.query(
      `UPDATE outbound_messages SET state = 'queued', state_reason = 'lease of ' || claimed_by || ' ended: may be sent twice',
              next_attempt_at = $1, claimed_by = NULL, lease_until = NULL
        WHERE id IN (SELECT id FROM outbound_messages WHERE state = 'submitting' AND lease_until <= $1 FOR UPDATE SKIP LOCKED)`,
      [now],
    );
    const out: ClaimedMessage[] = [];
    const seen: number[] = [];
    let budget = limit * CLAIM_READ_FACTOR;
    for (const urgent of [true, false]) {
      for (;;) {
        const want = Math.min(limit - out.length, budget);
        const rows = (await c.query<QueuedRow>(dueSql(urgent), [now, seen, want])).rows;
        budget -= rows.length;
        for (const r of rows) {
          seen.push(r.id);
          await this.claimRow(c, r, now, decide, out);
        }
        if (out.length >= limit || budget <= 0) return out;
        if (rows.length < want) break;
      }
    }
    return out;
  }

  private async claimRow(c: pg.PoolClient, r: QueuedRow, now: number, decide: SendDecider, out: ClaimedMessage[]): Promise<void> {
    if (countsTowardCap(r.kind)) {
      const got = await c.query<{ ok: boolean }>("SELECT pg_try_advisory_xact_lock($1, hashtext($2::text || ':' || $3::text)) AS ok", [PAIR_LOCK_CLASS, r.business_id, r.recipient]);
      if (!got.rows[0]?.ok) return; // another claim is judging this pair's cap: the next claim takes it
    }
    const d = decide(await this.factsOf(c, r.business_id, r.recipient, r.kind, r.timezone, now));
    if (d.allow) {
      await c.query(
        `UPDATE outbound_messages SET state = 'submitting', claimed_at = $1, attempts = attempts + 1, state_reason = NULL, claimed_by = $2, lease_until = $3
          WHERE id = $4 AND state = 'queued'`,
        [now, this.opts.nodeId, now + this.leaseMs, r.id],
      );
      const acceptedParts =
        r.attempts > 0
          ? (await c.query<AcceptedPart>('SELECT part, smsc_message_id AS "messageId" FROM outbound_parts WHERE outbound_id = $1 ORDER BY part', [r.id])).rows
          : [];
      out.push(claimedOf(r, acceptedParts));
    } else if (d.rule === 'quiet-hours') {
      await c.query("UPDATE outbound_messages SET next_attempt_at = $1, state_reason = $2 WHERE id = $3 AND state = 'queued'", [d.retryAt, `quiet-hours: ${d.reason}`, r.id]);
    } else {
      await c.query("UPDATE outbound_messages SET state = 'refused', state_reason = $1, final_at = $2 WHERE id = $3 AND state = 'queued'", [`${d.rule}: ${d.reason}`, now, r.id]);
    }
  }

  async markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): Promise<void> {
    await this.tx((c) => this.submittedLocked(c, { id, ...r }));
  }

  private async submittedLocked(c: PgQueryable, r: { id: number; messageIds: readonly string[]; parts: number; at: number }): Promise<void> {
    const u = await c.query(
      `UPDATE outbound_messages SET state = 'submitted', smsc_message_id = $1, parts = $2, submitted_at = $3, lease_until = NULL
        WHERE id = $4 AND state = 'submitting' AND claimed_by = $5`,
      [r.messageIds[0] ?? null, r.parts, r.at, r.id, this.opts.nodeId],
    );
    if (u.rowCount === 0) return; // not (or no longer) this node's claim
    if (r.parts === 1 && r.messageIds.length === 1) return;
    for (const [i, mid] of r.messageIds.entries()) await this.insertPart(c, r.id, i + 1, mid);
    if (r.messageIds.length > 1) await this.settleFromParts(c, r.id, r.at);
  }

  private async insertPart(c: PgQueryable, id: number, part: number, messageId: string): Promise<void> {
    await c.query('INSERT INTO outbound_parts (smsc_message_id, outbound_id, part) VALUES ($1, $2, $3) ON CONFLICT (lower(smsc_message_id), outbound_id, part) DO NOTHING', [
      messageId,
      id,
      part,
    ]);
  }

  recordBatch(
    submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
    receipts: readonly DeliveryReceipt[],
    at: number,
    parts: ReadonlyArray<{ id: number } & AcceptedPart> = [],
  ): Promise<Array<number | null>> {
    return this.tx(async (c) => {
      // A part the SMSC accepted is a fact whoever holds the claim now: recorded unconditionally.
      for (const p of parts) await this.insertPart(c, p.id, p.part, p.messageId);
      for (const r of submitted) await this.submittedLocked(c, r);
      const out: Array<number | null> = [];
      for (const r of receipts) out.push(await this.applyReceiptLocked(c, r, at));
      return out;
    });
  }

  async markRetry(id: number, reason: string, nextAttemptAt: number): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET state = 'queued', state_reason = $1, next_attempt_at = $2, claimed_by = NULL, lease_until = NULL
        WHERE id = $3 AND state = 'submitting' AND claimed_by = $4`,
      [reason, nextAttemptAt, id, this.opts.nodeId],
    );
  }

  async markUnsent(id: number, state: UnsentState, reason: string, at: number): Promise<void> {
    await this.db.query(
      `UPDATE outbound_messages SET state = $1, state_reason = $2, final_at = $3, lease_until = NULL
        WHERE id = $4 AND state = 'submitting' AND claimed_by = $5`,
      [state, reason, at, id, this.opts.nodeId],
    );
  }

  async mayStillSend(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): Promise<boolean> {
    if (!needsConsent(m.kind)) return true;
    return consentAllows(m.kind, await this.consentOf(this.db, m.businessId, m.to));
  }

  async holdForWrite(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): Promise<WriteVerdict> {
    // Keyword replies and staff alerts go out whatever the consent: nothing for a STOP to wait on.
    if (!needsConsent(m.kind)) return { allowed: true };
    if (this.client) return { allowed: await this.mayStillSend(m) };
    const c = await this.pool.connect();
    let open = false;
    try {
      await c.query('BEGIN ISOLATION LEVEL READ COMMITTED');
      open = true;
      // The lock before the read: a STOP that holds it commits first and is seen; one that comes later waits for `release`.
      await lockPairForWrite(c, m.businessId, m.to);
      const allowed = consentAllows(m.kind, await this.consentOf(c, m.businessId, m.to));
      let released = false;
      return {
        allowed,
        // COMMIT ends the transaction and so the shared lock (it wrote nothing); a connection that fails it is destroyed.
        release: () => {
          if (released) return;
          released = true;
          void c.query('COMMIT').then(
            () => c.release(),
            (e: unknown) => c.release(e instanceof Error ? e : new Error(String(e))),
          );
        },
      };
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      if (open) {
        open = false;
        void c.query('ROLLBACK').then(() => c.release(), () => c.release(e));
      } else c.release(e);
      throw err;
    }
  }

  async markReceiptsOverdue(submittedBefore: number, reason: string, at: number): Promise<number> {
    const r = await this.db.query("UPDATE outbound_messages SET state = 'unknown', state_reason = $1, final_at = $2 WHERE state = 'submitted' AND submitted_at < $3", [
      reason,
      at,
      submittedBefore,
    ]);
    return r.rowCount ?? 0;
  }

  applyReceipt(r: DeliveryReceipt, at: number): Promise<number | null> {
    return this.tx((c) => this.applyReceiptLocked(c, r, at));
  }

  private async applyReceiptLocked(c: PgQueryable, r: DeliveryReceipt, at: number): Promise<number | null> {
    let hit: { id: number; part: number; parts: number | null } | undefined;
    for (const mid of r.messageIds) {
      hit = (
        await c.query<{ id: number; part: number; parts: number | null }>(
          `SELECT id, 1 AS part, parts, submitted_at FROM outbound_messages WHERE lower(smsc_message_id) = lower($1) AND parts = 1
           UNION ALL
           SELECT p.outbound_id, p.part, o.parts, o.submitted_at FROM outbound_parts p JOIN outbound_messages o ON o.id = p.outbound_id
            WHERE lower(p.smsc_message_id) = lower($1)
           ORDER BY 4 DESC NULLS LAST LIMIT 1`,
          [mid],
        )
      ).rows[0];
      if (hit) break;
    }
    if (!hit) return null;
    const partState = r.state === 'delivered' ? 'delivered' : FAILED_RECEIPT[r.state];
    if (!partState) return hit.id;
    const reason = r.error ? `receipt err:${r.error}` : null;
    if (hit.parts === 1) {
      await this.finalize(c, hit.id, partState, partState === 'delivered' ? null : reason, at);
      return hit.id;
    }
    await c.query('UPDATE outbound_parts SET state = $1, error = $2 WHERE outbound_id = $3 AND part = $4', [partState, r.error, hit.id, hit.part]);
    if (hit.parts !== null) await this.settleFromParts(c, hit.id, at, reason);
    return hit.id;
  }

  private async finalize(c: PgQueryable, id: number, state: string, reason: string | null, at: number): Promise<void> {
    await c.query(`UPDATE outbound_messages SET state = $1, state_reason = $2, final_at = $3, lease_until = NULL WHERE id = $4 AND state IN ${AWAITING_RECEIPT}`, [
      state,
      reason,
      at,
      id,
    ]);
  }

  private async settleFromParts(c: PgQueryable, id: number, at: number, reason: string | null = null): Promise<void> {
    const states = (await c.query<{ state: string }>('SELECT state FROM outbound_parts WHERE outbound_id = $1', [id])).rows.map((r) => r.state);
    const failed = states.find((s) => s !== 'delivered' && s !== 'submitted');
    if (failed) await this.finalize(c, id, failed, reason ?? 'a part failed (receipt)', at);
    else if (states.every((s) => s === 'delivered')) await this.finalize(c, id, 'delivered', null, at);
  }

  async cancelQueued(businessId: number, consumer: string, reason: string, at: number): Promise<number> {
    const r = await this.db.query(
      `UPDATE outbound_messages SET state = 'cancelled', state_reason = $1, final_at = $2
        WHERE business_id = $3 AND recipient = $4 AND state = 'queued' AND kind IN ${CONSUMER_KINDS}`,
      [reason, at, businessId, consumer],
    );
    return r.rowCount ?? 0;
  }

  async recoverInFlight(now: number): Promise<number> {
    const r = await this.db.query(
      `UPDATE outbound_messages SET state = 'queued', state_reason = 'in flight at a restart: may be sent twice', next_attempt_at = $1, claimed_by = NULL, lease_until = NULL
        WHERE state = 'submitting' AND claimed_by = $2`,
      [now, this.opts.nodeId],
    );
    return r.rowCount ?? 0;
  }

  async renewLeases(now: number): Promise<number> {
    // claimed_by = this node: a claim whose lease ended and was put back by another node's claim is not renewed.
    const r = await this.db.query(`UPDATE outbound_messages SET lease_until = $1 WHERE state = 'submitting' AND claimed_by = $2`, [now + this.leaseMs, this.opts.nodeId]);
    return r.rowCount ?? 0;
  }

  async requeueClaimsExcept(now: number, keep: readonly number[]): Promise<number> {
    const r = await this.db.query(
      `UPDATE outbound_messages SET state = 'queued', state_reason = 'claimed while the outbox writer failed: not sent', next_attempt_at = $1, claimed_by = NULL, lease_until = NULL
        WHERE state = 'submitting' AND claimed_by = $2 AND NOT (id = ANY($3::bigint[]))`,
      [now, this.opts.nodeId, keep],
    );
    return r.rowCount ?? 0;
  }

  async pendingCount(): Promise<number> {
    const r = await this.db.query<{ n: number }>("SELECT count(*) AS n FROM outbound_messages WHERE state IN ('queued', 'submitting')");
    return r.rows[0]!.n;
  }

  async nextDueAt(): Promise<number | null> {
    const r = await this.db.query<{ t: number | null }>("SELECT min(next_attempt_at) AS t FROM outbound_messages WHERE state = 'queued'");
    return r.rows[0]?.t ?? null;
  }

  async preflight(msg: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): Promise<PreflightResult> {
    const tz = (await this.db.query<{ timezone: string }>('SELECT timezone FROM businesses WHERE id = $1', [msg.businessId])).rows[0]?.timezone;
    if (tz === undefined) return { allow: false, rule: 'consent', reason: `no business ${msg.businessId}` };
    return decide(await this.factsOf(this.db, msg.businessId, msg.to, msg.kind, tz, now));
  }
}
