import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, maskSecrets } from '../../src/config/config-loader.ts';
import { AppError, isAppError } from '../../src/domain/errors.ts';

let dir: string;
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text, { mode: 0o600 });
  return p;
}
function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    assert.ok(isAppError(e, 'CONFIG.INVALID'), String(e));
    return ((e as AppError).details.problems as string[] | undefined) ?? [(e as AppError).message];
  }
  assert.fail('expected CONFIG.INVALID');
}

describe('loadConfig', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-config-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an empty environment and no file give the defaults', () => {
    const { config, source } = loadConfig({ file: file('empty.yaml', ''), env: {} });
    assert.equal(source, join(dir, 'empty.yaml'));
    assert.equal(config.smpp.port, 2775);
    assert.equal(config.admin.host, '127.0.0.1');
    assert.equal(config.call.drainTimeoutMs, 180_000);
  });

  test('CALLKEEPER_* variables override the file, with camelCase words, nesting and typed values', () => {
    const f = file('base.yaml', 'smpp:\n  host: smsc.example.net\n  port: 2775\n  systemId: fromfile\n');
    const { config } = loadConfig({
      file: f,
      env: {
        CALLKEEPER_SMPP__PORT: '2776',
        CALLKEEPER_SMPP__SYSTEM_ID: 'fromenv',
        CALLKEEPER_SMPP__REGISTERED_DELIVERY: 'false',
        CALLKEEPER_MESSAGING__QUIET_HOURS__START: '22:30',
        CALLKEEPER_DB: '/tmp/x.db',
        CALLKEEPER_ADMIN__TOKEN: 'tok',
        UNRELATED: 'ignored',
      },
    });
    assert.equal(config.smpp.host, 'smsc.example.net');
    assert.equal(config.smpp.port, 2776);
    assert.equal(config.smpp.systemId, 'fromenv');
    assert.equal(config.smpp.registeredDelivery, false);
    assert.equal(config.messaging.quietHours.start, '22:30');
    assert.equal(config.messaging.quietHours.end, '08:00');
    assert.equal(config.database.path, '/tmp/x.db');
    assert.equal(config.admin.token, 'tok');
  });

  test('CALLKEEPER_CONFIG names the file when none is given', () => {
    const f = file('viaenv.yaml', 'log:\n  level: debug\n');
    assert.equal(loadConfig({ env: { CALLKEEPER_CONFIG: f } }).config.log.level, 'debug');
  });

  test('every problem is reported together, each with its path', () => {
    const f = file(
      'bad.yaml',
      ['engine: kamailio', 'smpp:', '  port: 70000', '  password: toolongpassword', 'admin:', '  port: -1', 'defaults:', '  sampleDid: "512-555"', 'bogus: 1'].join('\n'),
    );
    const problems = problemsOf(() => loadConfig({ file: f, env: { CALLKEEPER_CALL__ANSWER_MAX_MS: '0' } }));
    const paths = problems.map((p) => p.split(':')[0]);
    for (const p of ['engine', 'smpp.port', 'smpp.password', 'admin.port', 'defaults.sampleDid', 'call.answerMaxMs', 'bogus']) {
      assert.ok(paths.includes(p), `missing ${p} in ${JSON.stringify(problems)}`);
    }
    // The error message lists them all too, and names the file.
    assert.throws(
      () => loadConfig({ file: f, env: {} }),
      (e) => e instanceof AppError && e.message.startsWith(`invalid configuration in ${f}:`) && /smpp\.port/.test(e.message) && /admin\.port/.test(e.message),
    );
  });

  test('secrets are read from *File keys, trailing newline dropped; an inline value wins; a missing file is a problem with its path', () => {
    const pw = file('smpp-password', 'pw12345\n');
    const tok = file('admin-token', 'tok-from-file\r\n');
    const f = file('secrets.yaml', `smpp:\n  passwordFile: ${pw}\nadmin:\n  token: inline\n  tokenFile: ${tok}\n`);
    const { config } = loadConfig({ file: f, env: {} });
    assert.equal(config.smpp.password, 'pw12345');
    assert.equal(config.admin.token, 'inline');
    assert.equal(loadConfig({ file: f, env: { CALLKEEPER_ADMIN__TOKEN_FILE: tok, CALLKEEPER_ADMIN__TOKEN: 'env' } }).config.admin.token, 'env');
    const g = file('secrets2.yaml', `admin:\n  tokenFile: ${tok}\nasterisk:\n  passwordFile: ${join(dir, 'nope')}\n`);
    assert.equal(loadConfig({ file: file('s3.yaml', `admin:\n  tokenFile: ${tok}\n`), env: {} }).config.admin.token, 'tok-from-file');
    const problems = problemsOf(() => loadConfig({ file: g, env: { CALLKEEPER_SMPP__PORT: '0' } }));
    assert.ok(problems.some((p) => p.startsWith('asterisk.passwordFile: cannot read')), JSON.stringify(problems));
    assert.ok(problems.some((p) => p.startsWith('smpp.port')), 'file problems and schema problems are reported together');
    assert.equal((maskSecrets(config).smpp as { password: string }).password, '********');
  });

  test('bad YAML, a non-mapping document and an unreadable file give one clear CONFIG.INVALID line', () => {
    const bad = file('broken.yaml', 'smpp:\n  host: [unclosed\n');
    assert.throws(
      () => loadConfig({ file: bad, env: {} }),
      (e) => isAppError(e, 'CONFIG.INVALID') && e.message.startsWith(`config file ${bad} is not valid YAML`),
    );
    const list = file('list.yaml', '- a\n- b\n');
    assert.throws(
      () => loadConfig({ file: list, env: {} }),
      (e) => isAppError(e, 'CONFIG.INVALID') && /must hold a mapping at the top level/.test(e.message),
    );
    assert.throws(
      () => loadConfig({ file: join(dir, 'missing.yaml'), env: {} }),
      (e) => isAppError(e, 'CONFIG.INVALID') && /cannot read config file/.test(e.message),
    );
  });
});
