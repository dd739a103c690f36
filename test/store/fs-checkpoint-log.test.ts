import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointLine, nextCheckpoint, signingKeyOf, type LedgerCheckpoint } from '../../src/domain/ledger/ledger-checkpoint.ts';
import { FsCheckpointLog } from '../../src/store/fs-checkpoint-log.ts';
import { tempDir } from './store-test-helpers.ts';

const key = signingKeyOf(generateKeyPairSync('ed25519').privateKey);
const h = (n: number): string => n.toString(16).padStart(64, '0');

function checkpoints(n: number): LedgerCheckpoint[] {
  const out: LedgerCheckpoint[] = [];
  for (let i = 1; i <= n; i++) out.push(nextCheckpoint(out.at(-1), { id: i, count: i, hash: h(i) }, Date.UTC(2026, 0, 1) + i, 'records', key));
  return out;
}

describe('FsCheckpointLog', () => {
  test('appends one line per checkpoint after whatever is there, and reads the lines and the last one back', (t) => {
    const { dir, cleanup } = tempDir('callkeeper-cp-');
    t.after(cleanup);
    const path = join(dir, 'ck.db.checkpoints');
    const log = new FsCheckpointLog(path);
    assert.deepEqual(log.lines(), []);
    assert.equal(log.lastLine(), undefined);
    const cps = checkpoints(40);
    for (const c of cps) log.append(c);
    assert.equal(readFileSync(path, 'utf8'), cps.map((c) => `${checkpointLine(c)}\n`).join(''));
    assert.deepEqual(log.lines(), cps.map(checkpointLine));
    // 40 lines are more than the tail it reads: the last line still comes whole.
    assert.ok(statSync(path).size > 8192);
    assert.equal(log.lastLine(), checkpointLine(cps[39]!));
    assert.equal(statSync(path).mode & 0o777, 0o644 & ~process.umask());
  });

  test('a torn last line stays a line of its own: the next checkpoint is not glued to it', (t) => {
    const { dir, cleanup } = tempDir('callkeeper-cp-');
    t.after(cleanup);
    const path = join(dir, 'ck.db.checkpoints');
    const [a, b] = checkpoints(2);
    writeFileSync(path, `${checkpointLine(a!)}\n`);
    appendFileSync(path, '{"v":1,"seq":2,"id"');
    const log = new FsCheckpointLog(path);
    assert.equal(log.lastLine(), '{"v":1,"seq":2,"id"');
    log.append(b!);
    assert.deepEqual(log.lines(), [checkpointLine(a!), '{"v":1,"seq":2,"id"', checkpointLine(b!)]);
  });
});
