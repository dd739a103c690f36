import { sqliteAsyncStores } from '../../src/store/sqlite-async-stores.ts';
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
