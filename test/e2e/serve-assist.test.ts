import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SMTPServer } from 'smtp-server';
import type { Business } from '../../src/domain/business.ts';
import { validateNewStaff } from '../../src/domain/notify/staff-member.ts';
import { SqliteStaffStore } from '../../src/store/sqlite-staff-store.ts';
import { ChatCompletionsPeer, type PeerReply } from '../llm/chat-completions-peer.ts';
import { startReceiver, type Receiver } from '../notify/webhook-receiver.ts';
import { waitFor } from '../support/wait-for.ts';
import { memoryLogger, ServeHarness } from './serve-harness.ts';
import { sayPhrase, ToneTranscriber } from './tone-speech.ts';

/**
 * The assist through the whole running service (`startService`, what `callkeeper serve` runs) on the
 * Asterisk simulator: the real `MistralAssist` talks to a chat-completions peer on a port-0 socket, staff
 * e-mail goes to a real SMTP server and the webhook to a signature-checking receiver.
 */
const MESSAGE = sayPhrase('This is Maria Lopez at 42 Oak Street. The toilet is overflowing, please come today.');
const YES = sayPhrase('Yes please.');
const DID = '+15125550100';
const MARIA = '+15125550301';
const OTHER = '+15125550302';
const SECRET = 'whsec-e2e-assist';

/** The model: a faithful intake, and replies read by what they say. */
function model(body: Record<string, unknown>): PeerReply {
  const task = (body.response_format as { json_schema?: { name?: string } } | undefined)?.json_schema?.name;
  const said = String((body.messages as Array<{ content: string }> | undefined)?.[1]?.content ?? '');
  if (task === 'message_intake') {
    return {
      kind: 'json',
      content: {
        problem: 'an overflowing toilet', callerName: 'Maria Lopez', serviceAddress: '42 Oak Street', callbackNumber: null,
        timeframe: 'today', timeframeQuote: 'please come today', summary: 'Maria Lopez reports the toilet is overflowing at 42 Oak Street.',
      },
    };
  }
  if (task === 'reply_intent') return { kind: 'json', content: { intent: /quit bugging/.test(said) ? 'revoke' : /\?/.test(said) ? 'question' : 'other' } };
  return { kind: 'status', status: 500 };
}

