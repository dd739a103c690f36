import type { Statement } from 'better-sqlite3';
import { currentConsent, type ConsentEventType, type ConsentState } from '../domain/consent.ts';
import { consentAllows, countsTowardCap, DAY_MS, needsConsent } from '../domain/messaging/sending-policy.ts';
import type {
  AcceptedPart,
  ClaimedMessage,
  DispatchOutbox,
  MessageKind,
  OutboundRequest,
  OutboundState,
  SendDecider,
  SendDecision,
  SendFacts,
  UnsentState,
} from '../domain/ports/outbox.ts';
import type { DeliveryReceipt } from '../domain/ports/sms-gateway.ts';
import { currentConsentIdSql } from './current-consent-sql.ts';
import type { SqliteDb } from './sqlite-database.ts';
import { AWAITING_RECEIPT, claimedOf, CONSUMER_KINDS, SENT_STATES, URGENT_KINDS, type QueuedRow } from './outbox-row.ts';

/**
 * Consumer texts sent or in flight to the pair (business, recipient) in the window (params: business,
 * recipient, since). Read through `outbound_pair` (migration 005): a handful of rows per consumer.
 */
const SENT_COUNT_SQL = `(SELECT count(*) FROM outbound_messages
   WHERE business_id = ? AND recipient = ? AND state IN ${SENT_STATES} AND kind IN ${CONSUMER_KINDS}
     AND COALESCE(submitted_at, claimed_at) > ?)`;
/**
 * The claim's reads: due rows in due order (then id), straight off a partial index, no sort. `urgent`
 * reads only keyword replies and staff alerts (index `outbound_queue_urgent`, migration 006; its WHERE is
 * repeated here, as SQLite uses a partial index only then); the other reads all due rows (`outbound_queue`).
 * The LIMIT is a literal, one statement per limit: with a bound `LIMIT ?` every run cost ~5 µs more (SQLite
 * re-prepares the statement when that parameter is bound; measured with bench:sms).
 */
function dueSql(urgent: boolean, limit: number): string {
  return `SELECT o.id, o.business_id, o.sender, o.recipient, o.body, o.kind, o.attempts, o.created_at, o.state_reason, b.timezone
            FROM outbound_messages o JOIN businesses b ON b.id = o.business_id
           WHERE o.state = 'queued' ${urgent ? `AND o.kind IN ${URGENT_KINDS} ` : ''}AND o.next_attempt_at <= ?
           ORDER BY o.next_attempt_at, o.id LIMIT ${limit}`;
}

/** At most this many queued rows per claimed slot are examined in one claim transaction. */
const CLAIM_READ_FACTOR = 8;
const FAILED_RECEIPT: Readonly<Record<string, OutboundState>> = { undeliverable: 'undeliverable', expired: 'expired', failed: 'failed' };

/**
 * The durable outbox on SQLite. Every claim runs in one IMMEDIATE transaction that reads, at
 * that moment, the pair's current consent event (recorded last: current-consent-sql.ts), the texts of
 * the last 24 h and the business's time zone, and moves the message to `submitting` only if the sending
 * rules allow it. So a STOP committed before the claim always wins; a text claimed before the STOP is at
 * most one window in flight. The store reads the facts and applies the verdict; the verdict itself is
 * the caller's `decide` (app/messaging/send-decider.ts), so the rules never live here.
 */
export class SqliteOutbox implements DispatchOutbox {
  private readonly db: SqliteDb;
  private readonly now: () => number;
  /** The claim's due reads by (urgent, limit): see `dueSql`. */
  private readonly dueReads = new Map<string, Statement>();
  /** One transaction wrapper, built once: `db.transaction()` costs more than a claim's statements. */
  private readonly tx: { immediate(fn: () => unknown): unknown };
  private readonly s: Record<
    | 'insert'
    | 'acceptedParts'
    | 'consent'
    | 'sentCount'
    | 'facts'
    | 'timezone'
    | 'toSubmitting'
    | 'toRefused'
    | 'defer'
    | 'submitted'
    | 'part'
    | 'retry'
    | 'unsent'
    | 'overdue'
    | 'findPart'
    | 'partState'
    | 'partsOf'
    | 'finalize'
    | 'cancel'
    | 'recover'
    | 'requeueExcept'
    | 'pending'
    | 'nextDue',
    Statement
  >;

