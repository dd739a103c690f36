import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { complianceDoctorCheck } from '../../src/cli/compliance-doctor-check.ts';
import { renderOptInPage } from '../../src/compliance/opt-in-page.ts';
import { configSchema } from '../../src/config/config-schema.ts';
import { describeProgram } from '../../src/domain/compliance/program-description.ts';
import { SqliteBusinessDirectory } from '../../src/store/sqlite-business-directory.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { tempDir } from '../store/store-test-helpers.ts';
import { callkeeper } from './cli-test-harness.ts';

function setup(t: { after(fn: () => void): void }): { env: NodeJS.ProcessEnv; db: string; dir: string } {
  const { dir, cleanup } = tempDir('callkeeper-compliance-');
  t.after(cleanup);
  const db = join(dir, 'ck.db');
  return { env: { CALLKEEPER_DB: db }, db, dir };
}

async function addAcme(env: NodeJS.ProcessEnv, ...extra: string[]): Promise<void> {
  const r = await callkeeper(['business', 'add', '--name', 'Acme Plumbing', '--did', '+15125550100', '--timezone', 'America/Chicago', '--consent-mode', 'verbal', ...extra], env);
  assert.equal(r.code, 0, r.stderr);
}

function business(db: string, id = 1) {
  const h = openDatabase(db, { readonly: true });
  try {
    return new SqliteBusinessDirectory(h).byId(id)!;
  } finally {
    h.close();
  }
}

describe('callkeeper compliance kit', () => {
  test('writes the registration fields (JSON and text), the opt-in page and the script, from the live configuration', async (t) => {
    const { env, db, dir } = setup(t);
    await addAcme(env);
    const out = join(dir, 'kit', 'acme');
    const r = await callkeeper(['compliance', 'kit', '--business', '1', '--out', out], { ...env, CALLKEEPER_MESSAGING__HELP_CONTACT: 'help@acme.test' });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(readdirSync(out).sort(), ['consent-script.txt', 'opt-in-page.html', 'registration.json', 'registration.txt']);
    assert.equal(r.stdout, ['registration.json', 'registration.txt', 'opt-in-page.html', 'consent-script.txt'].map((f) => `wrote ${join(out, f)}\n`).join(''));
    const d = describeProgram(business(db), { helpContact: 'help@acme.test' });
    const fields = JSON.parse(readFileSync(join(out, 'registration.json'), 'utf8'));
    assert.equal(fields.brand, 'Acme Plumbing');
    assert.equal(fields.description, d.campaignDescription);
    assert.equal(fields.messageFlow, d.messageFlow);
    assert.deepEqual(fields.sampleMessages, d.samples.map((s) => s.text));
    assert.equal(fields.helpMessage, d.helpReply);
    assert.match(fields.helpMessage, /help@acme\.test/);
    assert.equal(fields.optOutMessage, d.optOutReply);
    assert.equal(fields.optInMessage, d.optInConfirmation);
    assert.deepEqual(fields.optOutKeywords.slice(0, 1), ['STOP']);
    assert.deepEqual(fields.helpKeywords, ['HELP', 'INFO']);
    assert.deepEqual(fields.optInKeywords, ['START', 'UNSTOP']);
    assert.equal(fields.embeddedLink, false);
    assert.equal(readFileSync(join(out, 'consent-script.txt'), 'utf8'), `${d.consentScript!.text}\n`);
    assert.equal(readFileSync(join(out, 'opt-in-page.html'), 'utf8'), renderOptInPage(d));
    const text = readFileSync(join(out, 'registration.txt'), 'utf8');
    for (const heading of ['Campaign description', 'Message flow / call to action', 'Sample messages', 'Opt-in confirmation message', 'Opt-out message', 'Help message']) {
      assert.match(text, new RegExp(`^${heading.replace(/[/]/g, '\\/')}\\n-+\\n`, 'm'), heading);
    }
    assert.ok(text.includes(d.consentScript!.text));
  });

  test('an unknown business, and a program that breaks a rule, write nothing (unless --force)', async (t) => {
    const { env, dir } = setup(t);
    await addAcme(env, '--template', 'complete=Your job is done.', '--force');
    const missing = await callkeeper(['compliance', 'kit', '--business', '7', '--out', join(dir, 'a')], env);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, 'callkeeper: no business with id 7\n');
    const refused = await callkeeper(['compliance', 'kit', '--business', '1', '--out', join(dir, 'b')], env);
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr, 'text-brand: template complete: the text names the business\ncallkeeper: kit not written: 1 compliance rule(s) broken (fix them, or --force)\n');
    assert.throws(() => readdirSync(join(dir, 'b')), /ENOENT/);
    const forced = await callkeeper(['compliance', 'kit', '--business', '1', '--out', join(dir, 'b'), '--force'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(readdirSync(join(dir, 'b')).length, 4);
  });
});

