import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { AriSimBoot } from './ari-sim-boot.ts';
import type { AriSimFaults } from './ari-sim-faults.ts';
import type { RestRequest, RestResponse } from './ari-sim-rest.ts';

export interface RecordedRequest {
  readonly method: string;
  /** Full path, `/ari/...`, as in the traces. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  status?: number;
}

/** What the HTTP front of the simulated Asterisk needs from the simulator behind it. */
export interface AriSimHttpDeps {
  readonly boot: AriSimBoot;
  /** `user:password`, as ARI accepts it in Basic auth or `api_key`. */
  readonly auth: string;
  /** Every REST request except api-docs is appended here. */
  readonly requests: RecordedRequest[];
  readonly defaultHost: string;
  /** Faults armed by a test (ari-sim-faults.ts); checked after auth, before the request is routed. */
  readonly faults?: AriSimFaults;
  route(req: RestRequest): RestResponse;
}

const NOT_FOUND_HTML =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>404 Not Found</title>\r\n</head><body>\r\n<h1>Not Found</h1>\r\n<p>The requested URL was not found on this server.</p>\r\n<hr />\r\n<address>Asterisk</address>\r\n</body></html>\r\n';

/** Answers one ARI REST request as Asterisk's HTTP server does (`raw`: the whole request body). */
export function serveAriHttp(req: IncomingMessage, res: ServerResponse, raw: Buffer, deps: AriSimHttpDeps): void {
  const url = new URL(req.url ?? '/', 'http://sim');
  const phase = deps.boot.phase;
  if (phase === 'not-found' || phase === 'not-booted') {
    deps.boot.attempt();
    if (phase === 'not-found') return void res.writeHead(404, { 'Content-type': 'text/html' }).end(NOT_FOUND_HTML);
    return writeRest(res, { status: 503, json: { message: 'Asterisk not booted' } });
  }
  const query = Object.fromEntries(url.searchParams.entries());
  delete query['api_key'];
  let body: unknown = null;
  if (raw.length > 0 && (req.headers['content-type'] ?? '').startsWith('application/json')) {
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      return writeRest(res, { status: 400, json: { message: 'Error parsing request body' } });
    }
  }
  const path = url.pathname;
  const recorded: RecordedRequest = { method: req.method ?? 'GET', path, query, body };
  const isDocs = path.startsWith('/ari/api-docs/');
  if (!isDocs) deps.requests.push(recorded);
  if (!path.startsWith('/ari/')) return writeRest(res, (recorded.status = 404, { status: 404, json: { message: 'Resource not found' } }));
  if (!isDocs && !authorized(req, url, deps.auth)) {
    recorded.status = 401;
    return writeRest(res, { status: 401, json: { message: 'Authentication required' }, headers: { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' } });
  }
  const fault = isDocs ? null : (deps.faults?.take(recorded.method, path.slice(4)) ?? null);
  if (fault) {
    if (fault === 'status-500') recorded.status = 500;
    return deps.faults!.apply(fault, req, res);
  }
  const params = { ...query, ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}) };
  const out = deps.route({ method: recorded.method, path: path.slice(4), params, host: req.headers.host ?? deps.defaultHost });
  recorded.status = out.status;
  writeRest(res, out);
  out.after?.();
}

/**
 * Checks a websocket upgrade to `/ari/events`. Returns the apps it subscribes to, or null after
 * answering the refusal on the raw socket (boot phases, wrong path, no auth, no `app`).
 */
export function checkAriUpgrade(req: IncomingMessage, socket: Duplex, deps: Pick<AriSimHttpDeps, 'boot' | 'auth'>): string[] | null {
  const url = new URL(req.url ?? '/', 'http://sim');
  const reject = (status: number, type: string, text: string): null => {
    socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : status === 401 ? 'Unauthorized' : 'Bad Request'}\r\nContent-type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    return null;
  };
  if (deps.boot.phase === 'not-found') {
    deps.boot.attempt();
    return reject(404, 'text/html', NOT_FOUND_HTML);
  }
  if (deps.boot.phase === 'not-booted') {
    deps.boot.attempt();
    return reject(503, 'application/json', JSON.stringify({ message: 'Asterisk not booted' }));
  }
  if (url.pathname !== '/ari/events') return reject(404, 'application/json', JSON.stringify({ message: 'Resource not found' }));
  if (!authorized(req, url, deps.auth)) return reject(401, 'application/json', JSON.stringify({ message: 'Authentication required' }));
  const apps = (url.searchParams.get('app') ?? '').split(',').filter(Boolean);
  if (apps.length === 0) return reject(400, 'application/json', JSON.stringify({ message: "Missing params 'app'" }));
  return apps;
}

function authorized(req: IncomingMessage, url: URL, auth: string): boolean {
  const header = req.headers.authorization;
  if (header?.startsWith('Basic ') && Buffer.from(header.slice(6), 'base64').toString('utf8') === auth) return true;
  const apiKey = url.searchParams.get('api_key');
  return apiKey === auth;
}

/** Writes an ARI response: `Content-type` with a lower-case t and no charset, none on 204 (test/fixtures/asterisk/traces/README.md, point 6). */
function writeRest(res: ServerResponse, out: RestResponse): void {
  const headers: Record<string, string> = { ...(out.headers ?? {}) };
  let payload: Buffer | string = '';
  if (out.binary) {
    headers['Content-type'] = out.binary.contentType;
    payload = out.binary.data;
  } else if (out.json !== undefined) {
    headers['Content-type'] = 'application/json';
    payload = JSON.stringify(out.json);
  }
  headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(out.status, headers).end(payload);
}
