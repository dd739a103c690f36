/**
 * Reads commands the way mod_event_socket does: a command line, optional `name: value` lines, a blank
 * line, and when a `content-length` header is present that many body bytes (05, 07: `sendmsg` with the
 * application argument as a body). Commands may arrive in pieces (modesl writes them line by line, 09).
 */
export interface SimCommand {
  readonly line: string;
  readonly headers: ReadonlyMap<string, string>;
  readonly body: string;
  /** The exact bytes, for tests that check what went on the wire. */
  readonly raw: string;
}

export class SimCommandReader {
  private buf = Buffer.alloc(0);

  push(chunk: Buffer): SimCommand[] {
    this.buf = Buffer.concat([this.buf, chunk]);
    const out: SimCommand[] = [];
    for (;;) {
      const end = this.buf.indexOf('\n\n');
      if (end < 0) break;
      const lines = this.buf.toString('utf8', 0, end).split('\n');
      // Leading blank lines (a stray `\n`) are skipped, as FreeSWITCH does.
      while (lines.length > 0 && lines[0] === '') lines.shift();
      const headers = new Map<string, string>();
      for (const l of lines.slice(1)) {
        const c = l.indexOf(':');
        if (c > 0) headers.set(l.slice(0, c).toLowerCase(), l.slice(c + 1).trim());
      }
      const len = Number.parseInt(headers.get('content-length') ?? '0', 10) || 0;
      if (this.buf.length < end + 2 + len) break;
      const body = this.buf.toString('utf8', end + 2, end + 2 + len);
      const raw = this.buf.toString('utf8', 0, end + 2 + len);
      this.buf = this.buf.subarray(end + 2 + len);
      if (lines.length === 0) continue;
      out.push({ line: lines[0] ?? '', headers, body, raw });
    }
    return out;
  }
}
