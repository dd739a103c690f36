import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/config-loader.ts';
import { closestKey } from '../../src/config/config-keys.ts';
import { configSchema } from '../../src/config/config-schema.ts';
import { serveConfigProblems } from '../../src/config/serve-config-rules.ts';
import { AppError, isAppError } from '../../src/domain/errors.ts';
import { startService } from '../../src/main.ts';
import { callkeeper } from '../cli/cli-test-harness.ts';
import { doctor, rowsOf } from '../cli/doctor-test-kit.ts';

const TOKEN = 'tok-9f8e7d6c5b4a';

let dir: string;
function file(name: string, text: string, mode = 0o600): string {
  const p = join(dir, name);
  writeFileSync(p, text, { mode });
  return p;
}

function loadError(f: string | undefined, env: NodeJS.ProcessEnv = {}): AppError {
  try {
    loadConfig({ file: f, env });
  } catch (e) {
    assert.ok(isAppError(e, 'CONFIG.INVALID'), String(e));
    return e;
  }
  assert.fail('expected CONFIG.INVALID');
}

const problems = (e: AppError): string[] => e.details['problems'] as string[];

describe('config errors never echo a secret', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-config-hard-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a duplicate key names the file, line and column and what is wrong, and nothing of the content', () => {
    const f = file('dup.yaml', `smpp:\n  host: 127.0.0.1\nadmin:\n  token: ${TOKEN}\n  token: ${TOKEN}-2\n`);
    const e = loadError(f);
    assert.equal(e.message, `config file ${f} is not valid YAML: line 5, column 3: a key appears twice in the same mapping (DUPLICATE_KEY)`);
    assert.ok(!e.message.includes('tok-'), e.message);
  });

  test('other YAML errors (an escape, an unclosed quote, an unknown alias) quote nothing either', () => {
    for (const [name, text] of [
      ['escape.yaml', `admin:\n  token: "${TOKEN}\\q"\n`],
      ['quote.yaml', `admin:\n  token: "${TOKEN}\nlog:\n  level: info\n`],
      ['alias.yaml', `admin:\n  token: *${TOKEN}\n`],
    ] as const) {
      const e = loadError(file(name, text));
      assert.match(e.message, /is not valid YAML/, name);
      assert.ok(!e.message.includes(TOKEN.slice(4)) && !e.message.includes('\n'), `${name}: ${e.message}`);
    }
  });

  test('a value that fails validation is named by its path, not quoted', () => {
    const e = loadError(file('value.yaml', `admin:\n  token: ""\nsmpp:\n  password: ${TOKEN}\n`));
    assert.ok(problems(e).some((p) => p.startsWith('smpp.password: ')), JSON.stringify(problems(e)));
    assert.ok(!e.message.includes(TOKEN), e.message);
  });
});

