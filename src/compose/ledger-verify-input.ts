import type { KeyObject } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { CheckpointInput } from '../app/consent/verify-ledger.ts';
import { ledgerSigningPaths, type LedgerSigningPaths } from './ledger-signing.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import { FsCheckpointLog } from '../store/fs-checkpoint-log.ts';
import { ledgerKeyExists, loadPublicKey, loadSigningKey } from '../store/fs-ledger-key.ts';

/**
 * What `consent verify` and `doctor` check the ledger against: the checkpoint file and the
 * public key given on the command line (copies kept off the machine), else the configured ones beside
 * the database. The public key comes from its own file when there is one (verify may run as a user who
 * cannot read the private key), else from the private key.
 */
export function checkpointInput(config: Config, dbPath: string, opts: { checkpoints?: string; publicKey?: string } = {}): CheckpointInput {
  return checkpointInputAt(ledgerSigningPaths(config.ledger, dbPath), opts);
}

/** checkpointInput with the local files given (a node on PostgreSQL: pgLedgerSigningPaths). */
export function checkpointInputAt(paths: LedgerSigningPaths, opts: { checkpoints?: string; publicKey?: string } = {}): CheckpointInput {
  const source = opts.checkpoints ?? paths.checkpointsFile;
  if (opts.checkpoints !== undefined && !existsSync(opts.checkpoints)) throw new AppError('INPUT.NOT_FOUND', `no checkpoint file at ${opts.checkpoints}`);
  const publicKey = opts.publicKey !== undefined ? loadPublicKey(opts.publicKey) : localPublicKey(paths);
  const lines = new FsCheckpointLog(source).lines();
  if (publicKey === undefined) {
    if (lines.length === 0) return { kind: 'none', why: `no signing key (${paths.keyFile}) and no checkpoints (${source})` };
    throw new AppError('INPUT.NOT_FOUND', `checkpoints in ${source} but no public key at ${paths.publicKeyFile}: pass --public-key FILE`);
  }
  return { kind: 'checkpoints', lines, publicKey, source };
}

function localPublicKey(paths: LedgerSigningPaths): KeyObject | undefined {
  if (existsSync(paths.publicKeyFile)) return loadPublicKey(paths.publicKeyFile);
  if (ledgerKeyExists(paths.keyFile)) return loadSigningKey(paths.keyFile).publicKey;
  return undefined;
}
