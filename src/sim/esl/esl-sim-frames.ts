/**
 * Frames as FreeSWITCH 1.10.12 writes them, byte for byte (test/fixtures/freeswitch/traces/README.md):
 * LF only; `command/reply` with `Content-Type` first and no Content-Length; events with
 * `Content-Length` FIRST; plain event values URL-encoded by `switch_url_encode`; the outbound
 * `connect` reply carrying the whole channel, encoded, with no Content-Length.
 *
 * The simulator has its own encoder on purpose: it plays FreeSWITCH, so it must not share code with
 * the adapter it tests.
 */
export type Header = readonly [string, string];

const HEX = /^[0-9A-Fa-f]{2}$/;
const ENCODE_SET = new Set(Array.from('\r\n #%&+:;<=>?@[\\]^`{|}"', (c) => c.charCodeAt(0)));

/** switch_url_encode: bytes outside 0x20–0x7E and the set above → `%XX`, except a `%` already before two hex digits. */
export function fsUrlEncode(s: string): string {
  const raw = Buffer.from(s, 'utf8');
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i] as number;
    const escaped = b === 0x25 && i + 2 < raw.length && HEX.test(raw.toString('latin1', i + 1, i + 3));
    out += !escaped && (b < 0x20 || b > 0x7e || ENCODE_SET.has(b)) ? `%${b.toString(16).toUpperCase().padStart(2, '0')}` : String.fromCharCode(b);
  }
  return out;
}

export function commandReply(text: string, extra: readonly Header[] = []): Buffer {
  let s = `Content-Type: command/reply\nReply-Text: ${text}\n`;
  for (const [n, v] of extra) s += `${n}: ${v}\n`;
  return Buffer.from(`${s}\n`, 'utf8');
}

export function apiResponse(body: string): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${b.length}\n\n`, 'utf8'), b]);
}

export function authRequest(): Buffer {
  return Buffer.from('Content-Type: auth/request\n\n', 'utf8');
}

/** Plain event: encoded `Name: value` lines and a blank line, inside an outer Content-Length frame. */
export function plainEvent(headers: readonly Header[], body?: string): Buffer {
  let text = '';
  for (const [n, v] of headers) text += `${n}: ${fsUrlEncode(v)}\n`;
  let inner: Buffer;
  if (body !== undefined) {
    const b = Buffer.from(body, 'utf8');
    inner = Buffer.concat([Buffer.from(`${text}Content-Length: ${b.length}\n\n`, 'utf8'), b]);
  } else {
    inner = Buffer.from(`${text}\n`, 'utf8');
  }
  return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-plain\n\n`, 'utf8'), inner]);
}

/** JSON event: a flat object of strings, not encoded, body in `_body` (09). */
export function jsonEvent(headers: readonly Header[], body?: string): Buffer {
  const obj: Record<string, string> = {};
  for (const [n, v] of headers) if (!(n in obj)) obj[n] = v;
  if (body !== undefined) {
    obj['Content-Length'] = String(Buffer.byteLength(body, 'utf8'));
    obj._body = body;
  }
  const inner = Buffer.from(JSON.stringify(obj), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${inner.length}\nContent-Type: text/event-json\n\n`, 'utf8'), inner]);
}

/** The outbound `connect` reply: the channel as encoded headers, the reply headers at the END. */
export function connectReply(channel: readonly Header[]): Buffer {
  let s = '';
  for (const [n, v] of channel) s += `${n}: ${fsUrlEncode(v)}\n`;
  s += 'Content-Type: command/reply\nReply-Text: %2BOK%0A\nSocket-Mode: async\nControl: full\n\n';
  return Buffer.from(s, 'utf8');
}

/** `Channel-Name` in the linger notice is raw text (07: `sofia/esl/+1-555 123@127.0.0.1`). */
export function lingerNotice(uuid: string, channelName: string, lingerTime: number): Buffer {
  return Buffer.from(
    `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: linger\n` +
      `Channel-Name: ${channelName}\nLinger-Time: ${lingerTime}\nContent-Length: 0\n\n`,
    'utf8',
  );
}

const GOODBYE = 'Disconnected, goodbye.\nSee you at ClueCon! http://www.cluecon.com/\n';

export function disconnectNotice(uuid?: string): Buffer {
  const head = uuid
    ? `Content-Type: text/disconnect-notice\nControlled-Session-UUID: ${uuid}\nContent-Disposition: disconnect\n`
    : 'Content-Type: text/disconnect-notice\n';
  return Buffer.from(`${head}Content-Length: ${Buffer.byteLength(GOODBYE)}\n\n${GOODBYE}`, 'utf8');
}

export function shutdownNotice(): Buffer {
  const body = 'The system is being shut down.\n';
  return Buffer.from(`Content-Type: text/disconnect-notice\nContent-Length: ${body.length}\n\n${body}`, 'utf8');
}

/** `Event-Date-Local` / `-GMT` / `-Timestamp` as FreeSWITCH formats them. */
export function eventDates(ms: number): Header[] {
  const d = new Date(ms);
  const p = (n: number): string => String(n).padStart(2, '0');
  const local = `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
  return [
    ['Event-Date-Local', local],
    ['Event-Date-GMT', d.toUTCString()],
    ['Event-Date-Timestamp', String(Math.round(ms * 1000))],
  ];
}
