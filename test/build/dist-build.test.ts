import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createCliContext } from '../../src/cli/cli-context.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { capture } from '../cli/cli-test-harness.ts';
import { consentEvent } from '../store/store-test-helpers.ts';
import { exportLedgerDb, exportText } from '../support/export-ledger.ts';

/**
 * `npm run build`'s output runs: scripts/build.mjs builds the current sources into a fresh folder (never
 * a dist/ left from an older build), next to copies of bin/callkeeper.mjs and package.json, and the
 * tests run that bin the way a user does. The folder is under the repository's .cache/ (git-ignored), so that dist's
 * imports of commander, better-sqlite3, ... resolve to the repository's node_modules.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** tsc alone takes ~5-20 s on the shared 2-core box; a build that takes minutes is stuck. */
const BUILD_TIMEOUT_MS = 300_000;
/** One CLI run from dist: well under a second when idle; generous for a loaded machine. */
const RUN_TIMEOUT_MS = 60_000;
/** Many chunks (256 ids each): the rows cross chunk borders. */
const EXPORT_ROWS = 10_500;

mkdirSync(join(ROOT, '.cache'), { recursive: true });
const WORK = mkdtempSync(join(ROOT, '.cache', 'build-test-'));
const DIST = join(WORK, 'dist');
const BIN = join(WORK, 'bin', 'callkeeper.mjs');

function ran(r: SpawnSyncReturns<string>, what: string, timeoutMs: number): SpawnSyncReturns<string> {
  if (r.error) assert.fail(`${what} did not finish within ${timeoutMs} ms (${r.error.message})`);
  return r;
}

function callkeeper(args: string[], opts: { nodeArgs?: string[]; bin?: string } = {}): SpawnSyncReturns<string> {
  const env = { ...process.env };
  delete env.CALLKEEPER_DEV; // the compiled entry, whatever the caller's environment says
  const r = spawnSync(process.execPath, [...(opts.nodeArgs ?? []), opts.bin ?? BIN, ...args], { cwd: WORK, env, encoding: 'utf8', timeout: RUN_TIMEOUT_MS, maxBuffer: 64 << 20 });
  return ran(r, `callkeeper ${args.join(' ')}`, RUN_TIMEOUT_MS);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)));
}

test.before(() => {
  mkdirSync(join(WORK, 'bin'));
  copyFileSync(join(ROOT, 'bin', 'callkeeper.mjs'), BIN);
  copyFileSync(join(ROOT, 'package.json'), join(WORK, 'package.json')); // the layout of a checkout: --version reads it
  // --no-check: the type check is `npm run typecheck`'s job; emit and assets are the same.
  const r = ran(
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs'), '--out-dir', DIST, '--no-check'], { encoding: 'utf8', timeout: BUILD_TIMEOUT_MS }),
    'scripts/build.mjs',
    BUILD_TIMEOUT_MS,
  );
  assert.equal(r.status, 0, `the build failed:\n${r.stdout}\n${r.stderr}`);
});
test.after(() => rmSync(WORK, { recursive: true, force: true }));

