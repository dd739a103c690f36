import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCallerId, toE164 } from '../../src/domain/phone-number.ts';

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
