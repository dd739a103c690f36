import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeGsm7, encodeGsm7, gsm7Cost, isGsm7 } from '../../src/domain/messaging/gsm7-alphabet.ts';
import { segmentText, toGsmSafe } from '../../src/domain/messaging/sms-segmenter.ts';

describe('GSM 03.38 alphabet', () => {
  test('@ $ _ are GSM-7 and encode to their septets (0x00, 0x02, 0x11)', () => {
    assert.equal(isGsm7('@ $ _'), true);
    assert.deepEqual([...encodeGsm7('@$_')], [0x00, 0x02, 0x11]);
  });
  test('á is not in the table (à is): a text with á goes UCS-2', () => {
    assert.equal(gsm7Cost('á'), null);
    assert.equal(gsm7Cost('à'), 1);
    assert.equal(segmentText('Está bien').encoding, 'ucs2');
    assert.equal(segmentText('voilà').encoding, 'gsm7');
  });
  test('extension characters cost two septets and round-trip', () => {
    assert.equal(gsm7Cost('€'), 2);
    const s = 'Price {10€} [x] ~ | ^ \\';
    assert.equal(decodeGsm7(encodeGsm7(s)), s);
  });
});

describe('segmentText', () => {
  test('160 GSM-7 chars are one part, 161 are two of ≤153', () => {
    assert.deepEqual(segmentText('a'.repeat(160)).parts.length, 1);
    const two = segmentText('a'.repeat(161));
    assert.equal(two.parts.length, 2);
    assert.equal(two.parts[0]!.length, 153);
  });
  test('an escape pair is never split across parts', () => {
    const text = `${'a'.repeat(152)}€${'b'.repeat(20)}`;
    const seg = segmentText(text);
    assert.equal(seg.parts[0], 'a'.repeat(152));
    assert.ok(seg.parts[1]!.startsWith('€'));
    assert.equal(seg.parts.join(''), text);
  });
  test('UCS-2: 70 units in one part, else 67 per part, and an emoji is never cut in half', () => {
    assert.equal(segmentText('é'.repeat(70)).parts.length, 1);
    const text = `${'á'.repeat(66)}😀${'á'.repeat(10)}`;
    const seg = segmentText(text);
    assert.equal(seg.encoding, 'ucs2');
    assert.equal(seg.parts[0], 'á'.repeat(66)); // 66 + 2 units would exceed 67
    for (const p of seg.parts) {
      assert.equal(p.length <= 67, true);
      assert.doesNotMatch(p, /[\ud800-\udbff]$|^[\udc00-\udfff]/);
    }
    assert.equal(seg.parts.join(''), text);
  });
});

describe('toGsmSafe', () => {
  test('curly quotes, dashes, ellipsis and nbsp become GSM forms; accents stay', () => {
    assert.equal(toGsmSafe('“Hi” — it’s… José\u00a0ok – fine'), '"Hi" - it\'s... José ok - fine');
  });
});
