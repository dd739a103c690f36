import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import smpp from 'smpp';
import type { InboundSms } from '../../src/domain/ports/sms-gateway.ts';
import { withTimeout } from '../support/wait-for.ts';
import { smppPair } from './fixtures/smpp-pair.ts';

/**
 * An incoming PDU over 16 KiB: answered with an error status over the same link, never a
 * dropped link without an answer (an SMSC that redelivers would loop). Real sockets: the `smpp`
 * package's server on port 0 and our gateway.
 */
const LIMIT = 16 * 1024;
const ESME_RINVMSGLEN = 0x01;
const ESME_RINVCMDLEN = 0x02;

const base = {
  source_addr_ton: 1,
  source_addr_npi: 1,
  source_addr: '15125490016',
  dest_addr_ton: 1,
  dest_addr_npi: 1,
  destination_addr: '15125550100',
  data_coding: 0,
  short_message: Buffer.alloc(0),
};

/** deliver_sm params whose encoded PDU is exactly `bytes` long (the text in message_payload). */
function deliverOfLength(bytes: number): Record<string, unknown> {
  const overhead = new smpp.PDU('deliver_sm', { ...base, message_payload: Buffer.alloc(0) }).toBuffer().length;
  const params = { ...base, message_payload: Buffer.alloc(bytes - overhead, 'x') };
  assert.equal(new smpp.PDU('deliver_sm', params).toBuffer().length, bytes);
  return params;
}

describe('incoming PDUs over 16 KiB', () => {
  test('a deliver_sm of 16 KiB + 1 is answered ESME_RINVMSGLEN; exactly 16 KiB is taken; the bind stays and a STOP still arrives', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const got: InboundSms[] = [];
    p.gw.onInbound((m) => {
      got.push(m);
    });
    assert.equal(await withTimeout(p.sim.sendPdu('deliver_sm', deliverOfLength(LIMIT + 1)), 10_000, 'an answer to the oversized deliver_sm'), ESME_RINVMSGLEN);
    assert.equal(got.length, 0, 'the oversized text is not handed to the app');
    // Redelivered, as an SMSC does: answered the same way, still on the first bind.
    assert.equal(await withTimeout(p.sim.sendPdu('deliver_sm', deliverOfLength(20_000)), 10_000, 'an answer to the redelivery'), ESME_RINVMSGLEN);
    const atLimit = deliverOfLength(LIMIT);
    assert.equal(await withTimeout(p.sim.sendPdu('deliver_sm', atLimit), 10_000, 'an answer to the 16 KiB deliver_sm'), 0);
    assert.equal(got.length, 1);
    assert.equal(got[0]?.text.length, (atLimit.message_payload as Buffer).length, 'the 16 KiB text arrives whole');
    assert.equal(await withTimeout(p.sim.deliver({ from: '15125490016', to: '15125550100', text: 'STOP' }), 10_000, 'an answer to the STOP'), 0);
    assert.equal(got.at(-1)?.text, 'STOP');
    assert.equal(p.gw.status(), 'up');
    assert.equal(p.sim.binds.length, 1, 'never rebound');
    assert.equal(p.sim.boundSessions(), 1);
  });

  test('another oversized request (data_sm) gets generic_nack ESME_RINVCMDLEN, and the link stays', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const params = { source_addr: '15125490016', destination_addr: '15125550100', data_coding: 0, message_payload: Buffer.alloc(LIMIT, 'y') };
    assert.equal(await withTimeout(p.sim.sendPdu('data_sm', params), 10_000, 'an answer to the oversized data_sm'), ESME_RINVCMDLEN);
    assert.equal(await withTimeout(p.sim.enquireLink(), 10_000, 'an answer to enquire_link after it'), 0);
    assert.equal(p.sim.binds.length, 1);
  });
});
