import type { ConsentEvent } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';
import type { ConsentStore } from '../../domain/ports/consent-store.ts';
import { requireE164 } from '../business/business-input.ts';

/**
 * `consent revoke E164 --business ID --reason TEXT`: a revocation the business took by phone or email.
 * Recorded whatever the current state is: the consumer said no, and the ledger keeps that they did.
 * `via` names where it was taken (the CLI, or the web console) in the record's source.
 */
export function revokeConsent(
  deps: { ledger: ConsentStore; businesses: BusinessDirectory },
  input: { consumer: string; businessId: number; reason: string; actor: string; via?: 'cli' | 'console' },
): ConsentEvent {
  const consumer = requireE164(input.consumer, 'the phone number');
  const business = deps.businesses.byId(input.businessId);
  if (!business) throw new AppError('INPUT.NOT_FOUND', `no business with id ${input.businessId}`);
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('INPUT.INVALID', '--reason must not be empty');
  return deps.ledger.append({
    event: 'revoked',
    businessId: business.id,
    did: business.dids[0] ?? '',
    consumer,
    method: 'admin',
    scriptVersion: null,
    scriptText: null,
    transcript: null,
    audioPath: null,
    audioSha256: null,
    callId: null,
    source: `${input.via ?? 'cli'}:${input.actor}: ${reason}`,
  });
}