describe('config that should fail, fails', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-config-hard-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('an unknown key at any level is an error with the closest known key', () => {
    const e = loadError(
      file('typos.yaml', 'smpp:\n  pasword: secret1\nmessaging:\n  quietHours:\n    strat: "22:00"\nnotify:\n  smtp:\n    host: mail\n    from: a@b.c\n    hots: x\nlog:\n  colour: red\nenigne: asterisk\n'),
    );
    assert.deepEqual(problems(e).sort(), [
      'enigne: unknown key (did you mean engine?)',
      'log.colour: unknown key',
      'messaging.quietHours.strat: unknown key (did you mean start?)',
      'notify.smtp.hots: unknown key (did you mean host?)',
      'smpp.pasword: unknown key (did you mean password?)',
    ]);
    assert.ok(!e.message.includes('secret1'));
  });

  test('an unknown CALLKEEPER_* variable is an error naming the variable it probably meant; its value is not shown', () => {
    const e = loadError(undefined, { CALLKEEPER_SMPP__PASWORD: 'hunter22', CALLKEEPER_ADMIN__TOKNE: TOKEN, CALLKEEPER_NOPE: '1' });
    assert.deepEqual(problems(e).sort(), [
      'CALLKEEPER_ADMIN__TOKNE: no such setting admin.tokne (did you mean CALLKEEPER_ADMIN__TOKEN?)',
      'CALLKEEPER_NOPE: no such setting nope',
      'CALLKEEPER_SMPP__PASWORD: no such setting smpp.pasword (did you mean CALLKEEPER_SMPP__PASSWORD?)',
    ]);
    assert.ok(!e.message.includes('hunter22') && !e.message.includes(TOKEN));
    // The variables that are not overrides, and real ones, pass.
    const ok = loadConfig({ env: { CALLKEEPER_DEBUG: '1', CALLKEEPER_DEV: '1', CALLKEEPER_DB: join(dir, 'x.db'), CALLKEEPER_NOTIFY__STAFF_SMS__WINDOW_IN_S: '60', CALLKEEPER_SMPP__SYSTEM_ID: 'acme' } });
    assert.equal(ok.config.notify.staffSms.windowInS, 60);
    assert.equal(ok.config.smpp.systemId, 'acme');
    // A bad value from the environment says where it came from.
    assert.deepEqual(problems(loadError(undefined, { CALLKEEPER_SMPP__PORT: '99999' })), ['smpp.port: Too big: expected number to be <=65535 (from CALLKEEPER_SMPP__PORT)']);
  });

  test('a secret file that group or others can open is refused; 0600 and 0400 are read', () => {
    const loose = file('loose-token', `${TOKEN}\n`, 0o644);
    const group = file('group-token', `${TOKEN}\n`, 0o640);
    for (const f of [loose, group]) {
      const e = loadError(file('loose.yaml', `admin:\n  tokenFile: ${f}\n`));
      assert.deepEqual(problems(e), [`admin.tokenFile: ${f} is open to group or others (mode 0${f === loose ? '644' : '640'}); chmod 600 it`]);
      assert.ok(!e.message.includes(TOKEN));
    }
    for (const mode of [0o600, 0o400]) {
      const f = file(`tight-${mode}`, `${TOKEN}\n`, mode);
      assert.equal(loadConfig({ file: file('tight.yaml', `admin:\n  tokenFile: ${f}\n`), env: {} }).config.admin.token, TOKEN);
    }
    assert.deepEqual(problems(loadError(file('dir.yaml', `smpp:\n  passwordFile: ${dir}\n`))), [`smpp.passwordFile: cannot read ${dir}: not a regular file`]);
    // systemd's credentials directory restricts access itself (an ACL's mask shows as group bits).
    mkdirSync(join(dir, 'creds'));
    const cred = join(dir, 'creds', 'admin-token');
    writeFileSync(cred, `${TOKEN}\n`, { mode: 0o440 });
    const viaSystemd = loadConfig({ env: { CALLKEEPER_ADMIN__TOKEN_FILE: cred, CREDENTIALS_DIRECTORY: join(dir, 'creds') } });
    assert.equal(viaSystemd.config.admin.token, TOKEN);
    assert.equal(problems(loadError(undefined, { CALLKEEPER_ADMIN__TOKEN_FILE: cred })).length, 1);
  });

  test('values outside what the code can honour are refused: a tps whose spacing overflows a timer, durations past 2^31-1 ms, HH:MM, time zones', () => {
    const e = loadError(
      file(
        'ranges.yaml',
        'smpp:\n  tps: 0.000001\n  enquireLinkInS: 9999999\ncall:\n  drainTimeoutMs: 9999999999\nmessaging:\n  quietHours:\n    start: "25:00"\ndefaults:\n  timezone: Mars/Olympus_Mons\nnotify:\n  retry:\n    maxDelay: 3000000000\n',
      ),
    );
    const paths = problems(e).map((p) => p.split(':')[0]).sort();
    assert.deepEqual(paths, ['call.drainTimeoutMs', 'defaults.timezone', 'messaging.quietHours.start', 'notify.retry.maxDelay', 'smpp.enquireLinkInS', 'smpp.tps']);
    assert.equal(configSchema.safeParse({ smpp: { tps: 0.1 } }).success, true);
    assert.equal(configSchema.safeParse({ smpp: { tps: 1000 } }).success, true);
  });

  test('smpp.answersAhead: a whole number ≥ 0 (default 0); config check refuses anything else in one line', async () => {
    assert.equal(loadConfig({ env: {} }).config.smpp.answersAhead, 0);
    assert.equal(loadConfig({ file: file('ahead.yaml', 'smpp:\n  answersAhead: 10\n'), env: {} }).config.smpp.answersAhead, 10);
    for (const [value, why] of [['-1', 'Too small: expected number to be >=0'], ['2.5', 'Invalid input: expected int, received number'], ['ten', 'Invalid input: expected number, received string']] as const) {
      const cfg = file(`ahead-${value}.yaml`, `smpp:\n  answersAhead: ${value}\n`);
      assert.deepEqual(problems(loadError(cfg)), [`smpp.answersAhead: ${why}`]);
      const r = await callkeeper(['--config', cfg, 'config', 'check']);
      assert.equal(r.code, 1, value);
      assert.equal(r.stderr.trimEnd().split('\n').length, 1, `one line: ${r.stderr}`);
      assert.ok(r.stderr.includes(`smpp.answersAhead: ${why}`), r.stderr);
    }
  });

  test('did-you-mean only suggests a near key', () => {
    assert.equal(closestKey('pasword', ['password', 'passwordFile', 'host']), 'password');
    assert.equal(closestKey('PASSWORDFILE', ['password', 'passwordFile']), 'passwordFile');
    assert.equal(closestKey('colour', ['level']), null);
  });
});

