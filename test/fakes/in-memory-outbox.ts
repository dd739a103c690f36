import { consentAllows, countsTowardCap, DAY_MS, isConsumerText, isUrgent, needsConsent } from '../../src/domain/messaging/sending-policy.ts';
import type { OutboxTransaction } from '../../src/domain/ports/async-outbox.ts';
import type { BusinessDirectory } from '../../src/domain/ports/business-directory.ts';
import type {
  AcceptedPart,
  ClaimedMessage,
  DispatchOutbox,
  MessageKind,
  OutboundRequest,
  OutboundState,
  PreflightResult,
  SendDecider,
  SendFacts,
  UnsentState,
} from '../../src/domain/ports/outbox.ts';
import type { DeliveryReceipt } from '../../src/domain/ports/sms-gateway.ts';
import type { InMemoryConsentStore } from './in-memory-consent-store.ts';
import type { InMemoryMessageLog } from './in-memory-message-log.ts';
import type { Journal } from './journal.ts';
import { promised } from './promised.ts';

/** One text's dispatch state: the columns of `outbound_messages` the SQL stores keep (migrations 002, 005, 008). */
export interface OutboxRow {
  readonly id: number;
  readonly msg: OutboundRequest;
  state: OutboundState;
  stateReason: string | null;
  attempts: number;
  readonly createdAt: number;
  nextAttemptAt: number;
  claimedAt: number | null;
  submittedAt: number | null;
  finalAt: number | null;
  /** The first part's SMSC id (a one-part text is found by it). */
  smscMessageId: string | null;
  /** Set when the last part is accepted; null until then. */
  parts: number | null;
  /** `outbound_parts`: one per accepted part of a long text. */
  partRows: Array<{ messageId: string; part: number; state: string; error: string | null }>;
}

/** States that mean the SMSC has (or may have) the text: they count toward the frequency cap (src/store/outbox-row.ts). */
const SENT_STATES: ReadonlySet<OutboundState> = new Set(['submitting', 'submitted', 'delivered', 'undeliverable', 'expired', 'unknown']);
/** States a text is in while its final receipt may still come (src/store/outbox-row.ts). */
const AWAITING_RECEIPT: ReadonlySet<OutboundState> = new Set(['submitted', 'submitting', 'unknown']);
const FAILED_RECEIPT: Readonly<Record<string, OutboundState>> = { undeliverable: 'undeliverable', expired: 'expired', failed: 'failed' };
/** At most this many queued rows per claimed slot are examined in one claim, as SqliteOutbox. */
const CLAIM_READ_FACTOR = 8;

/** SMSC ids compare case-insensitively (`COLLATE NOCASE`, migration 002: hex ids come back in either case). */
const sameId = (a: string | null, b: string): boolean => a !== null && a.toLowerCase() === b.toLowerCase();

/**
 * An in-memory outbox. `Outbox` alone (the call flow's enqueue) needs nothing: `messages` is what was
 * queued, `failNext` makes enqueues throw. Given the ledger it reads (`consent`) and the businesses (their
 * time zones), it is a whole `DispatchOutbox` with SqliteOutbox's claim/decide/STOP semantics
 * (test/contract/outbox-contract.ts): a claim reads the pair's consent recorded last, the consumer texts of
 * the last 24 h and the zone, asks `decide`, and applies the verdict; `cancelQueued` is STOP; receipts
 * settle one-part and long texts alike.
 *
 * Transactions: `atomically` (sync) and `atomicallyAsync` (the async port's shape) restore the outbox and
 * the ledger as they were when the function throws. There is no isolation: a call made directly on these
 * fakes while an `atomicallyAsync` function awaits joins it (and is undone with it), the limit
 * src/store/sqlite-async-stores.ts states for the synchronous stores used directly on one connection.
 * `atomicallyAsync` calls run one after the other, as its turns do. Its transaction's inbound texts are
 * `messageLog`'s (set after construction: the message log reads this outbox), undone with the rest.
 */
