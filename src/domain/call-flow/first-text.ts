import { SMS_FOOTER } from '../consent-script.ts';

/**
 * The first text after a call, when nothing better is supplied: the seed's "received" sample message
 * (shared/seeds/000_79def7a62f464259.txt) without the issue detail, since a transcript may be missing
 * or wrong. The SMS/templates issue supplies the real renderer (per-business templates) to the
 * orchestrator as `renderFirstText`.
 */
export function defaultFirstText(businessName: string): string {
  return `Hi, this is ${businessName}. We received your call. A technician will follow up shortly. ${SMS_FOOTER}`;
}
