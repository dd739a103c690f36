import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { isAppError } from '../../src/domain/errors.ts';
import type { DeliveryReceipt, InboundSms } from '../../src/domain/ports/sms-gateway.ts';
import { smppPair, statusReached } from './fixtures/smpp-pair.ts';
import { DEFAULT_WAIT_MS, withTimeout } from '../support/wait-for.ts';

const FROM = '+15125550100';
const TO = '+15125550111';

describe('SmppGateway against the smpp package server (port 0)', () => {
  test('binds as transceiver with interface_version 0x34 and credentials from config; sets TCP_NODELAY', async (t) => {
    const calls: Array<number | undefined> = [];
    const orig = net.Socket.prototype.setNoDelay;
    net.Socket.prototype.setNoDelay = function (this: net.Socket, v?: boolean) {
      if (v === true) calls.push(this.remotePort);
      return orig.call(this, v);
    };
    try {
      const p = await smppPair();
    t.after(() => p.close());
      assert.deepEqual(p.sim.binds, [{ systemId: 'callkeeper', password: 'secret', interfaceVersion: 0x34 }]);
      assert.ok(calls.includes(p.port), 'setNoDelay(true) on the client socket');
    } finally {
      net.Socket.prototype.setNoDelay = orig;
    }
  });

  test('@ $ _ arrive intact with data_coding 0; á goes as UCS-2 (8), never Latin-1', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    await p.gw.submit({ from: FROM, to: TO, text: 'Call @ 5 $20 a_b' });
    await p.gw.submit({ from: FROM, to: TO, text: 'Está listo' });
    const [a, b] = p.sim.submits;
    assert.equal(a?.dataCoding, 0);
    assert.equal(a?.text, 'Call @ 5 $20 a_b');
    assert.equal(a?.to, '15125550111'); // TON 1: E.164 digits, no '+'
    assert.equal(a?.registeredDelivery, 1);
    assert.equal(b?.dataCoding, 8);
    assert.equal(b?.text, 'Está listo');
  });

  test('long GSM text: UDH concatenation, 153 septets per part, reassembles exactly', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const text = `${'x'.repeat(320)} end`;
    const r = await p.gw.submit({ from: FROM, to: TO, text });
    assert.equal(r.parts, 3);
    assert.equal(r.messageIds.length, 3);
    assert.ok(p.sim.submits.every((s) => (s.esmClass & 0x40) === 0x40 && s.dataCoding === 0 && s.text.length <= 153));
    assert.equal(p.sim.messages()[0]?.text, text);
  });

  test('UCS-2 with emoji splits in 67-unit parts without breaking a surrogate pair', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const text = `${'á'.repeat(66)}😀 ${'🔧'.repeat(40)} done`;
    const r = await p.gw.submit({ from: FROM, to: TO, text });
    assert.equal(r.encoding, 'ucs2');
    for (const s of p.sim.submits) {
      assert.equal(s.dataCoding, 8);
      assert.ok(s.text.length <= 67);
      assert.doesNotMatch(s.text, /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/, 'no lone surrogate in a part');
    }
    assert.equal(p.sim.messages()[0]?.text, text);
  });

  test('message_payload mode sends a long text in one PDU', async (t) => {
    const p = await smppPair({ gw: { useMessagePayload: true } });
    t.after(() => p.close());
    const text = 'y'.repeat(400);
    const r = await p.gw.submit({ from: FROM, to: TO, text });
    assert.equal(p.sim.submits.length, 1);
    assert.equal(p.sim.submits[0]?.viaPayload, true);
    assert.equal(p.sim.submits[0]?.text, text);
    assert.equal(r.parts, 3);
  });

  test('inbound: text in message_payload with empty short_message; numbers with or without +; SMSC enquire_link answered', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const got: InboundSms[] = [];
    p.gw.onInbound((m) => {
      got.push(m);
    });
    assert.equal(await p.sim.deliver({ from: '15125550111', to: '+15125550100', text: 'STOP', viaPayload: true }), 0);
    assert.equal(await p.sim.deliver({ from: '+15125550111', to: '15125550100', text: 'Qué tal 😀' }), 0);
    assert.deepEqual(
      got.map((m) => [m.from, m.to, m.text]),
      [
        ['15125550111', '+15125550100', 'STOP'],
        ['+15125550111', '15125550100', 'Qué tal 😀'],
      ],
    );
    assert.equal(await p.sim.enquireLink(), 0);
  });

  test('a handler that throws makes the deliver_sm answer ESME_RX_T_APPN so the SMSC retries', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    p.gw.onInbound(() => {
      throw new Error('disk full');
    });
    assert.equal(await p.sim.deliver({ from: '15125550111', to: '15125550100', text: 'hi' }), 0x64);
  });

  for (const [mode, idForm, receiptIdForm] of [
    ['text', 'hex', 'decimal'],
    ['tlv', 'decimal', 'same'],
  ] as const) {
    test(`delivery receipts (${mode}, submit id ${idForm}, receipt id ${receiptIdForm}) are parsed and answered`, async (t) => {
      const p = await smppPair({ sim: { receipts: mode, idForm, receiptIdForm } });
    t.after(() => p.close());
      const receipts: DeliveryReceipt[] = [];
      const got = new Promise<void>((resolve) =>
        p.gw.onReceipt((r) => {
          receipts.push(r);
          resolve();
        }),
      );
      const r = await p.gw.submit({ from: FROM, to: TO, text: 'hello' });
      await withTimeout(got, DEFAULT_WAIT_MS, 'the delivery receipt');
      assert.equal(receipts[0]?.state, 'delivered');
      assert.ok(receipts[0]?.messageIds.some((id) => id.toLowerCase() === r.messageIds[0]?.toLowerCase()));
    });
  }
});

