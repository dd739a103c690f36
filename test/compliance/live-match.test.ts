import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../src/app/messaging/inbound-message-handler.ts';
import { sendTemplate } from '../../src/app/messaging/send-template.ts';
import { renderOptInPage } from '../../src/compliance/opt-in-page.ts';
import { buildKit, KIT_FILES, type RegistrationFields } from '../../src/compliance/registration-kit.ts';
import { describeProgram, SAMPLE_CALLER_MESSAGE } from '../../src/domain/compliance/program-description.ts';
import { ACME, createCallHarness } from '../fakes/call-harness.ts';
import { openMessagingDb } from '../sms/fixtures/messaging-db.ts';

/**
 * The demo business (src/demo/demo.ts: "Acme Plumbing" on +15125550100, verbal consent, default
 * templates) as a call actually speaks and texts it, against the opt-in page and the kit generated for it.
 */
const CALLER = '+15125550123';
const CONSUMER = '15125550199';

/** What Eta's autoEscape turns a text into inside the page. */
function html(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

test('the opt-in page and the kit say word for word what a call to the demo business plays and texts', async (t) => {
  // A call: the caller leaves the sample message and says yes.
  const h = createCallHarness();
  const { result, played } = await h.call({ says: [SAMPLE_CALLER_MESSAGE, 'yes'] });
  assert.equal(result.outcome, 'consent-granted');
  const spokenScript = played[1] ?? '';
  assert.ok(spokenScript.startsWith('Before we finish'), `the second prompt is the consent question: ${spokenScript}`);
  const firstText = h.outbox.forCall(result.callId!)[0]?.body;
  assert.ok(firstText, 'the call queued a first text');
  assert.match(firstText, /about a leaking faucet\./, 'the first text carries the issue of the sample message');

  // The follow-ups and keyword replies, through the service's own use cases on a real outbox.
  const m = openMessagingDb();
  t.after(() => m.close());
  const business = m.businesses.byId(m.businessId)!;
  assert.deepEqual({ name: business.name, dids: business.dids, templates: business.templates }, { name: ACME.name, dids: ACME.dids, templates: ACME.templates });
  m.grant(`+${CONSUMER}`);
  const follow = async (template: 'callback' | 'complete'): Promise<string> =>
    (await sendTemplate({ outbox: m.stores.outbox, rules: m.rules, businesses: m.stores.businesses, consent: m.stores.consent, clock: m.clock }, { businessId: business.id, to: `+${CONSUMER}`, template })).rendered.text;
  const callback = await follow('callback');
  const complete = await follow('complete');
  const inbound = new InboundMessageHandler({}, { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock });
  const reply = async (text: string): Promise<string> => {
    await inbound.handle({ from: CONSUMER, to: '15125550100', text, receivedAt: m.clock.now() });
    return m.db.prepare("SELECT body FROM outbound_messages WHERE kind = 'keyword-reply' ORDER BY id DESC LIMIT 1").pluck().get() as string;
  };
  const help = await reply('HELP');
  const stop = await reply('STOP');
  const start = await reply('START');

  const d = describeProgram(business);
  assert.equal(d.consentScript?.text, spokenScript);
  assert.deepEqual(
    d.samples.map((s) => s.text),
    [firstText, callback, complete],
  );
  assert.deepEqual([d.helpReply, d.optOutReply, d.optInConfirmation], [help, stop, start]);

  const page = renderOptInPage(d);
  for (const text of [spokenScript, firstText, callback, complete, help, stop, start]) assert.ok(page.includes(html(text)), `the page carries: ${text}`);

  const kit = Object.fromEntries(buildKit(d).map((f) => [f.name, f.content]));
  const fields = JSON.parse(kit[KIT_FILES.json]!) as RegistrationFields;
  assert.equal(fields.consentScript?.text, spokenScript);
  assert.ok(fields.messageFlow.includes(spokenScript), 'the message flow quotes the script');
  assert.deepEqual(fields.sampleMessages, [firstText, callback, complete]);
  assert.deepEqual([fields.helpMessage, fields.optOutMessage, fields.optInMessage], [help, stop, start]);
  assert.equal(kit[KIT_FILES.script], `${spokenScript}\n`);
  assert.equal(kit[KIT_FILES.page], page);
  for (const text of [spokenScript, firstText, callback, complete, help, stop, start]) assert.ok(kit[KIT_FILES.text]!.includes(text), `registration.txt carries: ${text}`);
});
