/**
 * One Event Socket frame exactly as it came off the wire: header lines (raw, never decoded here) and
 * the body bytes. Decoding is a separate step (esl-decode.ts) because only some frames are URL-encoded
 * (the outbound `connect` reply and text/event-plain bodies; test/fixtures/freeswitch/traces/README.md "Other replies are NOT
 * URL-encoded"), and decoding a value twice changes it (`%2541` → `%41` → `A`).
 */
export interface EslHeader {
  readonly name: string;
  readonly value: string;
}

export class EslFrame {
  constructor(
    /** In wire order; names may repeat (a CUSTOM event carries `content-length` and `Content-Length`). */
    readonly headers: readonly EslHeader[],
    readonly body: Buffer,
  ) {}

  /** The first header with this exact name, else the first one matching case-insensitively. */
  header(name: string): string | undefined {
    for (const h of this.headers) if (h.name === name) return h.value;
    const lower = name.toLowerCase();
    for (const h of this.headers) if (h.name.toLowerCase() === lower) return h.value;
    return undefined;
  }

  get contentType(): string | undefined {
    return this.header('Content-Type');
  }

  bodyText(): string {
    return this.body.toString('utf8');
  }
}
