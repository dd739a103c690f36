import { decodeEslValue } from './esl-decode.ts';
import type { EslFrame } from './esl-frame.ts';
import { parseHeaderBlock } from './esl-parser.ts';

/**
 * A FreeSWITCH event with its headers decoded, whatever format it came in (test/fixtures/freeswitch/traces/README.md "Plain
 * event bodies", "Other formats"):
 * - text/event-plain: `Name: value` lines, values URL-encoded; optionally an inner `Content-Length`,
 *   a blank line and that many raw (unencoded) body bytes (BACKGROUND_JOB, CUSTOM).
 * - text/event-json: a flat object of strings, not encoded, the body in `_body`.
 * - text/event-xml: `<headers>` with URL-encoded values, then `<body>`.
 */
export class EslEvent {
  constructor(
    readonly headers: ReadonlyMap<string, string>,
    readonly body: string,
  ) {}

  get name(): string {
    return this.headers.get('Event-Name') ?? '';
  }

  get(name: string): string | undefined {
    return this.headers.get(name);
  }

  /** A channel variable (`variable_<name>`), decoded. */
  variable(name: string): string | undefined {
    return this.headers.get(`variable_${name}`);
  }
}

const EVENT_TYPES = new Set(['text/event-plain', 'text/event-json', 'text/event-xml']);

export function isEventFrame(frame: EslFrame): boolean {
  return EVENT_TYPES.has(frame.contentType ?? '');
}

/** Parses an event frame; returns null (never throws) when the body is not a well-formed event. */
export function parseEvent(frame: EslFrame): EslEvent | null {
  try {
    switch (frame.contentType) {
      case 'text/event-plain':
        return parsePlain(frame.body);
      case 'text/event-json':
        return parseJson(frame.bodyText());
      case 'text/event-xml':
        return parseXml(frame.bodyText());
      default:
        return null;
    }
  } catch {
    return null;
  }
}

/** Headers of a URL-encoded block (connect reply, plain event), each decoded once; first name wins. */
export function decodeHeaders(headers: readonly { name: string; value: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const h of headers) if (!out.has(h.name)) out.set(h.name, decodeEslValue(h.value));
  return out;
}

function parsePlain(body: Buffer): EslEvent {
  let end = body.indexOf('\n\n');
  if (end < 0) end = body.length;
  const raw = parseHeaderBlock(body.toString('utf8', 0, end));
  const headers = decodeHeaders(raw);
  let text = '';
  const len = Number.parseInt(headers.get('Content-Length') ?? '', 10);
  if (Number.isFinite(len) && len > 0 && end < body.length) {
    text = body.toString('utf8', end + 2, Math.min(body.length, end + 2 + len));
  }
  return new EslEvent(headers, text);
}

function parseJson(text: string): EslEvent | null {
  const obj: unknown = JSON.parse(text);
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) return null;
  const headers = new Map<string, string>();
  let body = '';
  for (const [k, v] of Object.entries(obj as Record<string, unknown>)) {
    if (k === '_body') body = String(v);
    else headers.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  }
  return new EslEvent(headers, body);
}

const XML_ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
function unescapeXml(s: string): string {
  return s.replace(/&(lt|gt|amp|quot|apos);/g, (_, e: string) => XML_ENTITIES[e] ?? '');
}

function parseXml(text: string): EslEvent | null {
  const hm = /<headers>([\s\S]*?)<\/headers>/.exec(text);
  if (!hm) return null;
  const headers = new Map<string, string>();
  for (const m of (hm[1] ?? '').matchAll(/<([A-Za-z0-9_.-]+)>([\s\S]*?)<\/\1>/g)) {
    const name = m[1] as string;
    if (!headers.has(name)) headers.set(name, decodeEslValue(unescapeXml(m[2] ?? '')));
  }
  const bm = /<body>([\s\S]*?)<\/body>/.exec(text);
  return new EslEvent(headers, bm ? unescapeXml(bm[1] ?? '') : '');
}
