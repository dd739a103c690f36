import {
  nextCheckpoint,
  parseCheckpointLine,
  signatureValid,
  type CheckpointReason,
  type LedgerCheckpoint,
  type LedgerHead,
  type SigningKey,
} from '../../domain/ledger/ledger-checkpoint.ts';
import { ChainWalker } from '../../domain/ledger/ledger-chain.ts';
import { GENESIS_HASH, type LedgerRecord } from '../../domain/ledger/ledger-record.ts';
import type { AsyncLedgerChainReader } from '../../domain/ports/async-ledger-chain-reader.ts';
import type { CheckpointLog } from '../../domain/ports/checkpoint-log.ts';
import type { LedgerChainReader } from '../../domain/ports/ledger-chain-reader.ts';

/** What taking a checkpoint needs besides the ledger's reader. */
export interface CheckpointDeps {
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

export interface TakeCheckpointDeps extends CheckpointDeps {
  readonly chain: LedgerChainReader;
}

/** The same, over a ledger whose reads are awaited (PostgreSQL). */
export interface TakeCheckpointAsyncDeps extends CheckpointDeps {
  readonly chain: AsyncLedgerChainReader;
}

export type CheckpointOutcome =
  | { readonly kind: 'signed'; readonly checkpoint: LedgerCheckpoint }
  /** No record came since the last checkpoint: nothing written. */
  | { readonly kind: 'unchanged'; readonly checkpoint: LedgerCheckpoint }
  /** The ledger or the file disagrees with what was signed before: signing on top would bless it. */
  | { readonly kind: 'refused'; readonly detail: string };

/**
 * Signs the ledger head and appends the checkpoint, under the database's write lock so that
 * no append or other checkpoint comes in between. Before signing it checks what it builds on: the file's
 * last line must be a checkpoint signed by this key, the ledger must still hold that checkpoint's head,
 * and the records since must chain onto it. Otherwise it refuses, and the service says so in its log
 * until an administrator has looked (src/store/README.md). I/O failures are thrown.
 *
 * The records since the last checkpoint are walked once before taking the lock: the first checkpoint of
 * a large existing ledger walks all of it, and holding every other writer out meanwhile would make a CLI
 * append give up (busy_timeout). Under the lock only what came meanwhile is walked.
 */
export function takeLedgerCheckpoint(deps: TakeCheckpointDeps, reason: CheckpointReason): CheckpointOutcome {
  return driveSync(checkpointSteps(deps, reason), deps.chain);
}

/** takeLedgerCheckpoint on PostgreSQL: the same steps (checkpointSteps), each read awaited. */
export function takeLedgerCheckpointAsync(deps: TakeCheckpointAsyncDeps, reason: CheckpointReason): Promise<CheckpointOutcome> {
  return driveAsync(checkpointSteps(deps, reason), deps.chain);
}

/**
 * What the steps ask of the ledger. The checks are written once, as a generator that yields these, and
 * run by a synchronous driver (SQLite's reader: the service's checkpoint completes within the trigger
 * that asked for it, as the tests of ledger-checkpointer.ts rely on) or an asynchronous one (PostgreSQL).
 * Everything after `lock` runs under the reader's `exclusive`.
 */
type ChainAsk = { readonly ask: 'hashAt'; readonly id: number } | { readonly ask: 'walk'; readonly from: LedgerHead } | { readonly ask: 'lock' };
type Walked = LedgerHead | { readonly fault: string };
type CheckpointSteps = Generator<ChainAsk, CheckpointOutcome, unknown>;

function* hashAt(id: number): Generator<ChainAsk, string | undefined, unknown> {
  return (yield { ask: 'hashAt', id }) as string | undefined;
}

function* walk(from: LedgerHead): Generator<ChainAsk, Walked, unknown> {
  return (yield { ask: 'walk', from }) as Walked;
}

function* checkpointSteps(deps: CheckpointDeps, reason: CheckpointReason): CheckpointSteps {
  const { key } = deps;
  const before = readLast(deps);
  if ('refusal' in before) return refused(before.refusal);
  const moved = yield* headMoved(before.last);
  if (moved) return refused(moved);
  const ahead = yield* walk(startOf(before.last));
  if ('fault' in ahead) return refused(ahead.fault);
  yield { ask: 'lock' };
  const current = readLast(deps);
  if ('refusal' in current) return refused(current.refusal);
  const last = current.last;
  const movedSince = yield* headMoved(last);
  if (movedSince) return refused(movedSince);
  // The early walk still stands if no checkpoint was written since and the ledger still holds its end
  // (a hash vouches for every record before it).
  const stands = before.last?.sig === last?.sig && (ahead.id === 0 || (yield* hashAt(ahead.id)) === ahead.hash);
  const head = yield* walk(stands ? ahead : startOf(last));
  if ('fault' in head) return refused(head.fault);
  if (last && head.id === last.id) return { kind: 'unchanged', checkpoint: last };
  const checkpoint = nextCheckpoint(last, head, deps.now(), reason, key);
  deps.log.append(checkpoint);
  return { kind: 'signed', checkpoint };
}

function driveSync(steps: CheckpointSteps, chain: LedgerChainReader, answer?: unknown): CheckpointOutcome {
  for (;;) {
    const step = steps.next(answer);
    if (step.done) return step.value;
    const a = step.value;
    if (a.ask === 'lock') return chain.exclusive(() => driveSync(steps, chain));
    answer = a.ask === 'hashAt' ? chain.hashAt(a.id) : walkFrom(chain.recordsAfter(a.from.id), a.from);
  }
}

async function driveAsync(steps: CheckpointSteps, chain: AsyncLedgerChainReader, answer?: unknown): Promise<CheckpointOutcome> {
  for (;;) {
    const step = steps.next(answer);
    if (step.done) return step.value;
    const a = step.value;
    if (a.ask === 'lock') return chain.exclusive((locked) => driveAsync(steps, locked));
    answer = a.ask === 'hashAt' ? await chain.hashAt(a.id) : await walkFromAsync(chain.recordsAfter(a.from.id), a.from);
  }
}

const refused = (detail: string): CheckpointOutcome => ({ kind: 'refused', detail });

const startOf = (last: LedgerCheckpoint | undefined): LedgerHead => (last ? { id: last.id, hash: last.head, count: last.count } : { id: 0, hash: GENESIS_HASH, count: 0 });

/** The file's last checkpoint, when it is one this key signed (or there is none and a file may start). */
function readLast(deps: CheckpointDeps): { readonly last: LedgerCheckpoint | undefined } | { readonly refusal: string } {
  const line = deps.log.lastLine();
  if (line === undefined) {
    if (deps.mayStartFile) return { last: undefined };
    return { refusal: 'the checkpoint file is missing or empty although the signing key is not new: it was removed (run callkeeper consent verify); callkeeper ledger checkpoint starts a new file on purpose' };
  }
  const c = parseCheckpointLine(line);
  if ('error' in c) return { refusal: `the last line of the checkpoint file is not a checkpoint (${c.error})` };
  if (c.key !== deps.key.id) {
    return { refusal: `the checkpoint file was signed by key ${c.key}, not by this key (${deps.key.id}); move it aside (keep it: it is evidence) to start a new one` };
  }
  if (!signatureValid(c, deps.key.publicKey)) return { refusal: `the last checkpoint (seq ${c.seq}) has a bad signature: the checkpoint file was edited` };
  return { last: c };
}

/** Why the ledger no longer holds the checkpoint's head, if it does not. */
function* headMoved(last: LedgerCheckpoint | undefined): Generator<ChainAsk, string | undefined, unknown> {
  if (!last || last.id === 0 || (yield* hashAt(last.id)) === last.head) return undefined;
  return `record ${last.id} no longer matches checkpoint ${last.seq}: the ledger was rewritten or its newest records removed (run callkeeper consent verify)`;
}

/** Walks the records after `from` through the chain rule: the new head, or the first fault. */
function walkFrom(records: Iterable<LedgerRecord>, from: LedgerHead): Walked {
  const walker = new ChainWalker(from);
  for (const r of records) {
    const fault = walker.check(r);
    if (fault) return faultOf(fault);
  }
  return headOf(walker, from);
}

async function walkFromAsync(records: AsyncIterable<LedgerRecord>, from: LedgerHead): Promise<Walked> {
  const walker = new ChainWalker(from);
  for await (const r of records) {
    const fault = walker.check(r);
    if (fault) return faultOf(fault);
  }
  return headOf(walker, from);
}

const faultOf = (fault: { readonly reason: string; readonly detail: string }): Walked => ({ fault: `${fault.detail} (${fault.reason}); run callkeeper consent verify` });
const headOf = (walker: ChainWalker, from: LedgerHead): LedgerHead => ({ id: walker.lastId, hash: walker.head, count: from.count + walker.count });