test('the build is plain JavaScript with its run-time assets, and nothing in it needs tsx', () => {
  const files = filesUnder(DIST);
  assert.ok(files.includes('cli/main.js'), 'dist/cli/main.js was not emitted');
  assert.ok(files.includes('compose/outbox-writer-thread.js'), 'the outbox writer thread was not compiled');
  assert.ok(!files.includes('compose/outbox-writer-thread.cjs'), "the outbox writer thread's tsx shim was copied into dist");
  assert.ok(files.includes('sim/ari/api-docs/resources.json'), "the ARI simulator's api-docs were not copied");
  assert.deepEqual(files.filter((f) => f.endsWith('.ts') || f.endsWith('.md')), [], 'TypeScript or documentation in dist');
  for (const f of files.filter((f) => f.endsWith('.js'))) {
    const text = readFileSync(join(DIST, f), 'utf8');
    assert.doesNotMatch(text, /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]tsx(?:\/|['"])/, `${f} loads tsx`);
    assert.doesNotMatch(text, /(?:from\s*|import\s*\(\s*)['"]\.{1,2}\/[^'"]*\.ts['"]/, `${f} imports a .ts file`);
  }
});

test('--help from dist lists every command of the sources and loads no command implementation; --version reads package.json', () => {
  const sink = capture().stream;
  const expected = buildProgram(createCliContext({ stdout: sink, stderr: sink, env: {}, globals: () => ({}) })).commands.map((c) => c.name());
  assert.ok(expected.length >= 15, `the sources define only ${expected.length} commands`);

  // Record every module the help run resolves (a resolve hook sees ESM imports, and CommonJS packages imported from ESM).
  const log = join(WORK, 'resolved.txt');
  writeFileSync(join(WORK, 'resolve-hook.mjs'), `import { appendFileSync } from 'node:fs';\nlet out;\nexport function initialize(d) { out = d.out; }\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(out, r.url + '\\n'); return r; }\n`);
  writeFileSync(join(WORK, 'trace.mjs'), `import { register } from 'node:module';\nregister(new URL('./resolve-hook.mjs', import.meta.url), { data: { out: ${JSON.stringify(log)} } });\n`);
  const help = callkeeper(['--help'], { nodeArgs: ['--import', join(WORK, 'trace.mjs')] });
  assert.equal(help.status, 0, help.stderr);
  for (const name of expected) assert.match(help.stdout, new RegExp(`^  ${name}\\b`, 'm'), `--help does not list ${name}`);

  const resolved = readFileSync(log, 'utf8').split('\n').filter(Boolean);
  assert.ok(resolved.some((u) => u.endsWith('/dist/cli/consent-command.js')), 'the trace saw no command definition: the hook did not run');
  assert.ok(resolved.some((u) => u.endsWith('/dist/cli/ledger-command.js')), 'the trace did not see the ledger command definition');
  const heavy = resolved.filter((u) =>
    /\/dist\/cli\/[a-z-]+-actions\.js$|\/dist\/(store|sms|speech|telephony|notify|http|log|config|compose|llm|main\.js)|node_modules\/(better-sqlite3|smart-whisper|smpp|pino|zod|yaml|nodemailer|ari-client|modesl|prom-client|libphonenumber-js|@mistralai)\//.test(u),
  );
  assert.deepEqual(heavy.filter((u) => !u.endsWith('/speech/whisper-model-catalog.js')), [], '--help loaded modules only a command needs');

  const version = callkeeper(['--version']);
  assert.equal(version.status, 0, version.stderr);
  assert.equal(version.stdout, `${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}\n`);

  const sub = callkeeper(['consent', 'export', '--help']);
  assert.equal(sub.status, 0, sub.stderr);
  assert.match(sub.stdout, /--format <format>.*choices: "csv", "json", "ndjson"/s);
  assert.match(sub.stdout, /CSV columns: id,at,business_id/);
});

test('db migrate from dist creates the database and applies the migrations', () => {
  const db = join(WORK, 'migrate.db');
  const r = callkeeper(['--db', db, 'db', 'migrate', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { applied: { version: number }[]; version: number; pending: number };
  assert.ok(out.applied.length >= 5, `only ${out.applied.length} migrations applied`);
  assert.equal(out.version, out.applied.at(-1)?.version);
  assert.equal(out.pending, 0);
  assert.ok(existsSync(db));
});

test('ledger keygen from dist signs the ledger head, and consent verify checks the chain against it', () => {
  const db = join(WORK, 'ledger.db');
  const migrated = callkeeper(['--db', db, 'db', 'migrate']);
  assert.equal(migrated.status, 0, migrated.stderr);
  const keygen = callkeeper(['--db', db, 'ledger', 'keygen', '--json']);
  assert.equal(keygen.status, 0, keygen.stderr);
  const key = JSON.parse(keygen.stdout) as { keyId: string; keyFile: string; checkpointsFile: string };
  assert.ok(existsSync(key.keyFile), `no private key at ${key.keyFile}`);
  assert.ok(existsSync(key.checkpointsFile), `no checkpoint file at ${key.checkpointsFile}`);

  const verify = callkeeper(['--db', db, 'consent', 'verify', '--json']);
  assert.equal(verify.status, 0, verify.stderr);
  const v = JSON.parse(verify.stdout) as { ok: boolean; signed: { state: string; keyId?: string } | null };
  assert.equal(v.ok, true);
  assert.equal(v.signed?.state, 'ok', `verify did not check the checkpoint: ${verify.stdout}`);
  assert.equal(v.signed?.keyId, key.keyId);
});

test('consent export from dist matches the in-process export byte for byte', async (t) => {
  const path = join(WORK, 'export.db');
  const db = exportLedgerDb(path, EXPORT_ROWS, (i) => `yes ${i}`);
  t.after(() => db.close());
  const inline = await exportText(db, 'ndjson');

  const r = callkeeper(['--db', path, 'consent', 'export', '--format', 'ndjson']);
  assert.equal(r.stderr, '');
  assert.equal(r.status, 0);
  assert.equal(r.stdout.split('\n').length, EXPORT_ROWS + 1);
  assert.equal(r.stdout, inline);
});

test("the outbox writer thread starts from dist (no tsx) and claims with the app's sending decision", () => {
  const path = join(WORK, 'outbox.db');
  const db = openDatabase(path);
  try {
    migrate(db);
    const business = new SqliteBusinessDirectory(db).add({ name: 'Acme', dids: ['+15125550100'], timezone: 'America/Chicago', consentMode: 'verbal' });
    new SqliteConsentStore(db).append(consentEvent({ businessId: business.id, consumer: '+15125550166' }));
    const queue = db.prepare(
      "INSERT INTO outbound_messages (business_id, sender, recipient, body, kind, state, created_at, next_attempt_at) VALUES (?, '+15125550100', ?, 'hi', 'follow-up', 'queued', 0, 0)",
    );
    queue.run(business.id, '+15125550166');
    queue.run(business.id, '+15125550177'); // no consent: the decision refuses it
  } finally {
    db.close();
  }
  const noon = Date.UTC(2026, 2, 10, 17, 0);
  const script = `import { startOutboxWriter } from ${JSON.stringify(pathToFileURL(join(DIST, 'compose', 'outbox-writer.js')).href)};
const w = startOutboxWriter(${JSON.stringify(path)}, { maxPerDay: 4, quietHours: { start: '21:00', end: '08:00' }, firstReplyExemptFromQuietHours: true });
const r = await w.recordAndClaim({ submitted: [], parts: [], receipts: [], at: ${noon}, claim: { limit: 5, now: ${noon} } });
await w.close();
console.log(JSON.stringify(r.claimed.map((c) => c.to)));`;
  // A file, not `--input-type=module -e`: a worker inherits the parent's execArgv, and that flag fails a file worker.
  const file = join(WORK, 'outbox-writer-probe.mjs');
  writeFileSync(file, script);
  const r = ran(spawnSync(process.execPath, [file], { cwd: WORK, encoding: 'utf8', timeout: RUN_TIMEOUT_MS }), 'the outbox writer from dist', RUN_TIMEOUT_MS);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), ['+15125550166'], 'only the text with consent is claimed');
  const check = openDatabase(path, { readonly: true });
  try {
    assert.equal(check.prepare("SELECT state FROM outbound_messages WHERE recipient = '+15125550177'").pluck().get(), 'refused');
  } finally {
    check.close();
  }
});

test('the ARI simulator finds its api-docs inside dist', () => {
  const script = `const m = await import(${JSON.stringify(pathToFileURL(join(DIST, 'sim', 'ari', 'ari-sim-docs.js')).href)}); const dir = m.locateApiDocs(); new m.ApiDocs(dir); console.log(dir);`;
  const r = ran(spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: WORK, encoding: 'utf8', timeout: RUN_TIMEOUT_MS }), 'locateApiDocs', RUN_TIMEOUT_MS);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), join(DIST, 'sim', 'ari', 'api-docs'));
});

test('without a build the bin says to run npm run build, in one line, exit 1', () => {
  const bare = join(WORK, 'bare', 'bin', 'callkeeper.mjs');
  mkdirSync(join(WORK, 'bare', 'bin'), { recursive: true });
  copyFileSync(BIN, bare);
  const r = callkeeper(['--help'], { bin: bare });
  assert.equal(r.status, 1);
  assert.equal(r.stdout, '');
  assert.match(r.stderr, /^callkeeper: dist\/ is missing: run npm run build[^\n]*\n$/);
});