describe('serve with the assist on', () => {
  let h: ServeHarness;
  let business: Business;
  let peer: ChatCompletionsPeer;
  let smtp: SMTPServer;
  let rx: Receiver;
  const mails: string[] = [];
  const promptsDir = mkdtempSync(join(tmpdir(), 'ck-e2e-assist-prompts-'));
  const logger = memoryLogger();

  before(async () => {
    peer = (await ChatCompletionsPeer.start()).answerBy(model);
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, _session, cb) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          mails.push(Buffer.concat(chunks).toString('utf8'));
          cb();
        });
      },
    });
    await new Promise<void>((r) => smtp.listen(0, '127.0.0.1', () => r()));
    rx = await startReceiver(SECRET, () => ({ kind: 'status', status: 200 }));
    h = await ServeHarness.start({
      engine: 'asterisk',
      transcriber: new ToneTranscriber(),
      promptsDir,
      logger,
      extraConfig: {
        assist: { enabled: true, serverURL: peer.url, model: 'mistral-small-latest' },
        notify: { smtp: { host: '127.0.0.1', port: (smtp.server.address() as AddressInfo).port, from: 'callkeeper@acme.test' } },
      },
    });
    business = h.addBusiness('Acme Plumbing', DID, 'verbal');
    const staff = new SqliteStaffStore(h.db);
    staff.add(validateNewStaff({ businessId: business.id, name: 'Dana', email: 'dana@acme.test' }));
    staff.setWebhook(business.id, { url: rx.url, secret: SECRET });
    await h.ready();
  });
  after(async () => {
    await h.close();
    await peer.close();
    await rx.close();
    await new Promise<void>((r) => smtp.close(() => r()));
    rmSync(promptsDir, { recursive: true, force: true });
  });

  const hooks = (event: string) => rx.received.map((r) => JSON.parse(r.body) as Record<string, unknown>).filter((b) => b.event === event);

  test('a message naming a problem, an address and a name reaches the staff e-mail and webhook with the checked fields', async () => {
    const result = await h.placeCall({ caller: MARIA, dialed: DID.slice(1), says: [MESSAGE, YES] }).result;
    // On failure, say why (e.g. the engine simulator did not answer in time on a loaded machine).
    const why = logger.records.filter((r) => Number(r.level) >= 40).map((r) => `${r.msg} ${JSON.stringify(r.fields.err ?? r.fields.op ?? '')}`);
    assert.equal(result.decision, 'granted', `outcome ${result.outcome}; warnings and errors: ${why.join(' | ')}`);
    await waitFor(() => hooks('call.ended').length === 1 && mails.length === 1, { what: 'the webhook and the e-mail of the call' });
    const payload = hooks('call.ended')[0]!;
    assert.deepEqual(payload.intake, {
      problem: 'an overflowing toilet', callerName: 'Maria Lopez', serviceAddress: '42 Oak Street', callbackNumber: null,
      timeframe: 'today', summary: 'Maria Lopez reports the toilet is overflowing at 42 Oak Street.',
    });
    const mail = mails[0]!.replace(/=\r?\n/g, '');
    assert.match(mail, /Name: Maria Lopez/);
    assert.match(mail, /Address: 42 Oak Street/);
    assert.match(mail, /Needed: today/);
    const row = h.db.prepare("SELECT model, prompt_version, outcome, applied, checks_json FROM assist_results WHERE use = 'intake' AND call_id = ?").get(result.callId) as Record<string, string>;
    assert.deepEqual([row.model, row.prompt_version, row.outcome], ['mistral-small-latest', 'intake-1', 'ok']);
    assert.match(String(row.applied), /^fields:problem,callerName,serviceAddress,timeframe,summary$/);
    // The text to the caller is about their problem.
    await waitFor(() => h.textsTo(MARIA).length === 1, { what: 'the first text at the SMSC' });
    assert.match(h.textsTo(MARIA)[0]!.text, /about an overflowing toilet/);
  });

  test('a question is forwarded to the staff with the caller\'s text; a free-text "stop messaging me" revokes', async () => {
    await h.smsc.deliver({ from: MARIA.slice(1), to: DID.slice(1), text: 'can you come tomorrow at 9?' });
    await waitFor(() => hooks('reply.received').length === 1, { what: 'the forwarded reply at the webhook' });
    const reply = hooks('reply.received')[0]!.reply as { text: string; from: string };
    assert.deepEqual([reply.text, reply.from], ['can you come tomorrow at 9?', MARIA]);

    await h.smsc.deliver({ from: MARIA.slice(1), to: DID.slice(1), text: 'stop messaging me' });
    await waitFor(() => h.ledgerFor(MARIA).at(-1)?.event === 'revoked', { what: 'the revocation in the ledger' });
  });

  test('a revocation in words only the assist reads revokes too', async () => {
    h.consent().append({
      event: 'granted', businessId: business.id, did: DID, consumer: OTHER, method: 'verbal', scriptVersion: null, scriptText: null,
      transcript: 'yes', audioPath: null, audioSha256: null, callId: null, source: 'test',
    });
    await h.smsc.deliver({ from: OTHER.slice(1), to: DID.slice(1), text: 'ugh, quit bugging me' });
    await waitFor(() => h.ledgerFor(OTHER).at(-1)?.event === 'revoked', { what: 'the assisted revocation in the ledger' });
    const src = h.db.prepare("SELECT source FROM consent_ledger WHERE consumer = ? AND event = 'revoked'").pluck().get(OTHER) as string;
    assert.match(src, /:assist:revoke$/);
  });

  test('no log line carries a transcript or a reply text', () => {
    const leaks = logger.lines.filter((l) => /Maria Lopez|Oak Street|quit bugging|messaging me|tomorrow at 9/.test(l));
    assert.deepEqual(leaks, []);
  });
});
