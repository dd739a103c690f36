import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { idReadings, isReceipt, parseReceipt } from '../../src/sms/delivery-receipt-parser.ts';
import { bindError, statusInfo, submitError } from '../../src/sms/smpp-status-table.ts';

describe('command_status table', () => {
  const table: Array<[number, string, boolean]> = [
    [0x58, 'ESME_RTHROTTLED', true],
    [0x14, 'ESME_RMSGQFUL', true],
    [0x08, 'ESME_RSYSERR', true],
    [0x0b, 'ESME_RINVDSTADR', false],
    [0x0a, 'ESME_RINVSRCADR', false],
    [0x104, 'ESME_RINVDCS', false],
    [0x45, 'ESME_RSUBMITFAIL', true],
    [0x0401, '0x0401', false],
  ];
  for (const [status, name, retryable] of table) {
    test(`${name} is ${retryable ? 'retryable' : 'permanent'}`, () => {
      assert.equal(statusInfo(status).name, name);
      const e = submitError(status);
      assert.equal(e.code, 'SMS.SUBMIT_REJECTED');
      assert.equal(e.retryable, retryable);
      if (retryable) assert.ok(Number(e.details.backoffMs) > 0);
    });
  }
  test('bind refusals: bad credentials are not retried, other failures are', () => {
    assert.equal(bindError(0x0e).retryable, false);
    assert.match(bindError(0x0e).message, /ESME_RINVPASWD.*not retrying/);
    assert.equal(bindError(0x0d).retryable, true);
  });
});

describe('delivery receipts', () => {
  test('text form with a decimal id also reads as hex', () => {
    const r = parseReceipt({
      esmClass: 0x04,
      receiptedMessageId: null,
      messageState: null,
      networkError: null,
      text: 'id:1000 sub:001 dlvrd:001 submit date:2601010000 done date:2601010001 stat:DELIVRD err:000 text:Hi',
    });
    assert.deepEqual(r, { messageIds: ['1000', '3e8', '4096'], state: 'delivered', error: null });
  });
  test('TLVs win over the text; hex id reads as decimal; error kept', () => {
    const r = parseReceipt({ esmClass: 0x04, receiptedMessageId: '3E8', messageState: 5, networkError: null, text: 'id:3E8 stat:DELIVRD err:0B1' });
    assert.equal(r?.state, 'undeliverable');
    assert.ok(r?.messageIds.includes('1000'));
    assert.equal(r?.error, '0B1');
  });
  test('UNDELIV, EXPIRED, REJECTD text states; non-receipt is recognized', () => {
    const st = (s: string) => parseReceipt({ esmClass: 4, receiptedMessageId: null, messageState: null, networkError: null, text: `id:7 stat:${s} err:001` })?.state;
    assert.equal(st('UNDELIV'), 'undeliverable');
    assert.equal(st('EXPIRED'), 'expired');
    assert.equal(st('REJECTD'), 'undeliverable');
    assert.equal(isReceipt({ esmClass: 0, receiptedMessageId: null }), false);
    assert.equal(isReceipt({ esmClass: 0x04, receiptedMessageId: null }), true);
  });
  test('idReadings drops leading zeros and does not invent readings of non-hex ids', () => {
    assert.deepEqual(idReadings('00ff'), ['00ff', 'ff', '255']);
    assert.deepEqual(idReadings('abc-123'), ['abc-123']);
  });
});
