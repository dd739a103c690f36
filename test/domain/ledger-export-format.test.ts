import { test } from 'node:test';
import assert from 'node:assert/strict';
import { csvCell, csvRow } from '../../src/domain/ledger/ledger-export-format.ts';

test('csvCell neutralizes every formula trigger and quotes per RFC 4180', () => {
  const cases: [string | number | null, string][] = [
    ['=1+2', "'=1+2"],
    ['+15125550100', "'+15125550100"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=A1,"x"', `"'=A1,""x"""`],
    ['plain', 'plain'],
    ["'already", "'already"],
    ['', ''],
    [null, ''],
    [42, '42'],
  ];
  for (const [input, expected] of cases) assert.equal(csvCell(input), expected, JSON.stringify(input));
  assert.equal(csvRow([1, '=x', null, 'a"b']), `1,'=x,,"a""b"\r\n`);
});
