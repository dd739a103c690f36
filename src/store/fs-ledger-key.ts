import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { AppError, isAppError } from '../domain/errors.ts';
import { signingKeyOf, type SigningKey } from '../domain/ledger/ledger-checkpoint.ts';

/**
 * The ledger's Ed25519 signing key in PEM files: the private key (PKCS#8) readable by its
 * owner only, the public key (SPKI) beside it for `consent verify` and for copying off the machine. The
 * private key must stay out of the database, since anyone who holds it can sign a rewritten ledger.
 */
export interface LedgerKeyFiles {
  readonly keyFile: string;
  readonly publicKeyFile: string;
}

const octal = (mode: number): string => `0${mode.toString(8).padStart(3, '0')}`;

/** Whether a private key exists at the path (does not read it). */
export function ledgerKeyExists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw e;
  }
}

/** Reads the private key, refusing a file that the group or others may read or write. */
export function loadSigningKey(path: string): SigningKey {
  let mode: number;
  try {
    mode = statSync(path).mode & 0o777;
  } catch (e) {
    throw new AppError('INPUT.NOT_FOUND', `no ledger signing key at ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  if ((mode & 0o077) !== 0) {
    throw new AppError('STORE.LEDGER_KEY_INSECURE', `ledger signing key ${path} has mode ${octal(mode)}: others may read it; want 0600 (chmod 600 ${path})`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(readFileSync(path));
  } catch (e) {
    throw new AppError('INPUT.INVALID', `ledger signing key ${path} is not a PEM private key: ${(e as Error).message}`, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('INPUT.INVALID', `ledger signing key ${path} is ${key.asymmetricKeyType}, not ed25519`);
  return signingKeyOf(key);
}

/** Reads a public key file (a private key file is accepted too: its public half is used). */
export function loadPublicKey(path: string): KeyObject {
  let pem: Buffer;
  try {
    pem = readFileSync(path);
  } catch (e) {
    throw new AppError('INPUT.NOT_FOUND', `cannot read public key ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { cause: e });
  }
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch (e) {
    throw new AppError('INPUT.INVALID', `${path} is not a PEM public key: ${(e as Error).message}`, { cause: e });
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new AppError('INPUT.INVALID', `public key ${path} is ${key.asymmetricKeyType}, not ed25519`);
  return key;
}

/**
 * Makes a new key pair. Never overwrites: an existing private or public key file is an error, since a
 * new key silently replacing the old one would orphan every checkpoint signed so far.
 */
export function createSigningKey(files: LedgerKeyFiles): SigningKey {
  const { privateKey } = generateKeyPairSync('ed25519');
  const key = signingKeyOf(privateKey);
  // A node on PostgreSQL may have no data directory yet (no database file made it): made private, as SQLite's is.
  mkdirSync(dirname(files.keyFile), { recursive: true, mode: 0o700 });
  writeNew(files.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600, 'ledger signing key');
  try {
    writeNew(files.publicKeyFile, key.publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644, 'ledger public key');
  } catch (e) {
    throw new AppError(
      isAppError(e) ? e.code : 'INPUT.INVALID',
      `${(e as Error).message}; the new private key at ${files.keyFile} does not match it: move one of them aside`,
      { cause: e },
    );
  }
  return key;
}

/**
 * The service's start: the existing key (its public key file written if missing), or a new pair on
 * first use.
 */
export function ensureSigningKey(files: LedgerKeyFiles): { key: SigningKey; created: boolean } {
  if (!ledgerKeyExists(files.keyFile)) return { key: createSigningKey(files), created: true };
  const key = loadSigningKey(files.keyFile);
  if (!ledgerKeyExists(files.publicKeyFile)) writeNew(files.publicKeyFile, key.publicKey.export({ type: 'spki', format: 'pem' }) as string, 0o644, 'ledger public key');
  return { key, created: false };
}

function writeNew(path: string, text: string, mode: number, what: string): void {
  let fd: number;
  try {
    fd = openSync(path, 'wx', mode);
  } catch (e) {
    const exists = (e as NodeJS.ErrnoException).code === 'EEXIST';
    throw new AppError('INPUT.INVALID', exists ? `${what} ${path} already exists; not overwriting it` : `cannot write ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
  try {
    const bytes = Buffer.from(text, 'utf8');
    for (let off = 0; off < bytes.length; ) off += writeSync(fd, bytes, off, bytes.length - off);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
