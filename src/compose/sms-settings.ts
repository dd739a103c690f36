import type { Config } from '../config/config-schema.ts';
import type { SendingRules } from '../domain/messaging/sending-policy.ts';
import type { SmppGatewayConfig } from '../sms/smpp-gateway.ts';

/** The `messaging` config slice as the outbox's sending rules. */
export function sendingRules(cfg: Config['messaging']): SendingRules {
  return { maxPerDay: cfg.maxPerDay, quietHours: cfg.quietHours, firstReplyExemptFromQuietHours: cfg.firstReplyExemptFromQuietHours };
}

/** The `smpp` config slice as the gateway's config (the loader has already read `passwordFile`). */
export function smppGatewayConfig(cfg: Config['smpp']): SmppGatewayConfig {
  return { ...cfg };
}