export class InMemoryOutbox implements DispatchOutbox {
  readonly messages: Array<OutboundRequest & { readonly id: number }> = [];
  failNext = 0;
  /** The inbound texts a transaction of `atomicallyAsync` stores and reads (`tx.messages`). */
  messageLog: InMemoryMessageLog | undefined;
  readonly #journal: Journal | undefined;
  readonly #consent: InMemoryConsentStore | undefined;
  readonly #businesses: BusinessDirectory | undefined;
  readonly #now: () => number;
  #rows = new Map<number, OutboxRow>();
  #turn: Promise<unknown> = Promise.resolve();

  constructor(
    opts: { readonly journal?: Journal; readonly consent?: InMemoryConsentStore; readonly businesses?: BusinessDirectory; readonly now?: () => number } = {},
  ) {
    this.#journal = opts.journal;
    this.#consent = opts.consent;
    this.#businesses = opts.businesses;
    this.#now = opts.now ?? Date.now;
  }

  enqueue(msg: OutboundRequest): number {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error('scripted outbox failure');
    }
    const id = this.messages.length + 1;
    const now = this.#now();
    this.messages.push({ ...msg, id });
    this.#rows.set(id, {
      id, msg: { ...msg }, state: 'queued', stateReason: null, attempts: 0, createdAt: now, nextAttemptAt: now,
      claimedAt: null, submittedAt: null, finalAt: null, smscMessageId: null, parts: null, partRows: [],
    });
    this.#journal?.add('outbox.enqueue', msg.callId, id);
    return id;
  }

  forCall(callId: number): Array<OutboundRequest & { readonly id: number }> {
    return this.messages.filter((m) => m.callId === callId);
  }

  /** Every text with its dispatch state, in id order (copies): what the message log fake reads. */
  rows(): OutboxRow[] {
    return [...this.#rows.values()].map((r) => structuredClone(r));
  }

  claim(limit: number, now: number, decide: SendDecider): ClaimedMessage[] {
    if (limit <= 0) return [];
    const out: ClaimedMessage[] = [];
    let budget = limit * CLAIM_READ_FACTOR;
    // Keyword replies and staff alerts first, then every due text (due order, then id), as SqliteOutbox's two reads.
    for (const urgent of [true, false]) {
      const due = [...this.#rows.values()]
        .filter((r) => r.state === 'queued' && r.nextAttemptAt <= now && (!urgent || isUrgent(r.msg.kind)))
        .sort((a, b) => a.nextAttemptAt - b.nextAttemptAt || a.id - b.id);
      for (const r of due) {
        if (out.length >= limit || budget <= 0) return out;
        // The SQL reads join `businesses`: a text of a business it does not hold is never read.
        const timezone = this.#directory().byId(r.msg.businessId)?.timezone;
        if (timezone === undefined) continue;
        budget--;
        this.#claimRow(r, this.#factsOf(r.msg.businessId, r.msg.to, r.msg.kind, timezone, now), decide, out);
      }
    }
    return out;
  }

  #claimRow(r: OutboxRow, facts: SendFacts, decide: SendDecider, out: ClaimedMessage[]): void {
    const d = decide(facts);
    if (d.allow) {
      const lastReason = r.stateReason;
      r.state = 'submitting';
      r.claimedAt = facts.now;
      r.attempts++;
      r.stateReason = null;
      const acceptedParts: AcceptedPart[] = r.partRows
        .map((p) => ({ part: p.part, messageId: p.messageId }))
        .sort((a, b) => a.part - b.part);
      out.push({
        id: r.id, businessId: r.msg.businessId, from: r.msg.from, to: r.msg.to, body: r.msg.body, kind: r.msg.kind,
        attempts: r.attempts, createdAt: r.createdAt, lastReason, acceptedParts,
      });
    } else if (d.rule === 'quiet-hours') {
      r.nextAttemptAt = d.retryAt;
      r.stateReason = `quiet-hours: ${d.reason}`;
    } else {
      r.state = 'refused';
      r.stateReason = `${d.rule}: ${d.reason}`;
      r.finalAt = facts.now;
    }
  }

  /** The facts the sending rules judge, read now (only those the kind needs), as SqliteOutbox's `factsOf`. */
  #factsOf(businessId: number, consumer: string, kind: MessageKind, timezone: string, now: number): SendFacts {
    const consent = needsConsent(kind) ? this.#ledger().current(businessId, consumer) : 'none';
    let sent = 0;
    if (countsTowardCap(kind)) {
      for (const r of this.#rows.values()) {
        if (r.msg.businessId !== businessId || r.msg.to !== consumer || !SENT_STATES.has(r.state) || !isConsumerText(r.msg.kind)) continue;
        if ((r.submittedAt ?? r.claimedAt ?? -Infinity) > now - DAY_MS) sent++;
      }
    }
    return { kind, consent, sentLast24h: sent, now, timezone };
  }

  markSubmitted(id: number, r: { messageIds: readonly string[]; parts: number; at: number }): void {
    this.atomically(() => this.#submitted({ id, ...r }));
  }

  #submitted(s: { id: number; messageIds: readonly string[]; parts: number; at: number }): void {
    const r = this.#rows.get(s.id);
    if (r === undefined) return;
    // As SqliteOutbox: the state moves only from `submitting`, but the parts are recorded (and may settle the text) whatever it is.
    if (r.state === 'submitting') {
      r.state = 'submitted';
      r.smscMessageId = s.messageIds[0] ?? null;
      r.parts = s.parts;
      r.submittedAt = s.at;
    }
    if (s.parts === 1 && s.messageIds.length === 1) return;
    s.messageIds.forEach((mid, i) => this.#addPart(s.id, { part: i + 1, messageId: mid }));
    if (s.messageIds.length > 1) this.#settleFromParts(r, s.at);
  }

  /** `INSERT OR IGNORE INTO outbound_parts`: a part already recorded with that id is kept as it is. */
  #addPart(id: number, p: AcceptedPart): void {
    const r = this.#rows.get(id);
    if (r === undefined) return;
    if (!r.partRows.some((x) => x.part === p.part && sameId(x.messageId, p.messageId))) {
      r.partRows.push({ messageId: p.messageId, part: p.part, state: 'submitted', error: null });
    }
  }

  recordBatch(
    submitted: ReadonlyArray<{ id: number; messageIds: readonly string[]; parts: number; at: number }>,
    receipts: readonly DeliveryReceipt[],
    at: number,
    parts: ReadonlyArray<{ id: number } & AcceptedPart> = [],
  ): Array<number | null> {
    return this.atomically(() => {
      for (const p of parts) this.#addPart(p.id, p);
      for (const s of submitted) this.#submitted(s);
      return receipts.map((r) => this.#applyReceipt(r, at));
    });
  }

  markRetry(id: number, reason: string, nextAttemptAt: number): void {
    const r = this.#rows.get(id);
    if (r === undefined || r.state !== 'submitting') return;
    r.state = 'queued';
    r.stateReason = reason;
    r.nextAttemptAt = nextAttemptAt;
  }

  markUnsent(id: number, state: UnsentState, reason: string, at: number): void {
    const r = this.#rows.get(id);
    if (r === undefined || r.state !== 'submitting') return;
    r.state = state;
    r.stateReason = reason;
    r.finalAt = at;
  }

  mayStillSend(m: Pick<ClaimedMessage, 'businessId' | 'to' | 'kind'>): boolean {
    if (!needsConsent(m.kind)) return true;
    return consentAllows(m.kind, this.#ledger().current(m.businessId, m.to));
  }

  markReceiptsOverdue(submittedBefore: number, reason: string, at: number): number {
    let n = 0;
    for (const r of this.#rows.values()) {
      if (r.state !== 'submitted' || r.submittedAt === null || r.submittedAt >= submittedBefore) continue;
      r.state = 'unknown';
      r.stateReason = reason;
      r.finalAt = at;
      n++;
    }
    return n;
  }

  applyReceipt(r: DeliveryReceipt, at: number): number | null {
    return this.atomically(() => this.#applyReceipt(r, at));
  }

  #applyReceipt(receipt: DeliveryReceipt, at: number): number | null {
    let hit: { row: OutboxRow; part: number } | undefined;
    for (const mid of receipt.messageIds) {
      hit = this.#findPart(mid);
      if (hit) break;
    }
    if (!hit) return null;
    const { row, part } = hit;
    const partState = receipt.state === 'delivered' ? 'delivered' : FAILED_RECEIPT[receipt.state];
    if (!partState) return row.id; // intermediate (enroute, accepted, unknown): nothing final yet
    const reason = receipt.error ? `receipt err:${receipt.error}` : null;
    if (row.parts === 1) {
      this.#finalize(row, partState as OutboundState, partState === 'delivered' ? null : reason, at);
      return row.id;
    }
    for (const p of row.partRows) {
      if (p.part === part) {
        p.state = partState;
        p.error = receipt.error ?? null;
      }
    }
    // Parts still unsent (`parts` is set when the last is accepted): the text settles when it is submitted.
    if (row.parts !== null) this.#settleFromParts(row, at, reason);
    return row.id;
  }

  /** A one-part text by its own SMSC id, a part of a long text by its part row; the newest submission wins (SMSCs reuse ids). */
  #findPart(mid: string): { row: OutboxRow; part: number } | undefined {
    const hits: Array<{ row: OutboxRow; part: number }> = [];
    for (const row of this.#rows.values()) {
      if (row.parts === 1 && sameId(row.smscMessageId, mid)) hits.push({ row, part: 1 });
      for (const p of row.partRows) if (sameId(p.messageId, mid)) hits.push({ row, part: p.part });
    }
    // ORDER BY submitted_at DESC: a text not yet submitted (NULL) comes last.
    return hits.sort((a, b) => (b.row.submittedAt ?? -Infinity) - (a.row.submittedAt ?? -Infinity))[0];
  }

  /** A long text is delivered when every part is, and takes the state of its first failed part. */
  #settleFromParts(row: OutboxRow, at: number, reason: string | null = null): void {
    const states = row.partRows.map((p) => p.state);
    const failed = states.find((s) => s !== 'delivered' && s !== 'submitted');
    if (failed) this.#finalize(row, failed as OutboundState, reason ?? 'a part failed (receipt)', at);
    else if (states.every((s) => s === 'delivered')) this.#finalize(row, 'delivered', null, at);
  }

  /** `unknown` too: a receipt later than the receipt timeout still settles the text. */
  #finalize(row: OutboxRow, state: OutboundState, reason: string | null, at: number): void {
    if (!AWAITING_RECEIPT.has(row.state)) return;
    row.state = state;
    row.stateReason = reason;
    row.finalAt = at;
  }

  cancelQueued(businessId: number, consumer: string, reason: string, at: number): number {
    let n = 0;
    for (const r of this.#rows.values()) {
      if (r.msg.businessId !== businessId || r.msg.to !== consumer || r.state !== 'queued' || !isConsumerText(r.msg.kind)) continue;
      r.state = 'cancelled';
      r.stateReason = reason;
      r.finalAt = at;
      n++;
    }
    return n;
  }

  recoverInFlight(now: number): number {
    return this.#requeue(now, 'in flight at a restart: may be sent twice', new Set());
  }

  requeueClaimsExcept(now: number, keep: readonly number[]): number {
    return this.#requeue(now, 'claimed while the outbox writer failed: not sent', new Set(keep));
  }

  #requeue(now: number, reason: string, keep: ReadonlySet<number>): number {
    let n = 0;
    for (const r of this.#rows.values()) {
      if (r.state !== 'submitting' || keep.has(r.id)) continue;
      r.state = 'queued';
      r.stateReason = reason;
      r.nextAttemptAt = now;
      n++;
    }
    return n;
  }

  pendingCount(): number {
    return [...this.#rows.values()].filter((r) => r.state === 'queued' || r.state === 'submitting').length;
  }

  nextDueAt(): number | null {
    const due = [...this.#rows.values()].filter((r) => r.state === 'queued').map((r) => r.nextAttemptAt);
    return due.length === 0 ? null : Math.min(...due);
  }

  preflight(msg: Pick<OutboundRequest, 'businessId' | 'to' | 'kind'>, now: number, decide: SendDecider): PreflightResult {
    const tz = this.#directory().byId(msg.businessId)?.timezone;
    if (tz === undefined) return { allow: false, rule: 'consent', reason: `no business ${msg.businessId}` };
    return decide(this.#factsOf(msg.businessId, msg.to, msg.kind, tz, now));
  }

  atomically<T>(fn: () => T): T {
    const undo = this.#savepoint();
    try {
      return fn();
    } catch (err) {
      undo();
      throw err;
    }
  }

  /**
   * The async port's `atomically` (src/domain/ports/async-outbox.ts): `fn` gets this outbox and its ledger
   * answering on later microtasks, may await them, and what it wrote is undone when it rejects.
   */
  atomicallyAsync<T>(fn: (tx: OutboxTransaction) => Promise<T>): Promise<T> {
    const base = promised<DispatchOutbox>(this, 'outbox');
    // The async port's holdForWrite: on one in-memory store the check and the write share a turn, nothing to hold.
    const outbox = new Proxy(base, {
      get: (t, k, r) => (k === 'holdForWrite' ? async (m: ClaimedMessage) => ({ allowed: await t.mayStillSend(m) }) : Reflect.get(t, k, r)),
    }) as unknown as OutboxTransaction['outbox'];
    // The message log is looked up when used: a transaction that stores no inbound text needs none.
    const messages: OutboxTransaction['messages'] = {
      saveInbound: async (m) => this.#messageLog().saveInbound(m),
      latestInbound: async (pair, since) => this.#messageLog().latestInbound(pair, since),
      latestCallId: async (b, c) => this.#messageLog().latestCallId(b, c),
    };
    const tx: OutboxTransaction = { outbox, consent: promised(this.#ledger(), 'consent'), messages };
    const run = this.#turn.then(async () => {
      const undo = this.#savepoint();
      try {
        return await fn(tx);
      } catch (err) {
        undo();
        throw err;
      }
    });
    this.#turn = run.catch(() => {});
    return run;
  }

  /** What to call to put the outbox and the ledger back as they are now. */
  #savepoint(): () => void {
    const rows = structuredClone(this.#rows);
    const messages = this.messages.length;
    const events = this.#consent?.events.length ?? 0;
    const inbound = this.messageLog?.inbound.length ?? 0;
    return () => {
      this.#rows = rows;
      this.messages.length = messages;
      if (this.#consent) this.#consent.events.length = events;
      if (this.messageLog) this.messageLog.inbound.length = inbound;
    };
  }

  #messageLog(): InMemoryMessageLog {
    if (!this.messageLog) throw new Error('InMemoryOutbox: set `messageLog` (the inbound texts its transactions store) to store inbound texts');
    return this.messageLog;
  }

  #ledger(): InMemoryConsentStore {
    if (!this.#consent) throw new Error('InMemoryOutbox: give it `consent` (the ledger its claims read) to dispatch');
    return this.#consent;
  }

  #directory(): BusinessDirectory {
    if (!this.#businesses) throw new Error('InMemoryOutbox: give it `businesses` (their time zones) to dispatch');
    return this.#businesses;
  }
}
