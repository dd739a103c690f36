import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError } from '../../domain/errors.ts';
import { classifyAriError } from './ari-error-translator.ts';

/**
 * What `callkeeper doctor` asks Asterisk: is ARI reachable with our credentials, which
 * version, and is our Stasis app registered. Two plain GETs rather than ari-client: the
 * client downloads every Swagger document first, never settles a request whose connection fails, and
 * keeps credentials in a process-wide registry (see ari-rest.ts) — none of which a one-shot probe wants.
 *
 * The app is registered by the websocket `serve` keeps open (`/ari/events?app=...`). Asterisk keeps an
 * app registered, deactivated, after its websocket goes until Asterisk restarts (traces 08a), so
 * "registered" means serve connected at least once since Asterisk started, not that it is connected now.
 */
export interface AriProbeOptions {
  /** ARI base URL as in config (`http://127.0.0.1:8088`, no `/ari`). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly app: string;
  /** Per request. ARI answers in under 10 ms on loopback (traces); 5 s means it is stuck. */
  readonly requestTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

export interface AriHealth {
  /** `system.version` of `GET /ari/asterisk/info`, e.g. `22.10.1`. */
  readonly version: string;
  readonly appRegistered: boolean;
  /** Channels the app holds now (calls in progress), when registered. */
  readonly appChannels: number;
}

const DEFAULT_REQUEST_TIMEOUT_MS = 5_000;

/** The URL without user info, for messages: credentials belong in asterisk.username/password. */
export function displayAriUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(invalid asterisk.url)';
  }
}

export async function probeAri(opts: AriProbeOptions): Promise<AriHealth> {
  const info = await get(opts, '/asterisk/info');
  if (info.status !== 200) throw httpFailure(opts, 'GET /ari/asterisk/info', info);
  const version = String((info.json as { system?: { version?: unknown } } | null)?.system?.version ?? 'unknown');

  const app = await get(opts, `/applications/${encodeURIComponent(opts.app)}`);
  if (app.status === 200) {
    const ids = (app.json as { channel_ids?: unknown } | null)?.channel_ids;
    return { version, appRegistered: true, appChannels: Array.isArray(ids) ? ids.length : 0 };
  }
  const { failure } = classifyAriError(new Error(app.text));
  if (app.status === 404 && failure === 'not-found') return { version, appRegistered: false, appChannels: 0 };
  throw httpFailure(opts, `GET /ari/applications/${opts.app}`, app);
}

interface HttpAnswer {
  readonly status: number;
  readonly text: string;
  readonly json: unknown;
}

/**
 * One GET on its own connection (no agent, `Connection: close`), destroyed on timeout or abort: a
 * pooled client (fetch) was seen opening a fresh idle connection after an aborted request, which kept
 * a peer's socket, and doctor's process, alive.
 */
function get(opts: AriProbeOptions, path: string): Promise<HttpAnswer> {
  const base = opts.url.replace(/\/+$/, '');
  const timeoutMs = opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const where = displayAriUrl(opts.url);
  return new Promise<HttpAnswer>((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(`${base}/ari${path}`);
    } catch (e) {
      return reject(new AppError('CONFIG.INVALID', 'asterisk.url is not a valid URL', { cause: e }));
    }
    const unavailable = (why: string, cause?: unknown): AppError =>
      new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `cannot reach ARI at ${where} (${why})`, { retryable: true, cause, details: { errno: why } });
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      agent: false,
      headers: {
        Authorization: `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString('base64')}`,
        Connection: 'close',
      },
    });
    const timer = setTimeout(() => fail(new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `ARI at ${where} did not answer within ${timeoutMs} ms`, { retryable: true })), timeoutMs);
    const onAbort = (): void => fail(unavailable('gave up'));
    const done = (): void => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    const fail = (err: AppError): void => {
      done();
      req.destroy();
      reject(err);
    };
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    req.on('error', (e: NodeJS.ErrnoException) => fail(unavailable(e.code ?? e.message, e)));
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', (e: NodeJS.ErrnoException) => fail(unavailable(e.code ?? e.message, e)));
      res.on('end', () => {
        done();
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown = null;
        try {
          json = JSON.parse(text);
        } catch {
          // an HTML page while ARI is not registered yet, or an empty body
        }
        resolve({ status: res.statusCode ?? 0, text, json });
      });
    });
    req.end();
  });
}

function httpFailure(opts: AriProbeOptions, request: string, a: HttpAnswer): AppError {
  const where = displayAriUrl(opts.url);
  if (a.status === 401) {
    return new AppError('TELEPHONY.REQUEST_FAILED', `ARI at ${where} refused the credentials: check asterisk.username and asterisk.password (ari.conf)`, {
      details: { status: 401 },
    });
  }
  const { failure, ariMessage } = classifyAriError(new Error(a.text));
  if (failure === 'unavailable') {
    // An HTML 404 for every /ari path: http.conf serves but ARI is off (ari.conf `enabled = yes`) or
    // still loading; `Asterisk not booted` (503) during start-up (traces 08b).
    const why = ariMessage === 'Asterisk not booted' ? 'Asterisk is still starting' : 'ARI is not enabled (ari.conf) or not loaded yet';
    return new AppError('TELEPHONY.ENGINE_UNAVAILABLE', `${request} at ${where}: HTTP ${a.status}, ${why}`, { retryable: true, details: { status: a.status } });
  }
  return new AppError('TELEPHONY.REQUEST_FAILED', `${request} at ${where}: HTTP ${a.status}${ariMessage ? ` (${ariMessage})` : ''}`, {
    details: { status: a.status, ariMessage },
  });
}
