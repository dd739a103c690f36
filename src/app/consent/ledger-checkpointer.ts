import { checkpointLine, type CheckpointReason } from '../../domain/ledger/ledger-checkpoint.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { takeLedgerCheckpoint, type CheckpointOutcome, type TakeCheckpointDeps } from './take-ledger-checkpoint.ts';

export interface LedgerCheckpointSettings {
  /** Sign once this many records have come since the last checkpoint. */
  readonly everyRecords: number;
  /** Sign at least this often while records come (nothing is written when none came). */
  readonly intervalMs: number;
}

export interface LedgerCheckpointerDeps extends Omit<TakeCheckpointDeps, 'now' | 'mayStartFile'> {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key was created by this start: the checkpoint file may begin now (and only before the first checkpoint). */
  readonly keyCreated: boolean;
}

/**
 * When the service signs the ledger head: at start (`checkpoint('start')`: records the CLI
 * appended while it was down), every `everyRecords` records, every `intervalMs` (which also covers records appended by the
 * CLI meanwhile), and at shutdown. Never throws: a consent record is already stored when a checkpoint
 * fails, so a failure is logged (an error an operator's alerting sees) and the next trigger tries again.
 */
export class LedgerCheckpointer {
  private readonly settings: LedgerCheckpointSettings;
  private readonly d: LedgerCheckpointerDeps;
  /** The newest record id signed (-1: none yet), so the record count check is one cheap query. */
  private signedId = -1;
  /** The last attempt was refused: only the timer retries, not every append. */
  private refused = false;
  private checkQueued = false;
  private cancelTimer: (() => void) | undefined;
  private stopped = false;

  constructor(settings: LedgerCheckpointSettings, deps: LedgerCheckpointerDeps) {
    this.settings = settings;
    this.d = deps;
  }

  /** The interval trigger; separate from the start checkpoint so that a failed start leaves no timer. */
  startTimer(): void {
    if (this.cancelTimer === undefined) this.arm();
  }

  /**
   * After each append. The check runs once the current synchronous work is done: an append inside a
   * larger transaction (a STOP with its outbox changes) may still roll back, and a signed head that never
   * existed would later read as tampering.
   */
  noteAppended(): void {
    if (this.checkQueued || this.stopped || this.refused) return;
    this.checkQueued = true;
    queueMicrotask(() => {
      this.checkQueued = false;
      if (this.stopped || this.refused) return;
      try {
        if (this.d.chain.lastId() - Math.max(this.signedId, 0) >= this.settings.everyRecords) this.checkpoint('records');
      } catch (e) {
        this.d.logger.error({ err: (e as Error).message }, 'ledger checkpoint check failed');
      }
    });
  }

  /** The shutdown checkpoint; later appends are not signed by this process any more. */
  stop(): CheckpointOutcome | undefined {
    if (this.stopped) return undefined;
    this.stopped = true;
    this.cancelTimer?.();
    return this.checkpoint('shutdown');
  }

  checkpoint(reason: CheckpointReason): CheckpointOutcome | undefined {
    const { logger } = this.d;
    let out: CheckpointOutcome;
    try {
      out = takeLedgerCheckpoint({ ...this.d, now: () => this.d.clock.now(), mayStartFile: this.d.keyCreated && this.signedId < 0 }, reason);
    } catch (e) {
      logger.error({ reason, err: (e as Error).message }, 'ledger checkpoint failed');
      return undefined;
    }
    const settled = logCheckpointOutcome(logger, reason, out);
    this.refused = settled === 'refused';
    if (settled !== 'refused') this.signedId = settled;
    return out;
  }

  private arm(): void {
    if (this.stopped) return;
    this.cancelTimer = this.d.clock.setTimer(this.settings.intervalMs, () => {
      this.checkpoint('interval');
      this.arm();
    });
  }
}

/**
 * How the service reports a checkpoint's outcome (both checkpointers): a signed line is logged whole (a
 * log shipped off the machine is another copy of the file), a refusal is an error an operator's alerting
 * sees. Returns the newest record id now signed, or 'refused'.
 */
export function logCheckpointOutcome(logger: Logger, reason: CheckpointReason, out: CheckpointOutcome): number | 'refused' {
  switch (out.kind) {
    case 'signed': {
      const c = out.checkpoint;
      logger.info({ reason, seq: c.seq, recordId: c.id, count: c.count, keyId: c.key, checkpoint: checkpointLine(c) }, 'ledger checkpoint signed');
      return c.id;
    }
    case 'unchanged':
      return out.checkpoint.id;
    case 'refused':
      logger.error({ reason, detail: out.detail }, 'ledger checkpoint refused: the ledger or the checkpoint file disagrees with what was signed before');
      return 'refused';
  }
}
