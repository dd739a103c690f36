import { takeLedgerCheckpoint, takeLedgerCheckpointAsync, type CheckpointOutcome } from '../app/consent/take-ledger-checkpoint.ts';
import { ledgerSigningPaths, pgLedgerSigningPaths, type LedgerSigningPaths } from '../compose/ledger-signing.ts';
import { AppError } from '../domain/errors.ts';
import { checkpointLine, parseCheckpointLine, type SigningKey } from '../domain/ledger/ledger-checkpoint.ts';
import { FsCheckpointLog } from '../store/fs-checkpoint-log.ts';
import { createSigningKey, loadSigningKey } from '../store/fs-ledger-key.ts';
import type { SqliteDb } from '../store/sqlite-database.ts';
import { SqliteLedgerChainReader } from '../store/sqlite-ledger-chain-reader.ts';
import type { CliContext } from './cli-context.ts';
import { writeLine } from './cli-context.ts';
import { withCliStore } from './cli-store.ts';

/** `ledger keygen` (src/cli/ledger-command.ts). */
export async function ledgerKeygen(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  const paths = signingPaths(ctx);
  const log = new FsCheckpointLog(paths.checkpointsFile);
  const existing = log.lastLine();
  if (existing !== undefined) {
    const c = parseCheckpointLine(existing);
    const by = 'error' in c ? '' : `, signed by key ${c.key}`;
    throw new AppError('INPUT.INVALID', `a checkpoint file exists at ${paths.checkpointsFile}${by}: move it aside (keep it: it is evidence) before making a new key`);
  }
  const key = createSigningKey(paths);
  const out = await checkpointOn(ctx, { migrate: true }, log, key, 'keygen');
  if (out.kind === 'refused') throw new AppError('STORE.LEDGER_TAMPERED', `created key ${key.id} but did not sign: ${out.detail}`);
  if (o.json) {
    writeLine(ctx.stdout, JSON.stringify({ keyId: key.id, ...paths, checkpoint: out.checkpoint }));
    return;
  }
  writeLine(ctx.stdout, `created ed25519 key ${key.id}: private ${paths.keyFile} (0600), public ${paths.publicKeyFile}`);
  printOutcome(ctx, out, paths.checkpointsFile);
  writeLine(ctx.stdout, 'copy the public key, and regularly the checkpoint file, to another machine (README: the consent ledger)');
}

/** `ledger checkpoint`. */
export async function ledgerCheckpoint(ctx: CliContext, o: { json?: boolean }): Promise<void> {
  const paths = signingPaths(ctx);
  const key = loadSigningKey(paths.keyFile);
  const log = new FsCheckpointLog(paths.checkpointsFile);
  const out = await checkpointOn(ctx, { migrate: false }, log, key, 'manual');
  if (out.kind === 'refused') throw new AppError('STORE.LEDGER_TAMPERED', `not signing: ${out.detail}`);
  if (o.json) writeLine(ctx.stdout, JSON.stringify({ ...out.checkpoint, written: out.kind === 'signed' }));
  else printOutcome(ctx, out, paths.checkpointsFile);
}

/** This install's key and checkpoint files: beside the SQLite database, or on PostgreSQL this node's (pgLedgerSigningPaths). */
function signingPaths(ctx: CliContext): LedgerSigningPaths {
  const config = ctx.config().config;
  return ctx.database().kind === 'postgres' ? pgLedgerSigningPaths(config) : ledgerSigningPaths(config.ledger, ctx.dbPath());
}

/**
 * Signs on the configured database: SQLite (`keygen` may create it, `checkpoint` needs it to exist) or
 * PostgreSQL (`keygen` migrates as other writing commands do; `checkpoint` asks for an up-to-date schema).
 */
async function checkpointOn(ctx: CliContext, o: { migrate: boolean }, log: FsCheckpointLog, key: SigningKey, reason: 'keygen' | 'manual'): Promise<CheckpointOutcome> {
  const db = ctx.database();
  if (db.kind === 'postgres') {
    const { withCliPgStore } = await import('./cli-pg-store.ts');
    return withCliPgStore(db.settings, { readonly: !o.migrate }, (s) => takeLedgerCheckpointAsync({ chain: s.chain, log, key, now: Date.now, mayStartFile: true }, reason));
  }
  return withCliStore(ctx, o.migrate ? {} : { mustExist: true }, (s) => checkpoint(s.db, log, key, reason));
}

function checkpoint(db: SqliteDb, log: FsCheckpointLog, key: SigningKey, reason: 'keygen' | 'manual'): CheckpointOutcome {
  // An administrator's act: an empty or missing checkpoint file may be started (src/store/README.md).
  return takeLedgerCheckpoint({ chain: new SqliteLedgerChainReader(db), log, key, now: Date.now, mayStartFile: true }, reason);
}

function printOutcome(ctx: CliContext, out: CheckpointOutcome, file: string): void {
  switch (out.kind) {
    case 'signed': {
      const c = out.checkpoint;
      writeLine(ctx.stdout, `checkpoint ${c.seq}: ${c.id === 0 ? 'the empty ledger' : c.id === 1 ? 'record 1' : `records 1-${c.id}`} (head ${c.head}) signed into ${file}`);
      writeLine(ctx.stdout, checkpointLine(c));
      break;
    }
    case 'unchanged':
      writeLine(ctx.stdout, `nothing new since checkpoint ${out.checkpoint.seq} (record ${out.checkpoint.id} is the newest)`);
      break;
    case 'refused':
      throw new AppError('STORE.LEDGER_TAMPERED', `not signing: ${out.detail}`);
  }
}
