import type { AsyncDispatchOutbox } from '../domain/ports/async-outbox.ts';
import type { AsyncConsentLedger } from '../domain/ports/async-consent-ledger.ts';
import type {
  AsyncBusinessDirectory,
  AsyncBusinessRepository,
  AsyncCallHistory,
  AsyncConsoleAccounts,
  AsyncConsoleSessionStore,
  AsyncConsoleStats,
  AsyncMessageLog,
  AsyncStaffRepository,
} from '../domain/ports/async-stores.ts';
import type { AsyncCallRecordReader } from '../domain/ports/call-record-reader.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { EvidenceWriter } from '../domain/ports/evidence-writer.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { RecordingReader } from '../domain/ports/recording-reader.ts';
import type { LedgerVerification } from '../app/consent/verify-ledger.ts';
import type { ProgramSettings } from '../domain/compliance/program-description.ts';

/**
 * What the console reads and changes, as async ports; src/compose/console-wiring.ts builds them from the
 * database and the config, the same adapters the CLI uses: SQLite's stores in turns on the console's
 * connection, or PostgreSQL's on the node's pool (src/console/README.md).
 */
export interface ConsoleDeps {
  readonly accounts: AsyncConsoleAccounts;
  readonly sessions: AsyncConsoleSessionStore;
  readonly calls: AsyncCallHistory;
  readonly callRecords: AsyncCallRecordReader;
  /**
   * On PostgreSQL with several nodes: the node that took the call when it is another one (its recordings
   * are on that node's disk; src/store/postgres/README.md, "The recordings purge across nodes"), else null.
   * Unset (SQLite): every call is this install's.
   */
  readonly otherNodeOf?: (callId: number) => Promise<string | null>;
  /** The ledger's reads (the consent page, a call's answers, evidence); changes go through `revocation`. */
  readonly ledger: Pick<AsyncConsentLedger, 'record' | 'history' | 'current'>;
  /**
   * The stores `revokeConsentAtomically` takes (src/app/consent/revoke-consent.ts), on the console's own
   * connection in turns (SQLite) or on the node's pool (PostgreSQL): a revocation's `revoked` record and
   * the cancelling of the consumer's queued texts commit in one transaction, as the CLI's and an inbound
   * STOP's do.
   */
  readonly revocation: { readonly outbox: AsyncDispatchOutbox; readonly businesses: AsyncBusinessDirectory };
  /** `consent verify`'s check (the chain, then the signed checkpoints beside the database). */
  readonly verifyLedger: () => Promise<LedgerVerification>;
  readonly evidenceWriter: EvidenceWriter;
  /** Where evidence bundles are put together before download (a private temp directory). */
  readonly scratchDir: string;
  readonly messages: Pick<AsyncMessageLog, 'list' | 'optOuts'>;
  readonly businesses: AsyncBusinessRepository;
  readonly staff: Pick<AsyncStaffRepository, 'list'>;
  readonly stats: AsyncConsoleStats;
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
