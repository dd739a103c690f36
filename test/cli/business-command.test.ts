import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

function env(t: { after(fn: () => void): void }): { env: NodeJS.ProcessEnv; db: string } {
  const { dir, cleanup } = tempDir('callkeeper-cli-');
  t.after(cleanup);
  const db = join(dir, 'data', 'ck.db');
  return { env: { CALLKEEPER_DB: db }, db };
}

describe('callkeeper db migrate', () => {
  test('creates the database 0600, applies migrations, and is a no-op the second time', async (t) => {
    const { env: e, db } = env(t);
    const first = await callkeeper(['db', 'migrate'], e);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^applied 001 core\napplied 002 messages\n/);
    assert.equal(statSync(db).mode & 0o777, 0o600);
    const second = await callkeeper(['db', 'migrate'], e);
    assert.equal(second.code, 0);
    assert.match(second.stdout, /^up to date: schema version \d+/);
  });

  test('the global --db option wins over CALLKEEPER_DB', async (t) => {
    const { env: e } = env(t);
    const { dir, cleanup } = tempDir('callkeeper-cli-');
    t.after(cleanup);
    const r = await callkeeper(['--db', join(dir, 'other.db'), 'db', 'migrate', '--json'], e);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).path, join(dir, 'other.db'));
  });
});

describe('callkeeper business', () => {
  test('add, list --json, update', async (t) => {
    const { env: e } = env(t);
    const add = await callkeeper(['business', 'add', '--name', 'Acme Plumbing', '--did', '512-555-0100', '--did', '+1 512 555 0101', '--timezone', 'America/Chicago', '--consent-mode', 'verbal'], e);
    assert.equal(add.code, 0, add.stderr);
    assert.equal(add.stdout, 'added business 1: Acme Plumbing (2 DIDs)\n');
    const list = await callkeeper(['business', 'list', '--json'], e);
    assert.equal(list.code, 0);
    const [b] = JSON.parse(list.stdout);
    assert.deepEqual(b.dids, ['+15125550100', '+15125550101']);
    assert.equal(b.consentMode, 'verbal');
    const upd = await callkeeper(['business', 'update', '1', '--timezone', 'America/Denver', '--template', 'callback={business} will call today', '--json'], e);
    assert.equal(upd.code, 0, upd.stderr);
    assert.equal(JSON.parse(upd.stdout).timezone, 'America/Denver');
    assert.deepEqual(JSON.parse(upd.stdout).templates, { callback: '{business} will call today' });
    const text = await callkeeper(['business', 'list'], e);
    assert.match(text.stdout, /^id\tname\ttimezone\tconsent\tdids\n1\tAcme Plumbing\tAmerica\/Denver\tverbal\t\+15125550100 \+15125550101\n$/);
  });

  test('takes the time zone and consent mode from the config defaults when not given', async (t) => {
    const { env: e } = env(t);
    const r = await callkeeper(['business', 'add', '--name', 'Bolt', '--did', '+15125550200', '--json'], { ...e, CALLKEEPER_DEFAULTS__TIMEZONE: 'America/New_York' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).timezone, 'America/New_York');
  });

  test('a malformed phone number is exit 1 with one clear line', async (t) => {
    const { env: e } = env(t);
    const r = await callkeeper(['business', 'add', '--name', 'Acme', '--did', '555-CALL-NOW', '--timezone', 'America/Chicago'], e);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'callkeeper: --did is not a valid phone number (expected E.164, e.g. +15125550100)\n');
    assert.equal(r.stdout, '');
  });

  test('user errors exit 1: unknown time zone, DID of another business, unknown id', async (t) => {
    const { env: e } = env(t);
    await callkeeper(['business', 'add', '--name', 'Acme', '--did', '+15125550100', '--timezone', 'America/Chicago'], e);
    const tz = await callkeeper(['business', 'add', '--name', 'B', '--did', '+15125550300', '--timezone', 'Mars/Olympus'], e);
    assert.equal(tz.code, 1);
    assert.match(tz.stderr, /^callkeeper: unknown time zone "Mars\/Olympus".*\n$/);
    const dup = await callkeeper(['business', 'add', '--name', 'B', '--did', '+15125550100', '--timezone', 'America/Chicago'], e);
    assert.equal(dup.code, 1);
    assert.equal(dup.stderr, 'callkeeper: DID 1 already belongs to business 1\n');
    const missing = await callkeeper(['business', 'update', '9', '--name', 'x'], e);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'callkeeper: no business with id 9\n');
  });

  test('usage errors exit 2: missing --name, bad --consent-mode, unknown option', async (t) => {
    const { env: e } = env(t);
    assert.equal((await callkeeper(['business', 'add', '--did', '+15125550100'], e)).code, 2);
    assert.equal((await callkeeper(['business', 'add', '--name', 'A', '--did', '+15125550100', '--consent-mode', 'maybe'], e)).code, 2);
    assert.equal((await callkeeper(['business', 'list', '--bogus'], e)).code, 2);
  });

  test('every business and db command has --help with an example', async () => {
    for (const cmd of [['business', 'add'], ['business', 'list'], ['business', 'update'], ['db', 'migrate']]) {
      const r = await callkeeper([...cmd, '--help']);
      assert.equal(r.code, 0, cmd.join(' '));
      assert.match(r.stdout, /Example:\n  callkeeper /, cmd.join(' '));
    }
  });
});
