import type { CheckpointReason } from '../../domain/ledger/ledger-checkpoint.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { logCheckpointOutcome, type LedgerCheckpointSettings } from './ledger-checkpointer.ts';
import { takeLedgerCheckpointAsync, type CheckpointOutcome, type TakeCheckpointAsyncDeps } from './take-ledger-checkpoint.ts';

export interface AsyncLedgerCheckpointerDeps extends Omit<TakeCheckpointAsyncDeps, 'now' | 'mayStartFile'> {
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key was created by this start: the checkpoint file may begin now (and only before the first checkpoint). */
  readonly keyCreated: boolean;
}

/**
 * LedgerCheckpointer (ledger-checkpointer.ts) on a ledger whose reads are awaited (PostgreSQL): the same
 * triggers (start, every `everyRecords` records, every `intervalMs` while records came, shutdown), the
 * same checks and log lines (takeLedgerCheckpointAsync runs the steps takeLedgerCheckpoint runs). Two
 * differences of shape: checkpoints run one after another in this process (a trigger that comes while
 * one is being taken waits for it; the ledger's lock orders them against other nodes and the CLI), and
 * `stop()` resolves once the shutdown checkpoint is written. The record count is the ledger's, every
 * node's appends included; this node looks at it after each of its own appends. Never rejects.
 */
export class AsyncLedgerCheckpointer {
  private readonly settings: LedgerCheckpointSettings;
  private readonly d: AsyncLedgerCheckpointerDeps;
  /** The newest record id signed (-1: none yet). */
  private signedId = -1;
  /** The last attempt was refused: only the timer retries, not every append. */
  private refused = false;
  private checkQueued = false;
  private cancelTimer: (() => void) | undefined;
  private stopped = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(settings: LedgerCheckpointSettings, deps: AsyncLedgerCheckpointerDeps) {
    this.settings = settings;
    this.d = deps;
  }

  /** The interval trigger; separate from the start checkpoint so that a failed start leaves no timer. */
  startTimer(): void {
    if (this.cancelTimer === undefined) this.arm();
  }

  /** After each committed append (the watched store calls it once the append has resolved). */
  noteAppended(): void {
    if (this.checkQueued || this.stopped || this.refused) return;
    this.checkQueued = true;
    void this.inTurn(async () => {
      this.checkQueued = false;
      if (this.stopped || this.refused) return undefined;
      try {
        if ((await this.d.chain.lastId()) - Math.max(this.signedId, 0) < this.settings.everyRecords) return undefined;
      } catch (e) {
        this.d.logger.error({ err: (e as Error).message }, 'ledger checkpoint check failed');
        return undefined;
      }
      return this.once('records');
    });
  }

  /** The shutdown checkpoint, after any still being taken; later appends are not signed by this process. */
  async stop(): Promise<CheckpointOutcome | undefined> {
    if (this.stopped) return undefined;
    this.stopped = true;
    this.cancelTimer?.();
    return this.inTurn(() => this.once('shutdown'));
  }

  checkpoint(reason: CheckpointReason): Promise<CheckpointOutcome | undefined> {
    return this.inTurn(() => this.once(reason));
  }

  private inTurn<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async once(reason: CheckpointReason): Promise<CheckpointOutcome | undefined> {
    let out: CheckpointOutcome;
    try {
      out = await takeLedgerCheckpointAsync({ ...this.d, now: () => this.d.clock.now(), mayStartFile: this.d.keyCreated && this.signedId < 0 }, reason);
    } catch (e) {
      this.d.logger.error({ reason, err: (e as Error).message }, 'ledger checkpoint failed');
      return undefined;
    }
    const settled = logCheckpointOutcome(this.d.logger, reason, out);
    this.refused = settled === 'refused';
    if (settled !== 'refused') this.signedId = settled;
    return out;
  }

  private arm(): void {
    if (this.stopped) return;
    this.cancelTimer = this.d.clock.setTimer(this.settings.intervalMs, () => {
      void this.checkpoint('interval');
      this.arm();
    });
  }
}