describe('callkeeper compliance check', () => {
  test('exit 0 when every business meets the rules; exit 1 with one line per broken rule naming it', async (t) => {
    const { env } = setup(t);
    await addAcme(env);
    const good = await callkeeper(['compliance', 'check'], env);
    assert.equal(good.code, 0, good.stderr);
    assert.match(good.stdout, /^ok: 1 business\(es\)/);
    const bad = await callkeeper(['business', 'add', '--name', 'Bolt Electric', '--did', '+15125550200', '--timezone', 'America/Chicago', '--consent-mode', 'verbal', '--template', 'callback=We will call.', '--template', 'complete=Done.', '--force'], env);
    assert.equal(bad.code, 0, bad.stderr);
    const r = await callkeeper(['compliance', 'check'], env);
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      'business 2 (Bolt Electric): text-brand: template callback: the text names the business\nbusiness 2 (Bolt Electric): text-brand: template complete: the text names the business\n',
    );
    assert.equal(r.stderr, 'callkeeper: 2 compliance rule(s) broken\n');
    const only = await callkeeper(['compliance', 'check', '--business', '1', '--json'], env);
    assert.equal(only.code, 0, only.stderr);
    assert.deepEqual(JSON.parse(only.stdout), [{ business: { id: 1, name: 'Acme Plumbing' }, ok: true, violations: [] }]);
  });

  test('the doctor row: ok with no database, ok when compliant, fail naming the rule', async (t) => {
    const { env, db } = setup(t);
    const config = configSchema.parse({});
    assert.equal(complianceDoctorCheck(config, db).status, 'ok');
    await addAcme(env);
    assert.deepEqual(complianceDoctorCheck(config, db), { status: 'ok', detail: '1 business(es) meet the carrier rules (templates, keyword replies, consent script)' });
    const r = await callkeeper(['business', 'update', '1', '--template', 'received=Got your call.', '--force'], env);
    assert.equal(r.code, 0, r.stderr);
    const row = complianceDoctorCheck(config, db);
    assert.equal(row.status, 'fail');
    assert.equal(row.detail, '1 rule(s) broken: business 1 (Acme Plumbing): text-brand: template received: the text names the business');
  });
});

describe('a template change that breaks a rule', () => {
  test('business update is refused, naming the rule, and nothing changes; --force stores it', async (t) => {
    const { env, db } = setup(t);
    await addAcme(env);
    const refused = await callkeeper(['business', 'update', '1', '--template', 'callback=We will call you today.'], env);
    assert.equal(refused.code, 1);
    assert.equal(
      refused.stderr,
      'callkeeper: template change refused, it breaks text-brand: template callback: the text names the business (use --force to save it anyway)\n',
    );
    assert.deepEqual(business(db).templates, {});
    const forced = await callkeeper(['business', 'update', '1', '--template', 'callback=We will call you today.', '--force', '--json'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual(business(db).templates, { callback: 'We will call you today.' });
  });

  test('business add is refused the same way; a template that names the business passes without --force', async (t) => {
    const { env, db } = setup(t);
    const refused = await callkeeper(['business', 'add', '--name', 'Acme Plumbing', '--did', '+15125550100', '--timezone', 'America/Chicago', '--template', 'complete=All done!'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^callkeeper: template change refused, it breaks text-brand: template complete: .*--force/);
    await addAcme(env, '--template', 'complete={business}: all done!');
    assert.deepEqual(business(db).templates, { complete: '{business}: all done!' });
  });

  test('a rename is judged with the new name: a template that hard-codes the old name is refused', async (t) => {
    const { env } = setup(t);
    await addAcme(env);
    const r = await callkeeper(['business', 'update', '1', '--name', 'Apex Plumbing', '--template', 'callback=Acme Plumbing will call you.'], env);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /text-brand: template callback/);
  });
});
