import { EslFrame, type EslHeader } from './esl-frame.ts';

/**
 * Streaming Event Socket frame parser (replaces modesl 1.2.1's `Parser`, see README.md).
 *
 * Framing as observed on FreeSWITCH 1.10.12 (test/fixtures/freeswitch/traces/README.md "Framing"): a block of `Name: value`
 * lines separated by LF only, ended by an empty line; if the block has `Content-Length: N`, exactly N
 * bytes (not characters) of body follow, with no terminator. Frames arrive split and coalesced at any
 * byte boundary, so the parser works on bytes and keeps state between pushes.
 *
 * It never throws and never decodes: modesl calls `decodeURIComponent` on every header here and dies
 * with an uncaught `URIError` on a raw `%` (07, `getvar esl_probe`); decoding is the caller's choice.
 */
const LF = 0x0a;
/** A header block this large without its blank line is not ESL; the largest real one is ~10 KB. */
const MAX_HEADER_BYTES = 1 << 20;
/** Bodies are api output or events; a bogus length beyond this would stall the stream forever. */
const MAX_BODY_BYTES = 64 << 20;

export class EslParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Where the search for the blank line resumes, so a frame split over many reads is scanned once. */
  private scanFrom = 0;
  private pending: { headers: EslHeader[]; length: number } | null = null;
  /** Bytes dropped because they could not be framed (reported, never thrown). */
  droppedBytes = 0;

  push(chunk: Buffer): EslFrame[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: EslFrame[] = [];
    let pos = 0;
    for (;;) {
      if (this.pending) {
        if (this.buf.length - pos < this.pending.length) break;
        const body = Buffer.from(this.buf.subarray(pos, pos + this.pending.length));
        pos += this.pending.length;
        out.push(new EslFrame(this.pending.headers, body));
        this.pending = null;
        this.scanFrom = pos;
        continue;
      }
      const end = findBlankLine(this.buf, Math.max(pos, this.scanFrom - 1));
      if (end < 0) {
        this.scanFrom = this.buf.length;
        if (this.buf.length - pos > MAX_HEADER_BYTES) {
          this.droppedBytes += this.buf.length - pos;
          pos = this.buf.length;
          this.scanFrom = 0;
        }
        break;
      }
      const headers = parseHeaderBlock(this.buf.toString('utf8', pos, end));
      pos = end + 2;
      this.scanFrom = pos;
      if (headers.length === 0) continue; // stray blank line between frames
      const length = contentLength(headers);
      if (length > 0) this.pending = { headers, length };
      else out.push(new EslFrame(headers, Buffer.alloc(0)));
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : this.buf.subarray(pos);
    this.scanFrom = Math.max(0, this.scanFrom - pos);
    return out;
  }

  /** Bytes held for an unfinished frame (for tests and leak checks). */
  get buffered(): number {
    return this.buf.length;
  }
}

function findBlankLine(buf: Buffer, from: number): number {
  let i = buf.indexOf(LF, from);
  while (i >= 0 && i + 1 < buf.length) {
    if (buf[i + 1] === LF) return i;
    i = buf.indexOf(LF, i + 1);
  }
  return -1;
}

/**
 * Splits `Name: value` lines. A line without a colon continues the previous value: that is how a raw
 * LF inside a `getvar` reply arrives (07: `Reply-Text: … tab\tend` then `second line`), so the value
 * is rebuilt with its newline instead of producing a bogus header.
 */
export function parseHeaderBlock(text: string): EslHeader[] {
  const headers: { name: string; value: string }[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    const last = headers[headers.length - 1];
    if (colon <= 0 || !/^[A-Za-z0-9_.-]+$/.test(line.slice(0, colon))) {
      if (last) last.value += `\n${line}`;
      else headers.push({ name: line, value: '' });
      continue;
    }
    const rest = line.slice(colon + 1);
    headers.push({ name: line.slice(0, colon), value: rest.startsWith(' ') ? rest.slice(1) : rest });
  }
  return headers;
}

function contentLength(headers: readonly EslHeader[]): number {
  // Outer frames always spell it `Content-Length`; the lowercase one only appears inside event bodies.
  const h = headers.find((x) => x.name === 'Content-Length') ?? headers.find((x) => x.name.toLowerCase() === 'content-length');
  if (!h) return 0;
  const n = Number.parseInt(h.value, 10);
  return Number.isFinite(n) && n > 0 && n <= MAX_BODY_BYTES ? n : 0;
}
