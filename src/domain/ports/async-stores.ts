/**
 * The store ports for a store whose driver answers later (PostgreSQL), beside the synchronous ports
 * they mirror: the same operations and guarantees (each port's file says what they are), each returning
 * a Promise. Derived from the synchronous port rather than written out again, so the two cannot drift;
 * the consent ledger and the outbox change shape as well as type and have their own files
 * (async-consent-ledger.ts, async-outbox.ts). See src/store/postgres/README.md, "Async ports".
 */
import type { AssistLog } from './assist-log.ts';
import type { BusinessDirectory } from './business-directory.ts';
import type { BusinessRepository } from './business-repository.ts';
import type { CallHistory } from './call-history.ts';
import type { CallLog } from './call-log.ts';
import type { ConsoleAccounts, ConsoleSessionStore } from './console-accounts.ts';
import type { ConsoleStats } from './console-stats.ts';
import type { MessageLog } from './message-log.ts';
import type { NotificationLog } from './notification-log.ts';
import type { RecordingRetentionStore } from './recording-retention-store.ts';
import type { StaffDirectory, StaffRepository } from './staff-directory.ts';
import type { UrgencyStore } from './urgency-store.ts';

/** Port `P` with every method resolving later. A caller that forgets `await` holds a Promise, which the type checker refuses where a value is used. */
export type Promised<P> = {
  readonly [K in keyof P]: P[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : P[K];
};

export type AsyncBusinessDirectory = Promised<BusinessDirectory>;
export type AsyncBusinessRepository = Promised<BusinessRepository>;
export type AsyncCallLog = Promised<CallLog>;
export type AsyncStaffDirectory = Promised<StaffDirectory>;
export type AsyncStaffRepository = Promised<StaffRepository>;
export type AsyncNotificationLog = Promised<NotificationLog>;
export type AsyncMessageLog = Promised<MessageLog>;
export type AsyncUrgencyStore = Promised<UrgencyStore>;
export type AsyncAssistLog = Promised<AssistLog>;
export type AsyncRecordingRetentionStore = Promised<RecordingRetentionStore>;
export type AsyncCallHistory = Promised<CallHistory>;
export type AsyncConsoleAccounts = Promised<ConsoleAccounts>;
export type AsyncConsoleSessionStore = Promised<ConsoleSessionStore>;
export type AsyncConsoleStats = Promised<ConsoleStats>;
