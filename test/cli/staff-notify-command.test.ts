import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import { CommanderError, type Command } from 'commander';
import { SMTPServer } from 'smtp-server';
import { createCliContext, writeLine } from '../../src/cli/cli-context.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { registerBusinessCommand } from '../../src/cli/business-command.ts';
import { registerDbCommand } from '../../src/cli/db-command.ts';
import { registerStaffCommand } from '../../src/cli/staff-command.ts';
import { registerNotifyCommand } from '../../src/cli/notify-command.ts';
import { registerUrgencyCommand } from '../../src/cli/urgency-command.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { openDatabase } from '../../src/store/sqlite-database.ts';
import { startReceiver, type Receiver } from '../notify/webhook-receiver.ts';

/** Runs `callkeeper ARGS` in-process with these registrars (the lead adds them to main.ts), same exit codes. */
async function callkeeper(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  let program: Command | undefined;
  const ctx = createCliContext({ stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env, globals: () => (program?.opts() ?? {}) as { db?: string } });
  program = buildProgram(ctx);
  for (const r of [registerDbCommand, registerBusinessCommand, registerStaffCommand, registerNotifyCommand, registerUrgencyCommand]) {
    if (!program.commands.some((c) => c.name() === r.name.replace(/^register(\w+)Command$/, '$1').toLowerCase())) r(program, ctx);
  }
  const walk = (c: Command): void => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
      walk(sub);
    }
  };
  walk(program);
  let code = 0;
  try {
    await program.parseAsync(['node', 'callkeeper', ...args]);
  } catch (e) {
    if (e instanceof CommanderError) code = e.code === 'commander.helpDisplayed' ? 0 : 2;
    else if (isAppError(e)) {
      writeLine(ctx.stderr, `callkeeper: ${e.message}`);
      code = 1;
    } else throw e;
  }
  return { code, stdout: out, stderr: err };
}

