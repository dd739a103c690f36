import type { Business } from '../../domain/business.ts';
import type { NewConsentEvent } from '../../domain/consent.ts';
import { parseInbound, type ParsedInbound } from '../../domain/messaging/keyword-parser.ts';
import { helpText, startConfirmation, stopConfirmation } from '../../domain/messaging/keyword-replies.ts';
import { formatForReading, parseSmsAddress } from '../../domain/phone-number.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { ConsentStore } from '../../domain/ports/consent-store.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { MessageLog } from '../../domain/ports/message-log.ts';
import type { DispatchOutbox } from '../../domain/ports/outbox.ts';
import type { InboundSms } from '../../domain/ports/sms-gateway.ts';

/**
 * Handles an inbound text: STOP and its synonyms revoke at once (ledger `revoked`, queued
 * texts cancelled and the one confirmation queued, all in one transaction), HELP answers, START
 * reinstates, YES reinstates only someone who had opted out, anything else is stored against the
 * consumer's latest call. The outbox, the consent store and the message log must share one database
 * so that `outbox.atomically` covers all three.
 */
export interface InboundDeps {
  readonly outbox: DispatchOutbox;
  readonly consent: ConsentStore;
  readonly businesses: BusinessDirectory;
  readonly messages: MessageLog;
  readonly clock: Clock;
  readonly logger?: Logger;
  /** Called after a reply was queued (wire to `OutboxDispatcher.kick`). */
  readonly onEnqueued?: () => void;
  readonly metrics?: InboundMetrics;
}

/** What this use case reports for `/metrics` (PromMetrics implements it). */
export interface InboundMetrics {
  inboundText(outcome: InboundOutcome): void;
}

export interface InboundConfig {
  /** `messaging.helpContact`: an e-mail or phone number for the HELP reply. */
  readonly helpContact?: string | undefined;
}

/** `ignored-sender`: the sender is not a phone number (empty, a name, too short): nothing stored, no reply. */
export type InboundOutcome = 'revoked' | 'already-revoked' | 'help' | 'reinstated' | 'reply' | 'unknown-did' | 'ignored-sender';

export class InboundMessageHandler {
  constructor(
    private readonly cfg: InboundConfig,
    private readonly d: InboundDeps,
  ) {}

  handle(sms: InboundSms): InboundOutcome {
    const outcome = this.route(sms);
    this.d.metrics?.inboundText(outcome);
    return outcome;
  }

  private route(sms: InboundSms): InboundOutcome {
    // The sender decides whose consent a STOP revokes: every way an SMSC writes one number must file
    // under that number, and something that is not a number must file under nobody (src/sms/README.md).
    const sender = parseSmsAddress(sms.from, sms.fromTon ?? 0, sms.fromNpi ?? 0);
    if (sender.kind !== 'number') {
      this.d.logger?.warn(
        { sourceAddr: sms.from, fromTon: sms.fromTon ?? null, fromNpi: sms.fromNpi ?? null, reason: sender.reason },
        'inbound text from a sender that is not a phone number; ignored (no ledger row, no reply)',
      );
      return 'ignored-sender';
    }
    const consumer = sender.e164;
    const to = parseSmsAddress(sms.to, sms.toTon ?? 0, sms.toNpi ?? 0);
    const did = to.kind === 'number' ? to.e164 : sms.to;
    const business = this.d.businesses.byDid(did);
    const parsed = parseInbound(sms.text);
    const log = this.d.logger?.child({ did, consumer, keyword: parsed.keyword });
    const now = this.d.clock.now();
    if (!business) {
      this.save(null, did, consumer, sms.text, parsed, null, now);
      log?.warn({}, 'inbound text to a number no business owns');
      return 'unknown-did';
    }
    const outcome = this.d.outbox.atomically(() => this.apply(business, did, consumer, sms.text, parsed, now));
    log?.info({ businessId: business.id, outcome }, 'inbound text handled');
    if (outcome !== 'reply' && outcome !== 'already-revoked') this.d.onEnqueued?.();
    return outcome;
  }

  private apply(b: Business, did: string, consumer: string, text: string, p: ParsedInbound, now: number): InboundOutcome {
    const current = this.d.consent.current(b.id, consumer);
    const callId = this.d.messages.latestCallId(b.id, consumer);
    const inboundId = this.save(b.id, did, consumer, text, p, callId, now);
    const event = (type: 'revoked' | 'reinstated'): NewConsentEvent => ({
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
      source: `sms:inbound:${inboundId}:${p.keyword ?? ''}`,
      at: now,
    });
    const reply = (body: string, consentEventId: number | null): void => {
      this.d.outbox.enqueue({ businessId: b.id, from: did, to: consumer, body, kind: 'keyword-reply', callId, consentEventId });
    };
    const reinstate = (): InboundOutcome => {
      const e = current === 'granted' ? null : this.d.consent.append(event('reinstated'));
      reply(startConfirmation(b.name), e?.id ?? null);
      return 'reinstated';
    };
    switch (p.intent) {
      case 'stop': {
        if (current === 'revoked') return 'already-revoked';
        const e = this.d.consent.append(event('revoked'));
        this.d.outbox.cancelQueued(b.id, consumer, `revoked by inbound text ${inboundId}`, now);
        reply(stopConfirmation(b.name), e.id);
        return 'revoked';
      }
      case 'help':
        reply(helpText(b.name, this.cfg.helpContact ?? `call ${formatForReading(did)}`), null);
        return 'help';
      case 'yes':
        // YES is an everyday answer ("yes, Tuesday works"); it only reinstates someone who opted out.
        return current === 'revoked' ? reinstate() : 'reply';
      case 'start':
        return reinstate();
      case 'other':
        return 'reply';
    }
  }

  private save(businessId: number | null, did: string, consumer: string, body: string, p: ParsedInbound, callId: number | null, at: number): number {
    return this.d.messages.saveInbound({ businessId, recipient: did, sender: consumer, body, keyword: p.keyword, callId, receivedAt: at });
  }
}
