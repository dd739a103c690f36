import { workerData, type MessagePort } from 'node:worker_threads';
import { sendDecider } from '../app/messaging/send-decider.ts';
import type { SendingRules } from '../domain/messaging/sending-policy.ts';
import { openDatabase } from '../store/sqlite-database.ts';
import { serveOutboxWrites } from '../store/sqlite-outbox-writes.ts';

/** What `startOutboxWriter` (outbox-writer.ts) hands the thread. */
export interface OutboxWriterThreadData {
  readonly path: string;
  readonly rules: SendingRules;
  readonly port: MessagePort;
}

/**
 * Entry of the outbox writer thread (src/store/README.md, "The outbox writer thread"): its own connection
 * to the database, and the same sending decision the rest of the app uses (the pure send-decider module,
 * built from the rules it is handed), wired here because only the composition may join app and store.
 * Started through outbox-writer-thread.cjs under tsx, as outbox-writer-thread.js from dist/.
 */
const data = workerData as OutboxWriterThreadData | null;
if (data?.port) serveOutboxWrites(data.port, openDatabase(data.path), sendDecider(data.rules));
