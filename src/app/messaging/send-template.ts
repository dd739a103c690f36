import type { TemplateKey } from '../../domain/business.ts';
import { AppError } from '../../domain/errors.ts';
import { renderTemplate, type RenderedText } from '../../domain/messaging/message-templates.ts';
import { toE164 } from '../../domain/phone-number.ts';
import type { AsyncConsentStore } from '../../domain/ports/async-consent-ledger.ts';
import type { AsyncDispatchOutboxOps } from '../../domain/ports/async-outbox.ts';
import type { AsyncBusinessDirectory } from '../../domain/ports/async-stores.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { MessageKind } from '../../domain/ports/outbox.ts';
import type { SendingRules } from '../../domain/messaging/sending-policy.ts';
import { sendDecider } from './send-decider.ts';

/**
 * Queues one template text for a consumer (`callkeeper sms send`, and the service's follow-ups). The
 * sending rules are checked now so that a refusal names its rule; they are checked again when the
 * dispatcher claims the text. Quiet hours do not refuse: the text waits until they end.
 */
export interface SendTemplateDeps {
  readonly outbox: Pick<AsyncDispatchOutboxOps, 'preflight' | 'enqueue'>;
  /** The sending rules checked now (send-decider.ts). */
  readonly rules: SendingRules;
  readonly businesses: AsyncBusinessDirectory;
  readonly consent: AsyncConsentStore;
  readonly clock: Clock;
  readonly onEnqueued?: () => void;
}

export interface SendTemplateInput {
  readonly businessId: number;
  readonly to: string;
  readonly template: TemplateKey;
  readonly vars?: Readonly<Record<string, string>>;
  readonly callId?: number | null;
}

export interface SendTemplateResult {
  readonly outboundId: number;
  readonly rendered: RenderedText;
  readonly kind: MessageKind;
  /** Set when quiet hours hold the text back. */
  readonly deferredUntil: number | null;
}

/** The first text after a call is a first reply; everything later is a follow-up (quiet hours apply). */
export function kindOfTemplate(t: TemplateKey): MessageKind {
  return t === 'received' || t === 'implied' ? 'first-reply' : 'follow-up';
}

export async function sendTemplate(d: SendTemplateDeps, input: SendTemplateInput): Promise<SendTemplateResult> {
  const business = await d.businesses.byId(input.businessId);
  if (!business) throw new AppError('INPUT.NOT_FOUND', `no business with id ${input.businessId}`);
  const to = toE164(input.to);
  if (!to) throw new AppError('INPUT.INVALID', 'the --to number is not a valid phone number', { details: { to: input.to } });
  const from = business.dids[0];
  if (!from) throw new AppError('INPUT.INVALID', `business ${business.id} has no DID to send from`);
  let rendered: RenderedText;
  try {
    rendered = renderTemplate(business, input.template, input.vars ?? {});
  } catch (e) {
    throw new AppError('INPUT.INVALID', (e as Error).message, { cause: e });
  }
  const kind = kindOfTemplate(input.template);
  const now = d.clock.now();
  const decision = await d.outbox.preflight({ businessId: business.id, to, kind }, now, sendDecider(d.rules));
  let deferredUntil: number | null = null;
  if (!decision.allow) {
    if (decision.rule === 'quiet-hours') deferredUntil = decision.retryAt ?? null;
    else {
      const state = await d.consent.current(business.id, to);
      const code = decision.rule === 'frequency-cap' ? 'SMS.FREQUENCY_CAP' : state === 'revoked' ? 'CONSENT.REVOKED' : 'CONSENT.NOT_GRANTED';
      throw new AppError(code, `refused by the ${decision.rule} rule: ${decision.reason}`, { details: { rule: decision.rule, to } });
    }
  }
  const latest = await d.consent.latest(business.id, to);
  const outboundId = await d.outbox.enqueue({
    businessId: business.id,
    from,
    to,
    body: rendered.text,
    kind,
    callId: input.callId ?? null,
    consentEventId: latest?.id ?? null,
  });
  d.onEnqueued?.();
  return { outboundId, rendered, kind, deferredUntil };
}
