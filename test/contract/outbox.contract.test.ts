import { sqliteAsyncStores } from '../../src/store/sqlite-async-stores.ts';
import { InMemoryBusinessDirectory, makeBusiness } from '../fakes/in-memory-business-directory.ts';
import { InMemoryCallLog } from '../fakes/in-memory-call-log.ts';
import { InMemoryConsentStore } from '../fakes/in-memory-consent-store.ts';
import { InMemoryMessageLog } from '../fakes/in-memory-message-log.ts';
import { InMemoryOutbox } from '../fakes/in-memory-outbox.ts';
import { DID, NOON_CHICAGO, openMessagingDb } from '../sms/fixtures/messaging-db.ts';
import { runDispatchOutboxContract, runOutboxContract } from './outbox-contract.ts';

runOutboxContract('in-memory fake', () => ({ outbox: new InMemoryOutbox(), close: () => {} }));

runOutboxContract('SQLite on a temp file', () => {
  const m = openMessagingDb();
  return { outbox: m.outbox, close: () => m.close() };
});

runDispatchOutboxContract('SQLite on a temp file', () => {
  const m = openMessagingDb();
  // The synchronous stores answer the suite; its transactions go through the async port's `atomically`
  // on the same connection (the only calls in flight then are the transaction's own).
  const { outbox: asyncOutbox } = sqliteAsyncStores(m.db, m.consent, m.outbox);
  return {
    outbox: m.outbox,
    consent: m.consent,
    atomically: (fn) => asyncOutbox.atomically(fn),
    businessId: m.businessId,
    did: DID,
    timezone: 'America/Chicago',
    now: () => m.clock.now(),
    close: () => m.close(),
  };
});

runDispatchOutboxContract('in-memory fake', () => {
  // A fixed clock: the suite reads `now()` for what it enqueues and claims, and nothing here waits.
  const now = () => NOON_CHICAGO;
  const consent = new InMemoryConsentStore({ now });
  const businesses = new InMemoryBusinessDirectory([makeBusiness({ id: 1, dids: [DID], timezone: 'America/Chicago' })]);
  const outbox = new InMemoryOutbox({ consent, businesses, now });
  // The inbound texts a transaction stores (tx.messages).
  outbox.messageLog = new InMemoryMessageLog({ calls: new InMemoryCallLog(), outbox, consent });
  // The fake's transaction in the async port's shape (what SQLite's harness takes from sqliteAsyncStores).
  return { outbox, consent, atomically: (fn) => outbox.atomicallyAsync(fn), businessId: 1, did: DID, timezone: 'America/Chicago', now };
});
