import { nextCheckpoint, parseCheckpointLine, signatureValid, type CheckpointReason, type LedgerCheckpoint, type SigningKey } from '../../domain/ledger/ledger-checkpoint.ts';
import { ChainWalker } from '../../domain/ledger/ledger-chain.ts';
import type { CheckpointLog } from '../../domain/ports/checkpoint-log.ts';
import type { LedgerChainReader } from '../../domain/ports/ledger-chain-reader.ts';

export interface TakeCheckpointDeps {
  readonly chain: LedgerChainReader;
  readonly log: CheckpointLog;
  readonly key: SigningKey;
  readonly now: () => number;
  /**
   * Whether an empty or missing checkpoint file may be started afresh. The service allows it only for a
   * key it has just created: otherwise a file that vanished (removed together with a rewrite of the
   * ledger) would silently restart from the rewritten ledger. The CLI allows it (an administrator's act).
   */
  readonly mayStartFile: boolean;
}

export type CheckpointOutcome =
  | { readonly kind: 'signed'; readonly checkpoint: LedgerCheckpoint }
  /** No record came since the last checkpoint: nothing written. */
  | { readonly kind: 'unchanged'; readonly checkpoint: LedgerCheckpoint }
  /** The ledger or the file disagrees with what was signed before: signing on top would bless it. */
  | { readonly kind: 'refused'; readonly detail: string };

/**
 * Signs the ledger head and appends the checkpoint (issue 12), under the database's write lock so that
 * no append or other checkpoint comes in between. Before signing it checks what it builds on: the file's
 * last line must be a checkpoint signed by this key, the ledger must still hold that checkpoint's head,
 * and the records since must chain onto it. Otherwise it refuses, and the service says so in its log
 * until an administrator has looked (src/store/README.md). I/O failures are thrown.
 */
export function takeLedgerCheckpoint(deps: TakeCheckpointDeps, reason: CheckpointReason): CheckpointOutcome {
  const { chain, log, key } = deps;
  return chain.exclusive((): CheckpointOutcome => {
    const lastLine = log.lastLine();
    let last: LedgerCheckpoint | undefined;
    if (lastLine === undefined && !deps.mayStartFile) {
      return refused('the checkpoint file is missing or empty although the signing key is not new: it was removed (run callkeeper consent verify); callkeeper ledger checkpoint starts a new file on purpose');
    }
    if (lastLine !== undefined) {
      const parsed = parseCheckpointLine(lastLine);
      if ('error' in parsed) return refused(`the last line of the checkpoint file is not a checkpoint (${parsed.error})`);
      if (parsed.key !== key.id) {
        return refused(`the checkpoint file was signed by key ${parsed.key}, not by this key (${key.id}); move it aside (keep it: it is evidence) to start a new one`);
      }
      if (!signatureValid(parsed, key.publicKey)) return refused(`the last checkpoint (seq ${parsed.seq}) has a bad signature: the checkpoint file was edited`);
      last = parsed;
    }
    if (last && last.id > 0 && chain.hashAt(last.id) !== last.head) {
      return refused(`record ${last.id} no longer matches checkpoint ${last.seq}: the ledger was rewritten or its newest records removed (run callkeeper consent verify)`);
    }
    const walker = new ChainWalker(last ? { id: last.id, hash: last.head } : undefined);
    for (const r of chain.recordsAfter(last?.id ?? 0)) {
      const fault = walker.check(r);
      if (fault) return refused(`${fault.detail} (${fault.reason}); run callkeeper consent verify`);
    }
    if (last && walker.count === 0) return { kind: 'unchanged', checkpoint: last };
    const checkpoint = nextCheckpoint(last, { id: walker.lastId, count: (last?.count ?? 0) + walker.count, hash: walker.head }, deps.now(), reason, key);
    log.append(checkpoint);
    return { kind: 'signed', checkpoint };
  });
}

const refused = (detail: string): CheckpointOutcome => ({ kind: 'refused', detail });
