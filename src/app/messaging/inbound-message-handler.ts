import { routeReply, type ReplyRoute } from '../../domain/assist/reply-routing.ts';
import type { Business } from '../../domain/business.ts';
import type { NewConsentEvent } from '../../domain/consent.ts';
import { INBOUND_RESEND_WINDOW_MS, isInboundResend } from '../../domain/messaging/inbound-resend.ts';
import { parseInbound, type ParsedInbound } from '../../domain/messaging/keyword-parser.ts';
import { helpContactFor, helpText, startConfirmation, stopConfirmation } from '../../domain/messaging/keyword-replies.ts';
import { parseSmsAddress } from '../../domain/phone-number.ts';
import type { AsyncDispatchOutbox, OutboxTransaction } from '../../domain/ports/async-outbox.ts';
import type { AsyncBusinessDirectory } from '../../domain/ports/async-stores.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { InboundSms } from '../../domain/ports/sms-gateway.ts';

/**
 * Handles an inbound text: STOP and its synonyms revoke at once (ledger `revoked`, queued
 * texts cancelled and the one confirmation queued, all in one transaction), HELP answers, START
 * reinstates, YES reinstates only someone who had opted out, anything else is stored against the
 * consumer's latest call and then routed in the background (`routeReply`: the local rules, plus the
 * assist when on; src/llm/README.md): revoked later, or forwarded to the on-call staff. The text itself,
 * its ledger event, the cancelled queue and the reply are written in one `outbox.atomically` transaction,
 * through that transaction's stores only (on PostgreSQL one connection: async-outbox.ts): a text is never
 * stored without its effect, nor its effect kept without the text. The same text again from the pair
 * within the resend window, nothing else in between (a STOP only while the pair is revoked), is the SMSC
 * delivering it again: nothing new is
 * stored or applied, and the handling resolves so the SMSC gets its answer (src/sms/README.md,
 * "Inbound resends"; domain/messaging/inbound-resend.ts).
 */
export interface InboundDeps {
  /** Its `atomically` stores the text and applies it (the transaction's `messages`, `consent`, `outbox`). */
  readonly outbox: AsyncDispatchOutbox;
  readonly businesses: AsyncBusinessDirectory;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Called after a reply was queued (wire to `OutboxDispatcher.kick`). */
  readonly onEnqueued?: () => void;
  readonly metrics?: InboundMetrics;
  /**
   * Routes a text no keyword matched (wire `GuardedAssist.routeReply`, which adds the assist's reading to
   * the local rules). Default: the local rules alone (domain/assist/reply-routing.ts).
   */
  readonly routeReply?: (ctx: { businessId: number; inboundId: number }, parsed: ParsedInbound, text: string) => Promise<ReplyRoute>;
  /** Forwards a question or booking reply to the on-call staff (wire `notify.notifyReply`). Default: none. */
  readonly forward?: (reply: ForwardedReply) => void | Promise<unknown>;
}

/** A caller's text for the on-call staff. */
export interface ForwardedReply {
  readonly business: Business;
  readonly inboundId: number;
  readonly callId: number | null;
  readonly did: string;
  readonly from: string;
  readonly text: string;
  readonly receivedAt: number;
  readonly route: ReplyRoute['by'];
}

/** What this use case reports for `/metrics` (PromMetrics implements it). */
export interface InboundMetrics {
  inboundText(outcome: InboundOutcome): void;
}

export interface InboundConfig {
  /** `messaging.helpContact`: an e-mail or phone number for the HELP reply. */
  readonly helpContact?: string | undefined;
}

/**
 * `ignored-sender`: the sender is not a phone number (empty, a name, too short): nothing stored, no reply.
 * `resent`: the SMSC delivered a text already stored and applied again (its answer was lost): nothing new.
 * `revoked-later`: a text first stored as a `reply` that the assist then read as a revocation (so such a
 * text counts twice: `reply`, then `revoked-later`).
 */
export type InboundOutcome = 'revoked' | 'already-revoked' | 'help' | 'reinstated' | 'reply' | 'unknown-did' | 'ignored-sender' | 'revoked-later' | 'resent';

interface Applied {
  readonly outcome: InboundOutcome;
  readonly inboundId: number;
  readonly callId: number | null;
  /** The pair's ledger event recorded last when the text arrived (0: none). */
  readonly ledgerHead: number;
}

export class InboundMessageHandler {
  /** Handlings and follow-ups not settled yet (`settled` waits for them). */
  private readonly pending = new Set<Promise<unknown>>();
  /** Per (DID, sender): the last handling started, so the next text from that pair waits for it. */
  private readonly lanes = new Map<string, Promise<void>>();