describe('SmppGateway faults', () => {
  test('throttled (0x58): a retryable SMS.SUBMIT_REJECTED with a backoff hint', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    p.sim.faults.throttleNext = 1;
    const e = await p.gw.submit({ from: FROM, to: TO, text: 'x' }).catch((x: unknown) => x);
    assert.ok(isAppError(e, 'SMS.SUBMIT_REJECTED'));
    assert.equal(e.retryable, true);
    assert.equal(e.details.statusName, 'ESME_RTHROTTLED');
    await p.gw.submit({ from: FROM, to: TO, text: 'x' }); // next one passes
  });

  test('permanent refusal (ESME_RINVDSTADR) is not retryable', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    p.sim.faults.rejectWith = 0x0b;
    const e = await p.gw.submit({ from: FROM, to: TO, text: 'x' }).catch((x: unknown) => x);
    assert.ok(isAppError(e, 'SMS.SUBMIT_REJECTED') && !e.retryable);
  });

  test('SMSC never answers: SMS.SUBMIT_TIMEOUT (retryable) after the response timeout, and the window slot is freed', async (t) => {
    const p = await smppPair({ gw: { responseTimeout: 150, window: 1 } });
    t.after(() => p.close());
    p.sim.faults.silent = true;
    const e = await p.gw.submit({ from: FROM, to: TO, text: 'x' }).catch((x: unknown) => x);
    assert.ok(isAppError(e, 'SMS.SUBMIT_TIMEOUT') && e.retryable);
    p.sim.faults.silent = false;
    await p.gw.submit({ from: FROM, to: TO, text: 'after' });
  });

  test('SMSC closes the socket mid-burst: outstanding submits fail retryable, the gateway rebinds', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    p.sim.faults.closeAfterSubmits = 5;
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => p.gw.submit({ from: FROM, to: TO, text: `m${i}` })));
    const failed = results.filter((r) => r.status === 'rejected');
    assert.ok(failed.length > 0);
    for (const f of failed) assert.ok(isAppError((f as PromiseRejectedResult).reason) && (f as PromiseRejectedResult).reason.retryable);
    await statusReached(p.gw, 'up');
    assert.equal(p.sim.binds.length, 2);
    await p.gw.submit({ from: FROM, to: TO, text: 'after reconnect' });
  });

  test('garbage PDU: the link is dropped and rebound', async (t) => {
    const p = await smppPair();
    t.after(() => p.close());
    const down = statusReached(p.gw, 'down');
    p.sim.sendGarbage();
    await down;
    await statusReached(p.gw, 'up');
    assert.equal(p.sim.binds.length, 2);
    await p.gw.submit({ from: FROM, to: TO, text: 'ok' });
  });

  test('bind refused (bad password): start() rejects with a clear SMS.BIND_REFUSED, no retry is scheduled', async (t) => {
    const p = await smppPair({ start: false, sim: { password: 'other' } });
    t.after(() => p.close());
    const e = await p.gw.start().catch((x: unknown) => x);
    assert.ok(isAppError(e, 'SMS.BIND_REFUSED'));
    assert.match(e.message, /ESME_RINVPASWD/);
    assert.equal(e.retryable, false);
    assert.equal(p.gw.status(), 'refused');
    assert.equal(p.gw.reconnectScheduled(), false);
    assert.equal(p.sim.binds.length, 1);
    const s = await p.gw.submit({ from: FROM, to: TO, text: 'x' }).catch((x: unknown) => x);
    assert.ok(isAppError(s, 'SMS.NOT_CONNECTED'));
  });

  test('a transient bind failure (ESME_RBINDFAIL) is retried with backoff, then binds', async (t) => {
    const p = await smppPair({ start: false });
    t.after(() => p.close());
    p.sim.faults.refuseBind = 0x0d;
    p.sim.once('bind', () => {
      p.sim.faults.refuseBind = null;
    });
    await p.gw.start();
    assert.equal(p.sim.binds.length, 2);
  });
});
