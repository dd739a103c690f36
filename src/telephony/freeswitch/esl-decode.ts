/**
 * Decoding of the values FreeSWITCH URL-encodes (`switch_url_encode`): the outbound `connect` reply's
 * headers and the lines of a text/event-plain body. Nothing else is encoded (test/fixtures/freeswitch/traces/README.md).
 *
 * Decode exactly once, byte-wise, and never throw:
 * - `%XX` with two hex digits becomes that byte; the bytes are then read as UTF-8 (`%C3%AB` is `ë`).
 * - A `%` not followed by two hex digits stays literal. FreeSWITCH does not re-encode a `%` that is
 *   already followed by two hex digits, so the original value `literal %41` arrives as `literal%20%41`
 *   and decodes to `literal A` (07, `variable_esl_probe`). That loss happens in FreeSWITCH and cannot
 *   be undone here; decoding a second time would lose more, which is why callers decode once.
 * - `+` is not a space: FreeSWITCH encodes `+` as `%2B` and a space as `%20`.
 */
const HEX = /^[0-9A-Fa-f]{2}$/;

export function decodeEslValue(s: string): string {
  if (!s.includes('%')) return s;
  const bytes: number[] = [];
  const raw = Buffer.from(s, 'utf8');
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    if (b === 0x25 && i + 2 < raw.length && HEX.test(raw.toString('latin1', i + 1, i + 3))) {
      bytes.push(Number.parseInt(raw.toString('latin1', i + 1, i + 3), 16));
      i += 2;
    } else {
      bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The encoder FreeSWITCH applies (switch_utils.c `switch_url_encode`): bytes outside 0x20–0x7E and any
 * of `\r\n #%&+:;<=>?@[\]^\`{|}"` become `%XX` (uppercase), except a `%` that already starts a `%XX`.
 * Tests use it to check the decoder against the traces (the ESL peer keeps its own copy on purpose).
 */
const ENCODE_SET = new Set(Array.from('\r\n #%&+:;<=>?@[\\]^`{|}"', (c) => c.charCodeAt(0)));

export function encodeEslValue(s: string): string {
  const raw = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    const alreadyEscaped = b === 0x25 && i + 2 < raw.length && HEX.test(raw.toString('latin1', i + 1, i + 3));
    if (!alreadyEscaped && (b < 0x20 || b > 0x7e || ENCODE_SET.has(b))) {
      out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    } else {
      out += String.fromCharCode(b);
    }
  }
  return out;
}
