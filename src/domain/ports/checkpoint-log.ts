import type { LedgerCheckpoint } from '../ledger/ledger-checkpoint.ts';

/**
 * Where signed ledger checkpoints are kept: somewhere a rewrite of the database does not
 * reach, append-only. The file adapter writes one JSON line per checkpoint (ledger-checkpoint.ts).
 */
export interface CheckpointLog {
  /** Every line, oldest first, as stored (for verification, which judges them). */
  lines(): string[];
  /** The newest line, or undefined when there is none yet. */
  lastLine(): string | undefined;
  /** Durable when it returns. */
  append(checkpoint: LedgerCheckpoint): void;
}
