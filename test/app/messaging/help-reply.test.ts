import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InboundMessageHandler } from '../../../src/app/messaging/inbound-message-handler.ts';
import { segmentText } from '../../../src/domain/messaging/sms-segmenter.ts';
import { openMessagingDb } from '../../sms/fixtures/messaging-db.ts';

test('HELP with no messaging.helpContact names the business number written out, in one SMS', async (t) => {
  const m = openMessagingDb();
  t.after(() => m.close());
  const inbound = new InboundMessageHandler({}, { outbox: m.stores.outbox, businesses: m.stores.businesses, clock: m.clock });
  assert.equal(await inbound.handle({ from: '15125550111', to: '15125550100', text: 'HELP', receivedAt: 0 }), 'help');
  const bodies = (m.db.prepare('SELECT body FROM outbound_messages').all() as Array<{ body: string }>).map((r) => r.body);
  assert.equal(bodies.length, 1);
  const help = bodies[0]!;
  assert.match(help, /Help: call \(512\) 555-0100\./);
  assert.doesNotMatch(help, /this number/);
  assert.equal(segmentText(help).parts.length, 1, help);
});
