import assert from 'node:assert/strict';
import { test } from 'node:test';
import smpp, { type PDU, type Session } from 'smpp';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { SmppHoldProxy } from './smpp-hold-proxy.ts';
import { waitFor, withTimeout } from './wait-for.ts';

/**
 * The link fault the several-nodes proofs use (two-nodes-postgres.test.ts): through the proxy a held
 * client's submits reach the SMSC but their responses wait, while binds and inbound texts pass; and the
 * SMSC simulator tells two bound clients apart (deliver on a named bind, the bind of each submit).
 */
async function bound(port: number, systemId: string): Promise<{ session: Session; inbound: string[] }> {
  const session = smpp.connect({ host: '127.0.0.1', port });
  const inbound: string[] = [];
  session.on('error', () => undefined);
  session.on('pdu', (pdu: PDU) => {
    if (pdu.command !== 'deliver_sm') return;
    inbound.push(Buffer.isBuffer(pdu.short_message) ? pdu.short_message.toString('latin1') : String((pdu.short_message as { message?: string }).message ?? pdu.short_message));
    session.send(pdu.response());
  });
  const resp = await withTimeout(
    new Promise<PDU>((resolve) => session.send(new smpp.PDU('bind_transceiver', { system_id: systemId, password: 'x' }), resolve)),
    10_000,
    `the bind of ${systemId}`,
  );
  assert.equal(resp.command_status, 0);
  return { session, inbound };
}

function submit(session: Session, to: string): Promise<PDU> {
  return new Promise((resolve) => session.send(new smpp.PDU('submit_sm', { source_addr: '15125550100', destination_addr: to, short_message: 'hi' }), resolve));
}

test('held: the SMSC takes the submit, the response waits in the proxy, inbound texts still pass; release delivers it', async (t) => {
  const smsc = new SmscSimulator();
  const smscPort = await smsc.listen();
  t.after(() => smsc.close());
  const proxy = await SmppHoldProxy.start({ host: '127.0.0.1', port: smscPort });
  t.after(() => proxy.close());
  const a = await bound(proxy.port, 'node-a');
  const b = await bound(smscPort, 'node-b');
  t.after(() => {
    a.session.destroy();
    b.session.destroy();
  });

  proxy.hold();
  let answered: PDU | null = null;
  void submit(a.session, '15125557001').then((r) => (answered = r));
  await waitFor(() => smsc.submits.length === 1 && proxy.held() === 1, { what: 'the submit at the SMSC and its response held' });
  assert.equal(smsc.submits[0]!.systemId, 'node-a', 'the SMSC knows which bind submitted');
  assert.notEqual(smsc.submits[0]!.messageId, null, 'the SMSC accepted it');

  // Inbound texts go to the bind named, past the held responses.
  assert.equal(await smsc.deliver({ from: '15125557001', to: '15125550100', text: 'STOP', via: 'node-a' }), 0);
  assert.equal(await smsc.deliver({ from: '15125557002', to: '15125550100', text: 'HELP', via: 'node-b' }), 0);
  assert.deepEqual([a.inbound, b.inbound], [['STOP'], ['HELP']]);
  await assert.rejects(smsc.deliver({ from: '1', to: '2', text: 'x', via: 'node-c' }), /no client bound as node-c/);
  assert.equal(answered, null, 'the response is still held');

  proxy.release();
  await waitFor(() => answered !== null, { what: 'the held response after release' });
  assert.equal(answered!.command_status, 0);
  assert.equal(String(answered!.message_id), smsc.submits[0]!.messageId);
  // Not holding: the next response comes straight through.
  assert.equal((await withTimeout(submit(a.session, '15125557003'), 10_000, 'an unheld response')).command_status, 0);
  assert.equal(proxy.held(), 0);
});