  constructor(
    private readonly cfg: InboundConfig,
    private readonly d: InboundDeps,
  ) {}

  /** Resolves when every handling and follow-up started so far (routing, a later revocation, a forward) has settled. */
  async settled(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * Resolves once the text's outcome is committed (a STOP's transaction included); rejects if the store
   * failed, so that the gateway answers the SMSC with an error and it delivers the text again. Texts from
   * one number to one DID are applied in arrival order (a STOP then a START ends as START); other pairs
   * do not wait for each other.
   */
  handle(sms: InboundSms): Promise<InboundOutcome> {
    // The sender decides whose consent a STOP revokes: every way an SMSC writes one number must file
    // under that number, and something that is not a number must file under nobody (src/sms/README.md).
    const sender = parseSmsAddress(sms.from, sms.fromTon ?? 0, sms.fromNpi ?? 0);
    if (sender.kind !== 'number') {
      this.d.logger?.warn(
        { sourceAddr: sms.from, fromTon: sms.fromTon ?? null, fromNpi: sms.fromNpi ?? null, reason: sender.reason },
        'inbound text from a sender that is not a phone number; ignored (no ledger row, no reply)',
      );
      this.d.metrics?.inboundText('ignored-sender');
      return Promise.resolve('ignored-sender');
    }
    const consumer = sender.e164;
    const to = parseSmsAddress(sms.to, sms.toTon ?? 0, sms.toNpi ?? 0);
    const did = to.kind === 'number' ? to.e164 : sms.to;
    const key = `${did} ${consumer}`;
    const before = this.lanes.get(key) ?? Promise.resolve();
    const run = before.then(() => this.route(sms, did, consumer));
    const lane = run.then(
      () => {},
      () => {},
    );
    this.lanes.set(key, lane);
    this.track(lane);
    void lane.then(() => {
      if (this.lanes.get(key) === lane) this.lanes.delete(key);
    });
    return run.then((outcome) => {
      this.d.metrics?.inboundText(outcome);
      return outcome;
    });
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    const done = (): void => void this.pending.delete(p);
    p.then(done, done);
  }

  private async route(sms: InboundSms, did: string, consumer: string): Promise<InboundOutcome> {
    const business = await this.d.businesses.byDid(did);
    const parsed = parseInbound(sms.text);
    const log = this.d.logger?.child({ did, consumer, keyword: parsed.keyword });
    const now = this.d.clock.now();
    // One transaction: the resend check, the text stored, and what it does (its id names the ledger
    // event and the cancellation: `source`, reason). A failure rolls back all of it, so the SMSC's resend
    // of the text is stored and applied as if it were the first.
    const applied = await this.d.outbox.atomically(async (tx): Promise<Applied | { resendOf: number }> => {
      const pair = { businessId: business?.id ?? null, recipient: did, sender: consumer };
      const latest = await tx.messages.latestInbound(pair, now - INBOUND_RESEND_WINDOW_MS);
      const current = business && latest !== null ? await tx.consent.current(business.id, consumer) : null;
      if (isInboundResend(latest, sms.text, parsed.intent, current)) return { resendOf: latest.id };
      const callId = business ? await tx.messages.latestCallId(business.id, consumer) : null;
      const inboundId = await tx.messages.saveInbound({ ...pair, body: sms.text, keyword: parsed.keyword, callId, receivedAt: now });
      if (!business) return { outcome: 'unknown-did', inboundId, callId, ledgerHead: 0 };
      return this.apply(tx, business, did, consumer, sms.text, parsed, { inboundId, callId }, now);
    });
    if ('resendOf' in applied) {
      log?.info({ businessId: business?.id ?? null, inboundId: applied.resendOf }, 'inbound text delivered again by the SMSC; already stored and applied');
      return 'resent';
    }
    const outcome = applied.outcome;
    if (!business) {
      log?.warn({}, 'inbound text to a number no business owns');
      return outcome;
    }
    log?.info({ businessId: business.id, outcome }, 'inbound text handled');
    if (outcome !== 'reply' && outcome !== 'already-revoked') this.d.onEnqueued?.();
    if (outcome === 'reply' && parsed.intent === 'other') this.followUp(business, did, consumer, sms.text, parsed, applied, now);
    return outcome;
  }

