import type { ConsentEvent, NewConsentEvent } from '../../domain/consent.ts';
import { AppError } from '../../domain/errors.ts';
import type { AsyncDispatchOutbox } from '../../domain/ports/async-outbox.ts';
import type { AsyncBusinessDirectory } from '../../domain/ports/async-stores.ts';
import type { Business } from '../../domain/business.ts';
import type { BusinessDirectory } from '../../domain/ports/business-directory.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { ConsentStore } from '../../domain/ports/consent-store.ts';
import { requireE164 } from '../business/business-input.ts';

export interface RevokeInput {
  readonly consumer: string;
  readonly businessId: number;
  readonly reason: string;
  readonly actor: string;
  readonly via?: 'cli' | 'console';
}

/**
 * `consent revoke E164 --business ID --reason TEXT`: a revocation the business took by phone or email.
 * Recorded whatever the current state is: the consumer said no, and the ledger keeps that they did.
 * `via` names where it was taken (the CLI, or the web console) in the record's source.
 */
export function revokeConsent(deps: { ledger: ConsentStore; businesses: BusinessDirectory }, input: RevokeInput): ConsentEvent {
  const consumer = requireE164(input.consumer, 'the phone number');
  return deps.ledger.append(revocation(deps.businesses.byId(input.businessId), consumer, input));
}

/**
 * The same revocation on the async ports (SQLite in turns, or PostgreSQL), as the CLI takes it: the
 * `revoked` record and the cancelling of the consumer's texts still queued for the business commit in
 * one transaction (`outbox.atomically`, as an inbound STOP does: src/domain/ports/async-outbox.ts), so
 * neither is kept without the other. Resolves to the record and how many texts were cancelled.
 */
export async function revokeConsentAtomically(
  deps: { outbox: AsyncDispatchOutbox; businesses: AsyncBusinessDirectory; clock: Clock },
  input: RevokeInput,
): Promise<{ event: ConsentEvent; cancelled: number }> {
  const consumer = requireE164(input.consumer, 'the phone number');
  const event = revocation(await deps.businesses.byId(input.businessId), consumer, input);
  return deps.outbox.atomically(async (tx) => {
    const e = await tx.consent.append(event);
    const cancelled = await tx.outbox.cancelQueued(e.businessId, consumer, `consent revoked by admin (record ${e.id})`, deps.clock.now());
    return { event: e, cancelled };
  });
}

/** The checks both take, and the event they append. */
function revocation(business: Business | undefined, consumer: string, input: RevokeInput): NewConsentEvent {
  if (!business) throw new AppError('INPUT.NOT_FOUND', `no business with id ${input.businessId}`);
  const reason = input.reason.trim();
  if (reason === '') throw new AppError('INPUT.INVALID', '--reason must not be empty');
  return {
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
  };
}
