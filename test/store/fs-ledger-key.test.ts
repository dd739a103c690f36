import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { keyIdOf } from '../../src/domain/ledger/ledger-checkpoint.ts';
import { createSigningKey, ensureSigningKey, loadPublicKey, loadSigningKey } from '../../src/store/fs-ledger-key.ts';
import { tempDir } from './store-test-helpers.ts';

function files(t: { after(fn: () => void): void }): { keyFile: string; publicKeyFile: string } {
  const { dir, cleanup } = tempDir('callkeeper-key-');
  t.after(cleanup);
  return { keyFile: join(dir, 'ck.db.ledger-key'), publicKeyFile: join(dir, 'ck.db.ledger-key.pub') };
}

describe('ledger signing key files', () => {
  test('a new key is written 0600 with its public key beside it; both load back to the same key id', (t) => {
    const f = files(t);
    const key = createSigningKey(f);
    assert.equal(statSync(f.keyFile).mode & 0o777, 0o600);
    assert.match(readFileSync(f.keyFile, 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(readFileSync(f.publicKeyFile, 'utf8'), /^-----BEGIN PUBLIC KEY-----\n/);
    assert.equal(loadSigningKey(f.keyFile).id, key.id);
    assert.equal(keyIdOf(loadPublicKey(f.publicKeyFile)), key.id);
    assert.match(key.id, /^[0-9a-f]{16}$/);
  });

  test('a key file the group or others may read is refused, with the fix in the message', (t) => {
    const f = files(t);
    createSigningKey(f);
    for (const mode of [0o640, 0o604, 0o660]) {
      chmodSync(f.keyFile, mode);
      assert.throws(
        () => loadSigningKey(f.keyFile),
        (e: unknown) => isAppError(e, 'STORE.LEDGER_KEY_INSECURE') && e.message === `ledger signing key ${f.keyFile} has mode 0${mode.toString(8)}: others may read it; want 0600 (chmod 600 ${f.keyFile})`,
      );
      // The service's start goes through the same check.
      assert.throws(() => ensureSigningKey(f), (e: unknown) => isAppError(e, 'STORE.LEDGER_KEY_INSECURE'));
    }
    chmodSync(f.keyFile, 0o400);
    assert.doesNotThrow(() => loadSigningKey(f.keyFile));
  });

  test('never overwrites a key: an existing private or public key file is an error', (t) => {
    const f = files(t);
    const first = createSigningKey(f);
    assert.throws(() => createSigningKey(f), (e: unknown) => isAppError(e, 'INPUT.INVALID') && /already exists; not overwriting it/.test(e.message));
    assert.equal(loadSigningKey(f.keyFile).id, first.id);
    rmSync(f.keyFile);
    assert.throws(() => createSigningKey(f), /ledger public key .* already exists; not overwriting it; the new private key at .* does not match it/);
  });

  test('ensureSigningKey creates on first use, then loads the same key and rewrites a missing public key', (t) => {
    const f = files(t);
    const a = ensureSigningKey(f);
    assert.equal(a.created, true);
    rmSync(f.publicKeyFile);
    const b = ensureSigningKey(f);
    assert.deepEqual([b.created, b.key.id], [false, a.key.id]);
    assert.equal(keyIdOf(loadPublicKey(f.publicKeyFile)), a.key.id);
  });

  test('a key that is not Ed25519, or not a key, is refused', (t) => {
    const f = files(t);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
    writeFileSync(f.keyFile, rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, { mode: 0o600 });
    assert.throws(() => loadSigningKey(f.keyFile), /is rsa, not ed25519/);
    writeFileSync(f.publicKeyFile, 'not a key\n');
    assert.throws(() => loadPublicKey(f.publicKeyFile), (e: unknown) => isAppError(e, 'INPUT.INVALID') && /is not a PEM public key/.test(e.message));
  });
});
