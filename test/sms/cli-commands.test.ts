import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { CommanderError, type Command } from 'commander';
import { createCliContext, writeLine } from '../../src/cli/cli-context.ts';
import { buildProgram } from '../../src/cli/main.ts';
import { registerMessagesCommand } from '../../src/cli/messages-command.ts';
import { registerOptoutCommand } from '../../src/cli/optout-command.ts';
import { registerSmsCommand } from '../../src/cli/sms-command.ts';
import { isAppError } from '../../src/domain/errors.ts';
import { openMessagingDb } from './fixtures/messaging-db.ts';

/** Runs the program with this registrars added (until the lead wires them in main.ts). */
async function run(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) => new Writable({ write: (c, _e, cb) => (f(String(c)), cb()) });
  let program: Command | undefined;
  const ctx = createCliContext({ stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env, globals: () => (program?.opts() ?? {}) as never });
  program = buildProgram(ctx);
  for (const r of [registerSmsCommand, registerMessagesCommand, registerOptoutCommand]) {
    if (!program.commands.some((c) => c.name() === r.name.replace(/^register|Command$/g, '').toLowerCase())) r(program, ctx);
  }
  const walk = (c: Command): void => {
    for (const sub of c.commands) {
      sub.exitOverride().configureOutput({ writeOut: (s) => ctx.stdout.write(s), writeErr: (s) => ctx.stderr.write(s) });
      walk(sub);
    }
  };
  walk(program);
  try {
    await program.parseAsync(['node', 'callkeeper', ...args]);
    return { code: 0, out, err };
  } catch (e) {
    if (e instanceof CommanderError) return { code: 2, out, err };
    if (isAppError(e)) {
      writeLine(ctx.stderr, `callkeeper: ${e.message}`);
      return { code: 1, out, err };
    }
    throw e;
  }
}

describe('callkeeper sms / messages / optout', () => {
  test('sms send refuses without consent (naming the rule), queues with consent; lists show it', async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    const env = { CALLKEEPER_DB: m.path, CALLKEEPER_CONFIG: '/dev/null' };
    const refused = await run(['sms', 'send', '--business', '1', '--to', '+15125550111', '--template', 'callback'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.err, /refused by the consent rule/);
    m.grant('+15125550111');
    const ok = await run(['sms', 'send', '--business', '1', '--to', '(512) 555-0111', '--template', 'received', '--var', 'issue=a leaking faucet', '--json'], env);
    assert.equal(ok.code, 0, ok.err);
    const j = JSON.parse(ok.out) as { outboundId: number; text: string; parts: number };
    assert.match(j.text, /about a leaking faucet\. .*Reply HELP for help, STOP to opt out\.$/);
    const list = await run(['messages', 'list', '--json'], env);
    const rows = list.out.trim().split('\n').map((l) => JSON.parse(l) as { direction: string; status: string; consumer: string });
    assert.deepEqual(rows.map((r) => [r.direction, r.status, r.consumer]), [['out', 'queued', '+15125550111']]);
    const bad = await run(['sms', 'send', '--business', '1', '--to', '+15125550111', '--template', 'bogus'], env);
    assert.equal(bad.code, 1);
    assert.match(bad.err, /--template must be one of/);
  });

  test('optout list shows consumers whose latest event is revoked', async (t) => {
    const m = openMessagingDb();
    t.after(() => m.close());
    m.grant('+15125550111');
    m.grant('+15125550111', 'revoked');
    m.grant('+15125550122', 'revoked');
    m.grant('+15125550122', 'reinstated');
    const env = { CALLKEEPER_DB: m.path, CALLKEEPER_CONFIG: '/dev/null' };
    const r = await run(['optout', 'list', '--business', '1', '--json'], env);
    assert.equal(r.code, 0, r.err);
    const rows = r.out.trim().split('\n').map((l) => JSON.parse(l) as { consumer: string });
    assert.deepEqual(rows.map((x) => x.consumer), ['+15125550111']);
    const none = await run(['optout', 'list', '--business', '2'], env);
    assert.match(none.out, /no opt-outs/);
  });
});