  /**
   * A text no keyword matched, after it is stored: routed (rules, plus the assist when wired), then
   * revoked or forwarded. Never awaited by `handle`: a slow assist holds up nothing.
   */
  private followUp(b: Business, did: string, consumer: string, text: string, p: ParsedInbound, a: Applied, at: number): void {
    if (this.d.routeReply === undefined && this.d.forward === undefined) return;
    const log = this.d.logger?.child({ did, consumer, businessId: b.id, inboundId: a.inboundId });
    const run = async (): Promise<void> => {
      const route = this.d.routeReply ? await this.d.routeReply({ businessId: b.id, inboundId: a.inboundId }, p, text) : routeReply(p, text, null);
      if (route.revoke) {
        const outcome = await this.d.outbox.atomically((tx) => this.revokeLater(tx, b, did, consumer, text, a));
        this.d.metrics?.inboundText(outcome);
        log?.info({ outcome, by: route.by }, 'reply read as a revocation');
        if (outcome === 'revoked-later') this.d.onEnqueued?.();
      } else if (route.forward && this.d.forward !== undefined) {
        await this.d.forward({ business: b, inboundId: a.inboundId, callId: a.callId, did, from: consumer, text, receivedAt: at, route: route.by });
        log?.info({ by: route.by }, 'reply forwarded to staff');
      }
    };
    this.track(run().catch((err: unknown) => log?.error({ err: (err as Error).message }, 'reply follow-up failed')));
  }

  /** Revokes for a text read as a revocation after it was stored, unless the pair's ledger moved on meanwhile. */
  private async revokeLater(tx: OutboxTransaction, b: Business, did: string, consumer: string, text: string, a: Applied): Promise<InboundOutcome> {
    const head = await tx.consent.latest(b.id, consumer);
    // A newer event (a START, a STOP, a new call's answer) is the consumer's later word: it stands.
    if ((head?.id ?? 0) !== a.ledgerHead) return 'reply';
    if (head?.event === 'revoked') return 'already-revoked';
    const now = this.d.clock.now();
    const e = await tx.consent.append(this.consentEvent('revoked', b, did, consumer, text, a.callId, `sms:inbound:${a.inboundId}:assist:revoke`, now));
    await tx.outbox.cancelQueued(b.id, consumer, `revoked by inbound text ${a.inboundId}`, now);
    await tx.outbox.enqueue({ businessId: b.id, from: did, to: consumer, body: stopConfirmation(b.name), kind: 'keyword-reply', callId: a.callId, consentEventId: e.id });
    return 'revoked-later';
  }

  private consentEvent(type: 'revoked' | 'reinstated', b: Business, did: string, consumer: string, text: string, callId: number | null, source: string, at: number): NewConsentEvent {
    return {
      event: type,
      businessId: b.id,
      did,
      consumer,
      method: 'sms-keyword',
      scriptVersion: null,
      scriptText: null,
      transcript: text,
      audioPath: null,
      audioSha256: null,
      callId,
      source,
      at,
    };
  }

  /** The text's effect on consent and the outbox, in the transaction `tx` (the pair's consent read in it too). */
  private async apply(
    tx: OutboxTransaction,
    b: Business,
    did: string,
    consumer: string,
    text: string,
    p: ParsedInbound,
    stored: { inboundId: number; callId: number | null },
    now: number,
  ): Promise<Applied> {
    const { inboundId, callId } = stored;
    const current = await tx.consent.current(b.id, consumer);
    const ledgerHead = (await tx.consent.latest(b.id, consumer))?.id ?? 0;
    const done = (outcome: InboundOutcome): Applied => ({ outcome, inboundId, callId, ledgerHead });
    const event = (type: 'revoked' | 'reinstated'): NewConsentEvent =>
      this.consentEvent(type, b, did, consumer, text, callId, `sms:inbound:${inboundId}:${p.keyword ?? ''}`, now);
    const reply = async (body: string, consentEventId: number | null): Promise<void> => {
      await tx.outbox.enqueue({ businessId: b.id, from: did, to: consumer, body, kind: 'keyword-reply', callId, consentEventId });
    };
    const reinstate = async (): Promise<InboundOutcome> => {
      const e = current === 'granted' ? null : await tx.consent.append(event('reinstated'));
      await reply(startConfirmation(b.name), e?.id ?? null);
      return 'reinstated';
    };
    switch (p.intent) {
      case 'stop': {
        if (current === 'revoked') return done('already-revoked');
        const e = await tx.consent.append(event('revoked'));
        await tx.outbox.cancelQueued(b.id, consumer, `revoked by inbound text ${inboundId}`, now);
        await reply(stopConfirmation(b.name), e.id);
        return done('revoked');
      }
      case 'help':
        await reply(helpText(b.name, helpContactFor(this.cfg.helpContact, did)), null);
        return done('help');
      case 'yes':
        // YES is an everyday answer ("yes, Tuesday works"); it only reinstates someone who opted out.
        return done(current === 'revoked' ? await reinstate() : 'reply');
      case 'start':
        return done(await reinstate());
      case 'other':
        return done('reply');
    }
  }
}