describe('admin.host off loopback without a token: serve, config check and doctor all refuse it', () => {
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'ck-config-hard-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const LINE = 'admin.host: 0.0.0.0 is not loopback, so admin.token (or admin.tokenFile) must be set';

  test('the shared rule', () => {
    const { config } = loadConfig({ file: file('open.yaml', 'admin:\n  host: 0.0.0.0\n'), env: {} });
    assert.deepEqual(serveConfigProblems(config), [LINE]);
    assert.deepEqual(serveConfigProblems(loadConfig({ file: file('tok.yaml', `admin:\n  host: 0.0.0.0\n  token: ${TOKEN}\n`), env: {} }).config), []);
    assert.deepEqual(serveConfigProblems(loadConfig({ env: {} }).config), []);
  });

  test('config check exits 1 with the line; serve refuses before it opens the database', async () => {
    const cfg = file('open2.yaml', `admin:\n  host: 0.0.0.0\ndatabase:\n  path: ${join(dir, 'never.db')}\n`);
    const r = await callkeeper(['--config', cfg, 'config', 'check']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, `callkeeper: serve refuses this configuration (${cfg}): ${LINE}\n`);
    assert.equal(r.stdout, '');
    const { config } = loadConfig({ file: cfg, env: {} });
    await assert.rejects(startService(config, { logger: quietLogger, retention: false }), (e) => isAppError(e, 'CONFIG.INVALID') && e.message.endsWith(LINE));
    assert.equal(existsSync(join(dir, 'never.db')), false, 'serve created the database before refusing the config');
  });

  test('doctor fails the config row with the same line', async () => {
    const cfg = file('open3.yaml', `admin:\n  host: 0.0.0.0\ndatabase:\n  path: ${join(dir, 'doctor.db')}\nsmpp:\n  port: 1\nasterisk:\n  url: http://127.0.0.1:1\n`);
    const run = await doctor(['--config', cfg, 'doctor', '--json', '--timeout', '5']);
    assert.equal(run.code, 1);
    const config = rowsOf(run).find((r) => r.name === 'config');
    assert.deepEqual(config, { name: 'config', status: 'fail', detail: `serve would refuse it: ${LINE}` });
  });
});

const quietLogger = { debug() {}, info() {}, warn() {}, error() {}, child: () => quietLogger };
