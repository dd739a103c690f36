import type { SendingRules } from '../domain/messaging/sending-policy.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { WorkerOutboxWriter } from '../store/worker-outbox-writer.ts';

/** The thread's entry: the compiled file from dist/, the tsx shim beside the sources (see outbox-writer-thread.cjs). */
const ENTRY = new URL(import.meta.url.endsWith('.ts') ? './outbox-writer-thread.cjs' : './outbox-writer-thread.js', import.meta.url);

/**
 * The outbox writer on its own thread for the database at `path` (a file: `:memory:` has no second
 * connection), deciding claims with `rules` through the app's send-decider, as the dispatcher would.
 */
export function startOutboxWriter(path: string, rules: SendingRules, logger?: Logger): WorkerOutboxWriter {
  return new WorkerOutboxWriter({ entry: ENTRY, workerData: { path, rules }, ...(logger ? { logger } : {}) });
}
