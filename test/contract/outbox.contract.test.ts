import { InMemoryOutbox } from '../fakes/in-memory-outbox.ts';
import { DID, openMessagingDb } from '../sms/fixtures/messaging-db.ts';
import { runDispatchOutboxContract, runOutboxContract } from './outbox-contract.ts';

runOutboxContract('in-memory fake', () => ({ outbox: new InMemoryOutbox(), close: () => {} }));

runOutboxContract('SQLite on a temp file', () => {
  const m = openMessagingDb();
  return { outbox: m.outbox, close: () => m.close() };
});

runDispatchOutboxContract('SQLite on a temp file', () => {
  const m = openMessagingDb();
  return { outbox: m.outbox, consent: m.consent, businessId: m.businessId, did: DID, timezone: 'America/Chicago', now: () => m.clock.now(), close: () => m.close() };
});
