import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallerId, parseSmsAddress, toE164 } from '../../src/domain/phone-number.ts';

const cases: Array<[string | null, string, string | null]> = [
  ['+15125550123', 'number', '+15125550123'],
  ['15125550123', 'number', '+15125550123'],
  ['5125550123', 'number', '+15125550123'],
  ['(512) 555-0123', 'number', '+15125550123'],
  ['512.555.0123', 'number', '+15125550123'],
  ['anonymous', 'withheld', null],
  ['Restricted', 'withheld', null],
  ['', 'withheld', null],
  [null, 'withheld', null],
  ['  ', 'withheld', null],
  ['sip:bob@example.com', 'invalid', null],
  ['123', 'invalid', null],
  ['+1555', 'invalid', null],
  ['5125550123; DROP TABLE', 'invalid', null],
  ['+442079460958', 'number', '+442079460958'],
];

for (const [raw, kind, e164] of cases) {
  test(`caller id ${JSON.stringify(raw)} → ${kind}`, () => {
    const id = parseCallerId(raw);
    assert.equal(id.kind, kind);
    assert.equal(id.kind === 'number' ? id.e164 : null, e164);
    if (raw !== null) assert.equal(toE164(raw), e164);
  });
}

// parseSmsAddress: one consumer, every way an SMSC writes the number (SMPP 3.4 §5.2.5 TON, §5.2.6 NPI).
const SAME = '+15125490016';
const smsCases: Array<[string, number, number, string]> = [
  ['+15125490016', 1, 1, SAME],
  ['15125490016', 1, 1, SAME],
  ['0015125490016', 1, 1, SAME], // TON 1 with the international prefix left in
  ['0015125490016', 0, 1, SAME], // the case: filed under another number before
  ['0015125490016', 0, 0, SAME],
  ['01115125490016', 0, 1, SAME],
  ['+15125490016', 0, 0, SAME],
  ['15125490016', 0, 1, SAME],
  ['5125490016', 0, 1, SAME],
  ['5125490016', 2, 1, SAME], // national
  ['15125490016', 2, 8, SAME], // national with the trunk prefix, NPI national
  ['1-512-549-0016', 0, 1, SAME],
  ['442079460958', 1, 1, '+442079460958'],
  ['00442079460958', 0, 1, '+442079460958'],
  ['442079460958', 0, 1, '+442079460958'], // not a US national number: read as international
  ['', 1, 1, 'empty'],
  ['   ', 0, 0, 'empty'],
  ['ACME', 5, 0, 'alphanumeric'],
  ['15125490016', 5, 0, 'alphanumeric'], // TON 5 says the digits are a name
  ['Info', 0, 0, 'alphanumeric'],
  ['+1 512 549 0016; DROP', 1, 1, 'alphanumeric'],
  ['310150123456789', 1, 6, 'numbering-plan'], // an IMSI (E.212)
  ['15125490016', 1, 14, 'numbering-plan'],
  ['11111111111', 1, 1, 'invalid'],
  ['11111111111', 0, 0, 'invalid'],
  ['1111', 0, 1, 'invalid'],
  ['12345', 3, 1, 'invalid'], // a short code
  ['5125490016', 1, 1, 'invalid'], // TON 1 is taken at its word: +51 25490016 is not a number
  ['+', 1, 1, 'alphanumeric'],
];

for (const [raw, ton, npi, want] of smsCases) {
  test(`SMS address ${JSON.stringify(raw)} TON ${ton} NPI ${npi} → ${want}`, () => {
    const a = parseSmsAddress(raw, ton, npi);
    assert.equal(a.kind === 'number' ? a.e164 : a.reason, want);
  });
}
