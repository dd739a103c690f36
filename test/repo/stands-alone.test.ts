/**
 * A plain clone must pass its own tests: nothing in src/, test/, bench/, scripts/ or bin/ may refer to a
 * path outside the repository (the captured traces and the model maker live in test/fixtures/ and
 * scripts/, see test/fixtures/README.md). The scanner is tested first on samples, so a scan that finds
 * nothing means something.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { escapesRepository, findOutsideReferences } from './outside-reference-scanner.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCANNED = ['src', 'test', 'bench', 'scripts', 'bin'];

/**
 * The samples are written with stand-ins so that this file does not itself hold what it looks for:
 * UP is a parent step, SH the reference folder's name, WORK the absolute work folder.
 */
const sample = (s: string): string => s.replaceAll('UP', '..').replaceAll('SH', 'shared').replaceAll('WORK', `/${'work'}`);

/** The tracked (and new, not ignored) files under the scanned folders; a walk when git is not there. */
function repositoryFiles(): string[] {
  try {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--', ...SCANNED], { cwd: ROOT, encoding: 'utf8' });
    return out.split('\0').filter((f) => f && existsSync(join(ROOT, f)));
  } catch {
    const walk = (dir: string): string[] =>
      readdirSync(join(ROOT, dir)).flatMap((name) => {
        const rel = `${dir}/${name}`;
        if (name === 'node_modules' || name.startsWith('.')) return [];
        return statSync(join(ROOT, rel)).isDirectory() ? walk(rel) : [rel];
      });
    return SCANNED.filter((d) => existsSync(join(ROOT, d))).flatMap(walk);
  }
}

describe('the outside-reference scanner', () => {
  test('finds the reference folder, its sub-folders by name, and absolute machine paths, with file and line', () => {
    const text = sample(["const a = 1;", "const TOOL = resolve(ROOT, 'UP/SH/tools/make.mjs');", '// see SH/asterisk/traces for the order', "const p = 'WORK/main/node_modules';"].join('\n'));
    const found = findOutsideReferences('bench/x.bench.ts', text);
    assert.deepEqual(
      found.map((f) => `${f.line} ${f.found}`),
      [`2 ${sample('UP/SH/tools/make.mjs')}`, `3 ${sample('SH/asterisk/traces')}`, `4 ${sample('WORK/main/node_modules')}`],
    );
    assert.match(found[0]!.why, /beside the repository/);
    assert.match(found[2]!.why, /absolute path/);
  });

  test('resolves relative paths in code against the file: only those that leave the repository count', () => {
    const text = sample(
      [
        "const inside = new URL('UP/UP/fixtures/x.json', import.meta.url);",
        "const outside = new URL('UP/UP/UP/x.json', import.meta.url);",
        'const tpl = new URL(`UP/UP/UP/UP/elsewhere/${name}`, import.meta.url);',
        "import { a } from 'UP/UP/UP/outside.ts';",
        "import { b } from 'UP/UP/src/inside.ts';",
        "const mod = await import('UP/UP/UP/lazy.ts');",
        "const dir = resolve(here, 'UP/UP/UP/UP/traces');",
        "const ok = join(here, 'UP/fixtures');",
        "const nested = resolve(dirname(fileURLToPath(import.meta.url)), 'UP/UP/UP/UP/elsewhere/traces');",
        "assert.rejects(save('UP/UP/UP/etc/passwd'));",
      ].join('\n'),
    );
    const found = findOutsideReferences('test/a/b.test.ts', text);
    assert.deepEqual(
      found.map((f) => f.line),
      [2, 3, 4, 6, 7, 9],
      'not line 10: a string that is no path argument is data (a traversal attempt in a test)',
    );
    assert.match(found[0]!.why, /leaves the repository from test\/a\//);
  });

  test('Markdown links and code spans are resolved too; data files are not read as paths', () => {
    const md = sample(['[a](UP/UP/other/README.md) is inside', '[b](UP/UP/UP/other) is not', 'run `UP/UP/UP/tool.mjs`'].join('\n'));
    assert.deepEqual(findOutsideReferences('src/sms/README.md', md).map((f) => f.line), [2, 3]);
    const data = sample('{"path":"/ari/channels/x/record","query":{"name":"UP/UP/UP/tmp/evil"}}');
    assert.deepEqual(findOutsideReferences('test/fixtures/asterisk/traces/05.jsonl', data), []);
    assert.equal(findOutsideReferences('test/fixtures/x.json', sample('{"source":"UP/SH/freeswitch/traces"}')).length, 1, 'the reference folder counts everywhere');
  });

  test('escapesRepository: the root itself is inside, one step above it is not', () => {
    assert.equal(escapesRepository('src/sim/ari/ari-sim-docs.ts', sample('UP/UP/UP')), false);
    assert.equal(escapesRepository('src/sim/ari/ari-sim-docs.ts', sample('UP/UP/UP/UP')), true);
    assert.equal(escapesRepository('bench/e2e.bench.ts', sample('UP/package.json')), false);
    assert.equal(escapesRepository('bench/e2e.bench.ts', sample('UP/UP/package.json')), true);
  });
});

test('nothing in src/, test/, bench/, scripts/ or bin/ refers to a path outside the repository', () => {
  const files = repositoryFiles();
  assert.ok(files.some((f) => f.startsWith('src/')) && files.some((f) => f.startsWith('test/')), `found the files to scan (${files.length})`);
  const findings = files.flatMap((file) => {
    const bytes = readFileSync(join(ROOT, file));
    if (bytes.subarray(0, 8000).includes(0)) return []; // binary: audio, databases
    return findOutsideReferences(file, bytes.toString('utf8'));
  });
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.line}: ${f.found} (${f.why})`),
    [],
    'every file must work from a plain clone: copy what it needs into the repository (test/fixtures/README.md)',
  );
});
