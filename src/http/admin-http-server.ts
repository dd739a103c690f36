import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { AppError } from '../domain/errors.ts';
import { isLoopback } from '../domain/loopback-host.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { MetricsSource } from './prom-metrics.ts';

/** The `admin` config slice (token already read from `tokenFile` by the config loader). */
export interface AdminHttpSlice {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
}

export interface AdminHttpDeps {
  /** Each registered dependency (ari, smpp, store, ...) and whether it is up right now. */
  readonly readiness: () => Record<string, boolean>;
  readonly metrics: MetricsSource;
  readonly logger?: Logger;
}

/**
 * The admin HTTP surface:
 * - `GET /healthz`: the process is up and serving (no token: it reveals nothing, and supervisors probe it);
 * - `GET /readyz`: 200 only when every registered dependency reports up, else 503; the body names each;
 * - `GET /metrics`: Prometheus text from the service's own registry.
 * `/readyz` and `/metrics` need `Authorization: Bearer <admin.token>` when a token is configured (it names
 * the deployment's dependencies and volumes). Without a token the server must be bound to loopback,
 * where only this host can reach it; binding elsewhere without a token is refused at start-up.
 */
export class AdminHttpServer {
  private readonly server: Server;
  private readonly tokenDigest: Buffer | null;

  constructor(
    private readonly slice: AdminHttpSlice,
    private readonly deps: AdminHttpDeps,
  ) {
    if (slice.token === undefined && !isLoopback(slice.host)) {
      throw new AppError('CONFIG.INVALID', `admin.host ${slice.host} is not loopback: set admin.token (or admin.tokenFile)`, {
        details: { path: 'admin.token' },
      });
    }
    this.tokenDigest = slice.token === undefined ? null : digest(slice.token);
    this.server = createServer((req, res) => this.handle(req, res));
    // A scraper or probe sends a small request at once; do not let a slow client hold a socket.
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 15_000;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(): Promise<{ host: string; port: number }> {
    return new Promise((resolve, reject) => {
      const onError = (e: Error): void => reject(new AppError('INTERNAL', 'admin HTTP server cannot listen', { cause: e }));
      this.server.once('error', onError);
      this.server.listen(this.slice.port, this.slice.host, () => {
        this.server.off('error', onError);
        const addr = this.server.address() as AddressInfo;
        this.deps.logger?.info({ host: addr.address, port: addr.port, tokenRequired: this.tokenDigest !== null }, 'admin HTTP listening');
        resolve({ host: addr.address, port: addr.port });
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      // Keep-alive connections from a scraper would otherwise hold close() open.
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return json(res, 405, { error: 'method not allowed' });
    }
    if (path === '/healthz') return json(res, 200, { status: 'ok' });
    if (path !== '/readyz' && path !== '/metrics') return json(res, 404, { error: 'not found' });
    if (!this.authorized(req)) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="callkeeper-admin"');
      return json(res, 401, { error: 'unauthorized' });
    }
    if (path === '/readyz') return this.readyz(res);
    void this.metricsText(res);
  }

  private authorized(req: IncomingMessage): boolean {
    if (this.tokenDigest === null) return true;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    // Comparing fixed-length digests keeps the comparison constant-time and hides the token's length.
    return m !== null && timingSafeEqual(digest(m[1]!.trim()), this.tokenDigest);
  }

  private readyz(res: ServerResponse): void {
    let checks: Record<string, boolean>;
    try {
      checks = this.deps.readiness();
    } catch (e) {
      this.deps.logger?.warn({ err: e }, 'readiness check failed');
      return json(res, 503, { ready: false, checks: {}, error: 'readiness check failed' });
    }
    // Nothing registered yet means start-up has not finished: not ready.
    const names = Object.keys(checks);
    const ready = names.length > 0 && names.every((n) => checks[n] === true);
    json(res, ready ? 200 : 503, { ready, checks });
  }

  private async metricsText(res: ServerResponse): Promise<void> {
    try {
      const body = await this.deps.metrics.metrics();
      res.writeHead(200, { 'Content-Type': this.deps.metrics.contentType, 'Cache-Control': 'no-store' });
      res.end(body);
    } catch (e) {
      this.deps.logger?.error({ err: e }, 'metrics collection failed');
      json(res, 500, { error: 'metrics collection failed' });
    }
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}
