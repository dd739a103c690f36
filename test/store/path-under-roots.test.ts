import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isUnderRoots, openRegularUnderRoots } from '../../src/store/path-under-roots.ts';
import { tempDir } from './store-test-helpers.ts';

function tree(t: { after(fn: () => void): void }): { root: string; sibling: string; base: string } {
  const { dir, cleanup } = tempDir('callkeeper-roots-');
  t.after(cleanup);
  const base = realpathSync(dir);
  const root = join(base, 'root');
  const sibling = join(base, 'rootX');
  mkdirSync(root);
  mkdirSync(sibling);
  writeFileSync(join(root, 'a.wav'), 'in');
  writeFileSync(join(sibling, 'b.wav'), 'out');
  return { root, sibling, base };
}

describe('isUnderRoots', () => {
  test('a path inside a root is under it; the root itself is not', (t) => {
    const { root } = tree(t);
    assert.equal(isUnderRoots(join(root, 'a.wav'), [root]), true);
    assert.equal(isUnderRoots(join(root, 'deeper', 'x.wav'), [root]), true);
    assert.equal(isUnderRoots(root, [root]), false);
  });

  test('a sibling directory that has the root as a prefix ("/a/rootX" against "/a/root") is not under it', (t) => {
    const { root, sibling } = tree(t);
    assert.equal(isUnderRoots(join(sibling, 'b.wav'), [root]), false);
  });

  test('a root given through a symlink is compared by its real path', (t) => {
    const { root, base } = tree(t);
    const link = join(base, 'link-to-root');
    symlinkSync(root, link);
    assert.equal(isUnderRoots(join(root, 'a.wav'), [link]), true);
    assert.equal(isUnderRoots(join(link, 'a.wav'), [link]), false, 'the candidate must already be a real path');
  });

  test('a missing root holds nothing, and the next root is still tried', (t) => {
    const { root, base } = tree(t);
    const gone = join(base, 'gone');
    assert.equal(isUnderRoots(join(gone, 'a.wav'), [gone]), false);
    assert.equal(isUnderRoots(join(root, 'a.wav'), [gone, root]), true);
  });
});

describe('openRegularUnderRoots', () => {
  test('opens a regular file under a root, refuses one outside or a symlink leading out, and says missing when gone', (t) => {
    const { root, sibling } = tree(t);
    const opened = openRegularUnderRoots(join(root, 'a.wav'), [root]);
    assert.ok(typeof opened === 'object', `expected an open file, got ${String(opened)}`);
    assert.equal(opened.size, 2);
    closeSync(opened.fd);
    assert.equal(openRegularUnderRoots(join(sibling, 'b.wav'), [root]), 'refused');
    symlinkSync(join(sibling, 'b.wav'), join(root, 'escape.wav'));
    assert.equal(openRegularUnderRoots(join(root, 'escape.wav'), [root]), 'refused');
    assert.equal(openRegularUnderRoots(join(root, 'nope.wav'), [root]), 'missing');
  });

  test('refuses a directory and a FIFO under a root instead of hanging on it', (t) => {
    const { root } = tree(t);
    mkdirSync(join(root, 'sub'));
    assert.equal(openRegularUnderRoots(join(root, 'sub'), [root]), 'refused');
    const fifo = join(root, 'pipe.wav');
    const made = spawnSync('mkfifo', [fifo]);
    assert.equal(made.status, 0, `mkfifo failed: ${made.stderr}`);
    assert.equal(openRegularUnderRoots(fifo, [root]), 'refused');
  });
});