  constructor(db: SqliteDb, opts: { clock?: { now(): number } } = {}) {
    this.db = db;
    const clock = opts.clock ?? { now: Date.now };
    this.now = () => clock.now();
    this.tx = db.transaction((fn: () => unknown) => fn());
    this.s = {
      insert: db.prepare(
        `INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, call_id, consent_event_id, state, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?)`,
      ),
      acceptedParts: db.prepare('SELECT part, smsc_message_id AS messageId FROM outbound_parts WHERE outbound_id = ? ORDER BY part'),
      // The same "current consent" as the consent store and `optout list`: the pair's event recorded last (current-consent-sql.ts).
      consent: db.prepare(`SELECT event FROM consent_ledger WHERE id = ${currentConsentIdSql('?', '?')}`).pluck(),
      sentCount: db.prepare(`SELECT ${SENT_COUNT_SQL}`).pluck(),
      // Both facts of a consumer text in one statement (the claim's hot path): [consent event, texts in 24 h].
      facts: db.prepare(`SELECT (SELECT event FROM consent_ledger WHERE id = ${currentConsentIdSql('?', '?')}), ${SENT_COUNT_SQL}`).raw(),
      timezone: db.prepare('SELECT timezone FROM businesses WHERE id = ?').pluck(),
      toSubmitting: db.prepare(
        "UPDATE outbound_messages SET state = 'submitting', claimed_at = ?, attempts = attempts + 1, state_reason = NULL WHERE id = ? AND state = 'queued'",
      ),
      toRefused: db.prepare("UPDATE outbound_messages SET state = 'refused', state_reason = ?, final_at = ? WHERE id = ? AND state = 'queued'"),
      defer: db.prepare("UPDATE outbound_messages SET next_attempt_at = ?, state_reason = ? WHERE id = ? AND state = 'queued'"),
      submitted: db.prepare(
        "UPDATE outbound_messages SET state = 'submitted', smsc_message_id = ?, parts = ?, submitted_at = ? WHERE id = ? AND state = 'submitting'",
      ),
      part: db.prepare('INSERT OR IGNORE INTO outbound_parts (smsc_message_id, outbound_id, part) VALUES (?, ?, ?)'),
      retry: db.prepare(
        "UPDATE outbound_messages SET state = 'queued', state_reason = ?, next_attempt_at = ? WHERE id = ? AND state = 'submitting'",
      ),
      unsent: db.prepare("UPDATE outbound_messages SET state = ?, state_reason = ?, final_at = ? WHERE id = ? AND state = 'submitting'"),
      // Served by the partial index `outbound_awaiting_receipt` (migration 006).
      overdue: db.prepare(
        "UPDATE outbound_messages SET state = 'unknown', state_reason = ?, final_at = ? WHERE state = 'submitted' AND submitted_at < ?",
      ),
      // A one-part text is found by its row's SMSC id (index outbound_smsc, migration 005); a part of a long
      // text through outbound_parts. The newest wins: SMSCs reuse ids after a while.
      findPart: db
        .prepare(
          `SELECT id, 1 AS part, parts, submitted_at FROM outbound_messages WHERE smsc_message_id = ? COLLATE NOCASE AND parts = 1
           UNION ALL
           SELECT p.outbound_id, p.part, o.parts, o.submitted_at FROM outbound_parts p JOIN outbound_messages o ON o.id = p.outbound_id
            WHERE p.smsc_message_id = ?
           ORDER BY 4 DESC LIMIT 1`,
        )
        .raw(),
      partState: db.prepare('UPDATE outbound_parts SET state = ?, error = ? WHERE outbound_id = ? AND part = ?'),
      partsOf: db.prepare('SELECT state FROM outbound_parts WHERE outbound_id = ?').pluck(),
      // `unknown` too: a receipt later than `smpp.receiptTimeoutHours` still settles the text.
      finalize: db.prepare(
        `UPDATE outbound_messages SET state = ?, state_reason = ?, final_at = ? WHERE id = ? AND state IN ${AWAITING_RECEIPT}`,
      ),
      cancel: db.prepare(
        `UPDATE outbound_messages SET state = 'cancelled', state_reason = ?, final_at = ?
          WHERE business_id = ? AND recipient = ? AND state = 'queued' AND kind IN ${CONSUMER_KINDS}`,
      ),
      recover: db.prepare(
        "UPDATE outbound_messages SET state = 'queued', state_reason = 'in flight at a restart: may be sent twice', next_attempt_at = ? WHERE state = 'submitting'",
      ),
      // `submitting` rows the sender never got (json_each: the ids it still has in flight).
      requeueExcept: db.prepare(
        `UPDATE outbound_messages SET state = 'queued', state_reason = 'claimed while the outbox writer failed: not sent', next_attempt_at = ?
          WHERE state = 'submitting' AND id NOT IN (SELECT value FROM json_each(?))`,
      ),
      // Two counts, so that each is served by its partial index (an IN over both states would scan the table).
      pending: db
        .prepare(
          "SELECT (SELECT count(*) FROM outbound_messages WHERE state = 'queued') + (SELECT count(*) FROM outbound_messages WHERE state = 'submitting')",
        )
        .pluck(),
      nextDue: db.prepare("SELECT min(next_attempt_at) FROM outbound_messages WHERE state = 'queued'").pluck(),
    };
  }

