import type { DispatcherConfig } from '../app/messaging/outbox-dispatcher.ts';
import type { Config } from '../config/config-schema.ts';
import type { SendingRules } from '../domain/messaging/sending-policy.ts';
import type { SmppGatewayConfig } from '../sms/smpp-gateway.ts';

/** The `messaging` config slice as the outbox's sending rules. */
export function sendingRules(cfg: Config['messaging']): SendingRules {
  return { maxPerDay: cfg.maxPerDay, quietHours: cfg.quietHours, firstReplyExemptFromQuietHours: cfg.firstReplyExemptFromQuietHours };
}

/** The `smpp` config slice as the gateway's config (the loader has already read `passwordFile`). */
export function smppGatewayConfig(cfg: Config['smpp']): SmppGatewayConfig {
  const { outboxWriter: _outboxWriter, answersAhead: _answersAhead, ...gateway } = cfg;
  return gateway;
}

/** The `smpp` slice as the dispatcher's config: window, answers ahead, retry horizon and receipt timeout (src/sms/README.md). */
export function dispatcherConfig(cfg: Config['smpp']): DispatcherConfig {
  const hour = 3_600_000;
  return {
    window: cfg.window,
    answersAhead: cfg.answersAhead,
    retryHorizonMs: cfg.validityHours * hour,
    // Without registered delivery no receipt is ever coming: `submitted` is as far as a text goes.
    receiptTimeoutMs: cfg.registeredDelivery ? cfg.receiptTimeoutHours * hour : null,
  };
}
