import type pg from 'pg';
import type { AsyncConsentStore } from '../domain/ports/async-consent-ledger.ts';
import type { AsyncDispatchOutbox } from '../domain/ports/async-outbox.ts';
import type {
  AsyncAssistLog,
  AsyncBusinessRepository,
  AsyncCallLog,
  AsyncMessageLog,
  AsyncNotificationLog,
  AsyncRecordingRetentionStore,
  AsyncStaffRepository,
  AsyncUrgencyStore,
} from '../domain/ports/async-stores.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ConsentStore } from '../domain/ports/consent-store.ts';
import { PgAssistLog } from '../store/postgres/pg-assist-log.ts';
import { PgBusinessDirectory } from '../store/postgres/pg-business-directory.ts';
import { PgCallLog } from '../store/postgres/pg-call-log.ts';
import { PgConsentStore } from '../store/postgres/pg-consent-store.ts';
import { PgMessageLog } from '../store/postgres/pg-message-log.ts';
import { PgNotificationLog } from '../store/postgres/pg-notification-log.ts';
import { PgOutbox } from '../store/postgres/pg-outbox.ts';
import { PgRetentionStore } from '../store/postgres/pg-retention-store.ts';
import { PgStaffStore } from '../store/postgres/pg-staff-store.ts';
import { PgUrgencyStore } from '../store/postgres/pg-urgency-store.ts';
import { SqliteAssistLog } from '../store/sqlite-assist-log.ts';
import { ConnectionTurns, inTurns, sqliteAsyncStores } from '../store/sqlite-async-stores.ts';
import { SqliteBusinessDirectory } from '../store/sqlite-business-directory.ts';
import { SqliteCallLog } from '../store/sqlite-call-log.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { SqliteMessageLog } from '../store/sqlite-message-log.ts';
import { SqliteNotificationLog } from '../store/sqlite-notification-log.ts';
import { SqliteOutbox } from '../store/sqlite-outbox.ts';
import { SqliteRetentionStore } from '../store/sqlite-retention-store.ts';
import { SqliteStaffStore } from '../store/sqlite-staff-store.ts';
import { SqliteUrgencyStore } from '../store/sqlite-urgency-store.ts';

/**
 * Every store `serve` works with, behind the async ports, from one database: SQLite (the embedded
 * default, one connection, calls in turns) or PostgreSQL (a pool shared with other nodes). The app sees
 * only these ports, so the call path, replies, the outbox and staff notifications run the same code on
 * either (src/store/postgres/README.md, "Async ports").
 */
export interface ServeStores {
  readonly kind: 'sqlite' | 'postgres';
  readonly businesses: AsyncBusinessRepository;
  readonly consent: AsyncConsentStore;
  readonly callLog: AsyncCallLog;
  readonly outbox: AsyncDispatchOutbox;
  readonly messages: AsyncMessageLog;
  readonly staff: AsyncStaffRepository;
  readonly notifications: AsyncNotificationLog;
  readonly urgency: AsyncUrgencyStore;
  readonly assistLog: AsyncAssistLog;
  readonly retention: AsyncRecordingRetentionStore;
}

/**
 * The SQLite stores on one connection. `consent` is passed in so the caller may watch its appends (the
 * ledger checkpoints); every store shares one set of turns (sqlite-async-stores.ts says why).
 */
export function sqliteServeStores(db: SqliteDb, opts: { clock: Clock; consent: ConsentStore; turns?: ConnectionTurns }): ServeStores {
  // `turns`: a caller with a store of its own on the connection (the CLI's call history) shares them.
  const turns = opts.turns ?? new ConnectionTurns();
  const { clock } = opts;
  const { consent, outbox } = sqliteAsyncStores(db, opts.consent, new SqliteOutbox(db, { clock }), turns);
  return {
    kind: 'sqlite',
    businesses: inTurns(new SqliteBusinessDirectory(db, clock), turns),
    consent,
    callLog: inTurns(new SqliteCallLog(db), turns),
    outbox,
    messages: inTurns(new SqliteMessageLog(db), turns),
    staff: inTurns(new SqliteStaffStore(db, { clock }), turns),
    notifications: inTurns(new SqliteNotificationLog(db), turns),
    urgency: inTurns(new SqliteUrgencyStore(db, { clock }), turns),
    assistLog: inTurns(new SqliteAssistLog(db), turns),
    retention: inTurns(new SqliteRetentionStore(db), turns),
  };
}

/**
 * The PostgreSQL stores on one pool. `nodeId` names this node's outbox claims (src/store/postgres/README.md,
 * "The outbox"); `callNode` (default `nodeId`) the calls it takes and the ones its recordings purge lists,
 * since their recordings are on this host ("The recordings purge across nodes").
 */
export function pgServeStores(pool: pg.Pool, opts: { clock: Clock; nodeId: string; callNode?: string; leaseMs?: number }): ServeStores {
  const { clock } = opts;
  const node = opts.callNode ?? opts.nodeId;
  return {
    kind: 'postgres',
    businesses: new PgBusinessDirectory(pool, clock),
    consent: new PgConsentStore(pool, clock),
    callLog: new PgCallLog(pool, { node }),
    outbox: new PgOutbox(pool, { nodeId: opts.nodeId, clock, ...(opts.leaseMs === undefined ? {} : { leaseMs: opts.leaseMs }) }),
    messages: new PgMessageLog(pool),
    staff: new PgStaffStore(pool, { clock }),
    notifications: new PgNotificationLog(pool),
    urgency: new PgUrgencyStore(pool, { clock }),
    assistLog: new PgAssistLog(pool),
    retention: new PgRetentionStore(pool, { node }),
  };
}
