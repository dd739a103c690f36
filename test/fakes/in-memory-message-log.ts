import type { ConsentEvent } from '../../src/domain/consent.ts';
import type { InboundPair, MessageLog, MessageRow, NewInboundMessage, OptOutRow, StoredInbound } from '../../src/domain/ports/message-log.ts';
import type { InMemoryCallLog } from './in-memory-call-log.ts';
import type { InMemoryConsentStore } from './in-memory-consent-store.ts';
import type { InMemoryOutbox } from './in-memory-outbox.ts';

/**
 * An in-memory `MessageLog`: inbound texts kept here, the history read across the fakes' call log,
 * outbox and ledger, as the durable stores read their tables (test/contract/message-log-contract.ts).
 * Inbound and outbound ids are separate sequences, as the two tables' are.
 */
export class InMemoryMessageLog implements MessageLog {
  readonly inbound: Array<NewInboundMessage & { readonly id: number }> = [];
  readonly #calls: InMemoryCallLog;
  readonly #outbox: InMemoryOutbox;
  readonly #consent: InMemoryConsentStore;

  constructor(opts: { readonly calls: InMemoryCallLog; readonly outbox: InMemoryOutbox; readonly consent: InMemoryConsentStore }) {
    this.#calls = opts.calls;
    this.#outbox = opts.outbox;
    this.#consent = opts.consent;
  }

  saveInbound(m: NewInboundMessage): number {
    const id = this.inbound.length + 1;
    this.inbound.push({ ...m, id });
    return id;
  }

  latestInbound(pair: InboundPair, since: number): StoredInbound | null {
    // ORDER BY id DESC LIMIT 1 over the pair's texts received at or after `since`.
    for (let i = this.inbound.length - 1; i >= 0; i--) {
      const m = this.inbound[i]!;
      if (m.businessId === pair.businessId && m.recipient === pair.recipient && m.sender === pair.sender && m.receivedAt >= since) {
        return { id: m.id, body: m.body, receivedAt: m.receivedAt };
      }
    }
    return null;
  }

  latestCallId(businessId: number, consumer: string): number | null {
    let best: { id: number; startedAt: number } | null = null;
    for (const c of this.#calls.rows.values()) {
      if (c.businessId !== businessId || c.callerE164 !== consumer) continue;
      // ORDER BY started_at DESC, id DESC: the latest start, then the call opened last.
      if (best === null || c.startedAt > best.startedAt || (c.startedAt === best.startedAt && c.id > best.id)) best = c;
    }
    return best?.id ?? null;
  }

  list(opts: { businessId?: number; limit?: number; direction?: 'in' | 'out' } = {}): MessageRow[] {
    const mine = (businessId: number | null) => opts.businessId === undefined || businessId === opts.businessId;
    const rows: MessageRow[] = [];
    if (opts.direction !== 'in') {
      for (const r of this.#outbox.rows()) {
        if (!mine(r.msg.businessId)) continue;
        rows.push({
          direction: 'out', id: r.id, businessId: r.msg.businessId, consumer: r.msg.to, body: r.msg.body, at: r.createdAt, status: r.state,
          kind: r.msg.kind, callId: r.msg.callId,
        });
      }
    }
    if (opts.direction !== 'out') {
      for (const m of this.inbound) {
        if (!mine(m.businessId)) continue;
        rows.push({
          direction: 'in', id: m.id, businessId: m.businessId, consumer: m.sender, body: m.body, at: m.receivedAt, status: m.keyword ?? 'reply',
          kind: null, callId: m.callId,
        });
      }
    }
    // ORDER BY at DESC, id DESC LIMIT (default 100, as the stores').
    return rows.sort((a, b) => b.at - a.at || b.id - a.id).slice(0, Math.max(0, opts.limit ?? 100));
  }

  optOuts(opts: { businessId?: number } = {}): OptOutRow[] {
    const latest = new Map<string, ConsentEvent>();
    // The pair's event recorded last (the highest id: src/store/current-consent-sql.ts), never the latest `at`.
    for (const e of this.#consent.events) latest.set(JSON.stringify([e.businessId, e.consumer]), e);
    return [...latest.values()]
      .filter((e) => e.event === 'revoked' && (opts.businessId === undefined || e.businessId === opts.businessId))
      .sort((a, b) => b.id - a.id)
      .map((e) => ({ businessId: e.businessId, consumer: e.consumer, at: e.at, method: e.method, source: e.source }));
  }
}
