import type { AsyncDispatchOutbox } from '../domain/ports/async-outbox.ts';
import type { AsyncBusinessDirectory } from '../domain/ports/async-stores.ts';
import type { BusinessRepository } from '../domain/ports/business-repository.ts';
import type { CallHistory } from '../domain/ports/call-history.ts';
import type { CallRecordReader } from '../domain/ports/call-record-reader.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { ConsentLedger } from '../domain/ports/consent-ledger.ts';
import type { ConsoleAccounts, ConsoleSessionStore } from '../domain/ports/console-accounts.ts';
import type { ConsoleStats } from '../domain/ports/console-stats.ts';
import type { EvidenceWriter } from '../domain/ports/evidence-writer.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { MessageLog } from '../domain/ports/message-log.ts';
import type { RecordingReader } from '../domain/ports/recording-reader.ts';
import type { StaffRepository } from '../domain/ports/staff-directory.ts';
import type { LedgerVerification } from '../app/consent/verify-ledger.ts';
import type { ProgramSettings } from '../domain/compliance/program-description.ts';

/**
 * What the console reads and changes, as ports; src/compose/console-wiring.ts builds them from the
 * database and the config, the same adapters the CLI uses (src/console/README.md).
 */
export interface ConsoleDeps {
  readonly accounts: ConsoleAccounts;
  readonly sessions: ConsoleSessionStore;
  readonly calls: CallHistory;
  readonly callRecords: CallRecordReader;
  readonly ledger: ConsentLedger;
  /**
   * The stores `revokeConsentAtomically` takes (src/app/consent/revoke-consent.ts), on the console's own
   * connection in turns: a revocation's `revoked` record and the cancelling of the consumer's queued
   * texts commit in one transaction, as the CLI's and an inbound STOP's do.
   */
  readonly revocation: { readonly outbox: AsyncDispatchOutbox; readonly businesses: AsyncBusinessDirectory };
  /** `consent verify`'s check (the chain, then the signed checkpoints beside the database). */
  readonly verifyLedger: () => LedgerVerification;
  readonly evidenceWriter: EvidenceWriter;
  /** Where evidence bundles are put together before download (a private temp directory). */
  readonly scratchDir: string;
  readonly messages: MessageLog;
  readonly businesses: BusinessRepository;
  readonly staff: StaffRepository;
  readonly stats: ConsoleStats;
  readonly recordings: RecordingReader;
  /** The service's readiness board (engine, smpp, store, speech); empty outside `serve`. */
  readonly readiness: () => Record<string, boolean | 'degraded'>;
  /** Answer→decision latency histogram since the service started (cumulative buckets, seconds). */
  readonly decisionLatency: () => Promise<Array<{ le: string; count: number }>>;
  readonly engineName: string;
  /** What the opt-in pages and the compliance page describe beside the templates (the HELP contact). */
  readonly programSettings: ProgramSettings;
  readonly clock: Clock;
  readonly logger?: Logger;
}