  enqueue(msg: OutboundRequest): number {
    const now = this.now();
    const r = this.s.insert.run(msg.businessId, msg.from, msg.to, msg.body, msg.kind, msg.callId, msg.consentEventId, now, now);
    return Number(r.lastInsertRowid);
  }

  private consentOf(businessId: number, consumer: string): ConsentState {
    const event = this.s.consent.get(businessId, consumer) as ConsentEventType | undefined;
    return currentConsent(event === undefined ? undefined : { event });
  }

  /** The facts the sending rules judge, read in the caller's transaction (only those the kind needs). */
  private factsOf(businessId: number, consumer: string, kind: MessageKind, timezone: string, now: number): SendFacts {
    let consent: ConsentState = 'none';
    let sent = 0;
    if (needsConsent(kind) && countsTowardCap(kind)) {
      const [event, n] = this.s.facts.get(businessId, consumer, businessId, consumer, now - DAY_MS) as [ConsentEventType | null, number];
      consent = currentConsent(event === null ? undefined : { event });
      sent = n;
    } else {
      if (needsConsent(kind)) consent = this.consentOf(businessId, consumer);
      if (countsTowardCap(kind)) sent = this.s.sentCount.get(businessId, consumer, now - DAY_MS) as number;
    }
    return { kind, consent, sentLast24h: sent, now, timezone };
  }

  /**
   * Runs `fn` in an IMMEDIATE transaction, or directly when the caller already holds one (the
   * dispatcher's `atomically` around record + claim): a nested better-sqlite3 transaction would add a
   * SAVEPOINT and a RELEASE per call. The savepoint would only matter to a caller that catches an error
   * inside its own transaction and goes on; none does (the dispatcher and the inbound handler let it
   * abort the whole transaction).
   */
  private inWriteTx<T>(fn: () => T): T {
    return this.db.inTransaction ? fn() : this.tx.immediate(fn) as T;
  }

  claim(limit: number, now: number, decide: SendDecider): ClaimedMessage[] {
    if (limit <= 0) return [];
    return this.inWriteTx(() => this.claimLocked(limit, now, decide));
  }

  private claimLocked(limit: number, now: number, decide: SendDecider): ClaimedMessage[] {
    const out: ClaimedMessage[] = [];
    // Every row read leaves the due set (claimed, refused, or deferred past `now`), so reading only what
    // is still missing and reading again after a refusal never sees a row twice and never over-reads.
    // A queue full of refusals is worked through a bounded number of rows per transaction (the next
    // claim goes on), so one claim never holds the write lock and the event loop for long. Urgent texts
    // are read first; the general read then finds none of them still due.
    let budget = limit * CLAIM_READ_FACTOR;
    for (const urgent of [true, false]) {
      for (;;) {
        const want = Math.min(limit - out.length, budget);
        const rows = this.dueRead(urgent, want).all(now) as QueuedRow[];
        budget -= rows.length;
        for (const r of rows) this.claimRow(r, now, decide, out);
        if (out.length >= limit || budget <= 0) return out;
        if (rows.length < want) break;
      }
    }
    return out;
  }

  private dueRead(urgent: boolean, limit: number): Statement {
    const key = `${urgent ? 'u' : 'a'}${limit}`;
    let st = this.dueReads.get(key);
    if (!st) {
      st = this.db.prepare(dueSql(urgent, Math.max(0, Math.floor(limit))));
      this.dueReads.set(key, st);
    }
    return st;
  }

  private claimRow(r: QueuedRow, now: number, decide: SendDecider, out: ClaimedMessage[]): void {
    const d = decide(this.factsOf(r.business_id, r.recipient, r.kind, r.timezone, now));
    if (d.allow) {
      this.s.toSubmitting.run(now, r.id);
      // Only a retried text can have parts accepted by an earlier attempt (one read, not one per claim).
      const acceptedParts = r.attempts > 0 ? (this.s.acceptedParts.all(r.id) as AcceptedPart[]) : [];
      out.push(claimedOf(r, acceptedParts));
    } else if (d.rule === 'quiet-hours') {
      this.s.defer.run(d.retryAt, `quiet-hours: ${d.reason}`, r.id);
    } else {
      this.s.toRefused.run(`${d.rule}: ${d.reason}`, now, r.id);
    }
  }

  markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): void {
    this.inWriteTx(() => this.submittedLocked({ id, ...r }));
  }

  /**
   * A one-part text (most of them) keeps its SMSC id on its own row only; a long text also gets one
   * `outbound_parts` row per part, since receipts come per part. Three fewer b-tree writes per text.
   * The parts before the last were recorded as they were accepted (recordBatch `parts`), and a receipt
   * for one of them may already have come: the text's state then follows from its parts right away.
   */
  private submittedLocked(r: { id: number; messageIds: readonly string[]; parts: number; at: number }): void {
    this.s.submitted.run(r.messageIds[0] ?? null, r.parts, r.at, r.id);
    if (r.parts === 1 && r.messageIds.length === 1) return;
    for (let i = 0; i < r.messageIds.length; i++) this.s.part.run(r.messageIds[i], r.id, i + 1);
    if (r.messageIds.length > 1) this.settleFromParts(r.id, r.at);
  }

  recordBatch(
    submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
    receipts: readonly DeliveryReceipt[],
    at: number,
    parts: ReadonlyArray<{ id: number } & AcceptedPart> = [],
  ): Array<number | null> {
    return this.inWriteTx(() => {
      for (const p of parts) this.s.part.run(p.messageId, p.id, p.part);
      for (const r of submitted) this.submittedLocked(r);
      return receipts.map((r) => this.applyReceiptLocked(r, at));
    });
  }

  markRetry(id: number, reason: string, nextAttemptAt: number): void {
    this.s.retry.run(reason, nextAttemptAt, id);
  }

  markUnsent(id: number, state: UnsentState, reason: string, at: number): void {
    this.s.unsent.run(state, reason, at, id);
  }

  mayStillSend(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): boolean {
    if (!needsConsent(m.kind)) return true;
    return consentAllows(m.kind, this.consentOf(m.businessId, m.to));
  }

  markReceiptsOverdue(submittedBefore: number, reason: string, at: number): number {
    return this.s.overdue.run(reason, at, submittedBefore).changes;
  }

  applyReceipt(r: DeliveryReceipt, at: number): number | null {
    return this.inWriteTx(() => this.applyReceiptLocked(r, at));
  }

  private applyReceiptLocked(r: DeliveryReceipt, at: number): number | null {
    let hit: [outboundId: number, part: number, parts: number | null, submittedAt: number | null] | undefined;
    for (const mid of r.messageIds) {
      hit = this.s.findPart.get(mid, mid) as typeof hit;
      if (hit) break;
    }
    if (!hit) return null;
    const [outboundId, part, parts] = hit;
    const partState = r.state === 'delivered' ? 'delivered' : FAILED_RECEIPT[r.state];
    if (!partState) return outboundId; // intermediate (enroute, accepted, unknown): nothing final yet
    const reason = r.error ? `receipt err:${r.error}` : null;
    if (parts === 1) {
      // Its only part's state is the text's state (rows from before migration 005 also have a part row; it stays as it was).
      this.s.finalize.run(partState, partState === 'delivered' ? null : reason, at, outboundId);
      return outboundId;
    }
    this.s.partState.run(partState, r.error, outboundId, part);
    // Parts still unsent (`parts` is set when the last is accepted): the text settles when it is submitted.
    if (parts !== null) this.settleFromParts(outboundId, at, reason);
    return outboundId;
  }

  /** A long text is delivered when every part is, and takes the state of its first failed part. */
  private settleFromParts(outboundId: number, at: number, reason: string | null = null): void {
    const states = this.s.partsOf.all(outboundId) as string[];
    const failed = states.find((s) => s !== 'delivered' && s !== 'submitted');
    if (failed) this.s.finalize.run(failed, reason ?? 'a part failed (receipt)', at, outboundId);
    else if (states.every((s) => s === 'delivered')) this.s.finalize.run('delivered', null, at, outboundId);
  }

  cancelQueued(businessId: number, consumer: string, reason: string, at: number): number {
    return this.s.cancel.run(reason, at, businessId, consumer).changes;
  }

  recoverInFlight(now: number): number {
    return this.s.recover.run(now).changes;
  }

  /**
   * In a running service, after the writer lost a claim's answer (src/store/README.md, "The outbox writer
   * thread"): `submitting` rows other than `keep` (what the sender has in flight) were never handed to it,
   * so never written: back to `queued`, without the restart's "may be sent twice".
   */
  requeueClaimsExcept(now: number, keep: readonly number[]): number {
    return this.s.requeueExcept.run(now, JSON.stringify(keep)).changes;
  }

  pendingCount(): number {
    return this.s.pending.get() as number;
  }

  nextDueAt(): number | null {
    return (this.s.nextDue.get() as number | null) ?? null;
  }

  preflight(msg: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): SendDecision {
    const tz = this.s.timezone.get(msg.businessId) as string | undefined;
    if (tz === undefined) return { allow: false, rule: 'consent', reason: `no business ${msg.businessId}` };
    return decide(this.factsOf(msg.businessId, msg.to, msg.kind, tz, now));
  }

  atomically<T>(fn: () => T): T {
    return this.inWriteTx(fn);
  }
}
