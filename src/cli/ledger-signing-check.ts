import { existsSync } from 'node:fs';
import type { CheckOutcome } from '../app/doctor/doctor-check.ts';
import { ledgerSigningPaths, type LedgerSigningPaths } from '../compose/ledger-signing.ts';
import type { Config } from '../config/config-schema.ts';
import { parseCheckpointLine, signatureValid, type LedgerCheckpoint, type SigningKey } from '../domain/ledger/ledger-checkpoint.ts';
import type { AsyncLedgerChainReader } from '../domain/ports/async-ledger-chain-reader.ts';
import { FsCheckpointLog } from '../store/fs-checkpoint-log.ts';
import { ledgerKeyExists, loadSigningKey } from '../store/fs-ledger-key.ts';
import { openDatabase } from '../store/sqlite-database.ts';
import { SqliteLedgerChainReader } from '../store/sqlite-ledger-chain-reader.ts';

const ok = (detail: string): CheckOutcome => ({ status: 'ok', detail });
const warn = (detail: string): CheckOutcome => ({ status: 'warn', detail });
const fail = (detail: string): CheckOutcome => ({ status: 'fail', detail });

/**
 * doctor's `ledger-signing` row: the key is there and private, the last checkpoint is signed
 * by it and still matches the ledger, and how old it is. Checking every checkpoint line against the
 * ledger is `consent verify`'s; this row is the quick look.
 */
export function ledgerSigningCheck(config: Config, dbPath: string, now: number): CheckOutcome {
  if (!config.ledger.signing) return SIGNING_OFF;
  if (dbPath === ':memory:') return ok('in-memory database: nothing to sign');
  const signed = lastSignedCheckpoint(ledgerSigningPaths(config.ledger, dbPath));
  if ('status' in signed) return signed;
  if (!existsSync(dbPath)) return ok(`${signed.who}; no database yet`);
  const db = openDatabase(dbPath, { readonly: true });
  let lastId: number;
  let hash: string | undefined;
  try {
    const hasLedger = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'consent_ledger'").get() !== undefined;
    const chain = hasLedger ? new SqliteLedgerChainReader(db) : undefined;
    lastId = chain?.lastId() ?? 0;
    hash = signed.last.id === 0 ? signed.last.head : chain?.hashAt(signed.last.id);
  } finally {
    db.close();
  }
  return judgeCheckpoint(config, signed, { lastId, hash }, now);
}

/**
 * The same row on PostgreSQL (src/cli/pg-doctor-checks.ts): this node's key and checkpoint file
 * (pgLedgerSigningPaths), the last checkpoint against the one chain every node appends to.
 */
export async function pgLedgerSigningCheck(config: Config, paths: LedgerSigningPaths, chain: () => Promise<AsyncLedgerChainReader>, now: number): Promise<CheckOutcome> {
  if (!config.ledger.signing) return SIGNING_OFF;
  const signed = lastSignedCheckpoint(paths);
  if ('status' in signed) return signed;
  const reader = await chain();
  const lastId = await reader.lastId();
  const hash = signed.last.id === 0 ? signed.last.head : await reader.hashAt(signed.last.id);
  return judgeCheckpoint(config, signed, { lastId, hash }, now);
}

const SIGNING_OFF = warn('ledger.signing is off: a ledger rewritten with recomputed hashes would pass consent verify');

interface SignedCheckpoint {
  readonly who: string;
  readonly last: LedgerCheckpoint;
}

/** The key is there and private, and the checkpoint file's last line is a checkpoint signed by it; else the row's outcome. */
function lastSignedCheckpoint(paths: LedgerSigningPaths): SignedCheckpoint | CheckOutcome {
  const log = new FsCheckpointLog(paths.checkpointsFile);
  if (!ledgerKeyExists(paths.keyFile)) {
    if (log.lastLine() !== undefined) return fail(`checkpoints in ${paths.checkpointsFile} but no signing key at ${paths.keyFile}: restore the key, serve cannot sign on without it`);
    return warn(`no signing key at ${paths.keyFile} yet: serve creates it at start (or run callkeeper ledger keygen)`);
  }
  let key: SigningKey;
  try {
    key = loadSigningKey(paths.keyFile);
  } catch (e) {
    return fail((e as Error).message);
  }
  const who = `key ${key.id} (${paths.keyFile}, 0600)`;
  // Only the last line: every line is `consent verify`'s job, and a file of years of checkpoints takes
  // longer to check than a doctor row should (about 0.2-0.8 ms per line here, src/store/README.md).
  const line = log.lastLine();
  if (line === undefined) return fail(`${who} but no checkpoint in ${paths.checkpointsFile}: the file was removed or emptied (serve signs at every start)`);
  const last = parseCheckpointLine(line);
  if ('error' in last) return fail(`${paths.checkpointsFile}: the last line is not a checkpoint (${last.error}): the file was edited or damaged`);
  if (last.key !== key.id) return fail(`${paths.checkpointsFile}: the last checkpoint (seq ${last.seq}) is signed by key ${last.key}, not by ${key.id}`);
  if (!signatureValid(last, key.publicKey)) return fail(`${paths.checkpointsFile}: the last checkpoint (seq ${last.seq}) has a bad signature: it was edited or forged`);
  return { who, last };
}

/** The last checkpoint against the ledger: `hash` is the ledger's at the checkpoint's record (undefined: the ledger is shorter). */
function judgeCheckpoint(config: Config, { who, last }: SignedCheckpoint, ledger: { lastId: number; hash: string | undefined }, now: number): CheckOutcome {
  const { lastId, hash } = ledger;
  if (hash === undefined) return fail(`the ledger ends at record ${lastId} but checkpoint ${last.seq} signed records up to ${last.id}: the newest records were removed (consent verify)`);
  if (hash !== last.head) return fail(`record ${last.id} does not match checkpoint ${last.seq}: the ledger was rewritten (consent verify names the records)`);

  const ageMs = Math.max(0, now - Date.parse(last.at));
  const unsigned = lastId - last.id;
  const covers = last.id === 0 ? 'covers the empty ledger' : `covers records 1-${last.id}`;
  const detail = `${who}; the last checkpoint (seq ${last.seq}, ${ago(ageMs)} ago) ${covers}, is signed by this key and matches the ledger${unsigned > 0 ? `; ${unsigned} record(s) after it unsigned` : ''}`;
  // Records waiting longer than two intervals: serve is not running, or cannot sign (its log says why).
  if (unsigned > 0 && ageMs > 2 * config.ledger.checkpointIntervalMs) return warn(`${detail}; is serve running? (callkeeper ledger checkpoint signs now)`);
  return ok(detail);
}

function ago(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h` : `${Math.round(h / 24)} days`;
}