describe('callkeeper staff / notify / urgency', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let smtp: SMTPServer;
  const mails: string[] = [];
  let rx: Receiver;
  let webhookStatus = 200;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-staff-cli-'));
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _s, cb) {
        let raw = '';
        stream.on('data', (c: Buffer) => (raw += c.toString('utf8')));
        stream.on('end', () => (mails.push(raw), cb()));
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    rx = await startReceiver('cli-secret-0123456789', () => ({ kind: 'status', status: webhookStatus }));
    env = {
      CALLKEEPER_DB: join(dir, 'ck.db'),
      CALLKEEPER_NOTIFY__SMTP__HOST: '127.0.0.1',
      CALLKEEPER_NOTIFY__SMTP__PORT: String((smtp.server.address() as AddressInfo).port),
      CALLKEEPER_NOTIFY__SMTP__FROM: 'calls@acme.test',
      CALLKEEPER_NOTIFY__RETRY__ATTEMPT_TIMEOUT: '5000',
    };
  });
  after(async () => {
    await rx.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  test('staff add validates, list shows, remove removes', async () => {
    const b = await callkeeper(['business', 'add', '--name', 'Acme Plumbing', '--did', '+15125550100', '--timezone', 'America/Chicago', '--consent-mode', 'verbal'], env);
    assert.equal(b.code, 0, b.stderr);
    const bad = await callkeeper(['staff', 'add', '--business', '1', '--name', 'X', '--mobile', '12', '--on-call', 'sometimes'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /mobile is not a valid phone number.*invalid on-call hours/);
    const unknownBusiness = await callkeeper(['staff', 'add', '--business', '9', '--name', 'X', '--email', 'x@acme.test'], env);
    assert.equal(unknownBusiness.code, 1);
    assert.match(unknownBusiness.stderr, /no business with id 9/);
    const dana = await callkeeper(['staff', 'add', '--business', '1', '--name', 'Dana', '--mobile', '+15125550142', '--email', 'dana@acme.test', '--on-call', 'Mon-Fri 08:00-18:00'], env);
    assert.equal(dana.code, 0, dana.stderr);
    assert.match(dana.stdout, /^added staff 1: Dana \(business 1; sms, email; on call Mon-Fri 08:00-18:00\)/);
    const temp = await callkeeper(['staff', 'add', '--business', '1', '--name', 'Temp', '--email', 'temp@acme.test', '--json'], env);
    assert.equal(JSON.parse(temp.stdout).channels[0], 'email');
    const rm = await callkeeper(['staff', 'remove', '2'], env);
    assert.equal(rm.code, 0, rm.stderr);
    assert.equal((await callkeeper(['staff', 'remove', '2'], env)).code, 1);
    const list = await callkeeper(['staff', 'list', '--business', '1', '--json'], env);
    assert.deepEqual(JSON.parse(list.stdout).map((s: { name: string }) => s.name), ['Dana']);
    const table = await callkeeper(['staff', 'list'], env);
    assert.match(table.stdout, /^1\t1\tDana\t\+15125550142\tdana@acme\.test\tMon-Fri 08:00-18:00\tsms,email$/m);
  });

  test('notify test sends through every channel and reports each; a failing channel makes it exit 1', async () => {
    const nohook = await callkeeper(['notify', 'webhook', 'set', '--business', '1', '--url', 'http://example.com/hook'], env);
    assert.equal(nohook.code, 1, 'plain http is only for localhost');
    const set = await callkeeper(['notify', 'webhook', 'set', '--business', '1', '--url', rx.url, '--secret', 'cli-secret-0123456789'], env);
    assert.equal(set.code, 0, set.stderr);

    const ok = await callkeeper(['notify', 'test', '--business', '1'], env);
    assert.equal(ok.code, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /^ok\twebhook\thttp:\/\/127\.0\.0\.1:\d+\/hooks\/callkeeper \(http 200\)$/m);
    assert.match(ok.stdout, /^ok\temail\tDana <dana@acme\.test>/m);
    assert.match(ok.stdout, /^ok\tsms\tDana <\+15125550142> \(outbox \d+; the running service sends it\)$/m);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!, /^Subject: Test notification \(Acme Plumbing\)/m);
    assert.equal(rx.received.at(-1)!.verdict, 'accepted');
    assert.equal(JSON.parse(rx.received.at(-1)!.body).event, 'notify.test');
    const db = openDatabase(env.CALLKEEPER_DB!);
    try {
      const row = db.prepare("SELECT recipient, kind FROM outbound_messages WHERE kind = 'staff'").get() as { recipient: string };
      assert.equal(row.recipient, '+15125550142');
      assert.equal((db.prepare("SELECT count(*) FROM notification_deliveries WHERE kind = 'test' AND state = 'delivered'").pluck().get() as number), 3);
    } finally {
      db.close();
    }

    webhookStatus = 500;
    const failed = await callkeeper(['notify', 'test', '--business', '1'], env);
    assert.equal(failed.code, 1);
    assert.match(failed.stdout, /^FAIL\twebhook\t.*: webhook: http 500$/m);
    assert.match(failed.stderr, /1 of 3 test deliveries failed/);
    webhookStatus = 200;
  });

  test('urgency set / check / show', async () => {
    const set = await callkeeper(['urgency', 'set', '--business', '1', '--trade', 'plumbing', '--add', 'no hot water', '--disable', 'common.emergency'], env);
    assert.equal(set.code, 0, set.stderr);
    const check = await callkeeper(['urgency', 'check', '--business', '1', 'We have no hot water and a newborn'], env);
    assert.equal(JSON.parse(check.stdout).rule, 'business.extra');
    const off = await callkeeper(['urgency', 'check', '--business', '1', 'This is an emergency'], env);
    assert.equal(JSON.parse(off.stdout).urgent, false);
    const bad = await callkeeper(['urgency', 'set', '--business', '1', '--add', '... nothing'], env);
    assert.equal(bad.code, 1);
    const show = await callkeeper(['urgency', 'show', '--business', '1'], env);
    assert.match(show.stdout, /^\(off\) common\.emergency/m);
    assert.match(show.stdout, /^plumbing\.flooding:/m);
    assert.doesNotMatch(show.stdout, /locksmith\./);
  });
});
