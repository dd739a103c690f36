import { createHash, timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { isLoopback } from '../domain/loopback-host.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { MetricsSource } from './prom-metrics.ts';

/** The `admin` config slice (token already read from `tokenFile` by the config loader). */
export interface AdminHttpSlice {
  readonly host: string;
  readonly port: number;
  readonly token?: string | undefined;
  /**
   * Behind a reverse proxy on this host (README "The web console"): X-Forwarded-* from loopback are
   * believed, so the console knows a request came over TLS and marks its cookie Secure.
   */
  readonly trustProxy?: boolean | undefined;
}

export interface AdminHttpDeps {
  /** Each registered dependency (ari, smpp, store, ...) and whether it is up right now, or `degraded`. */
  readonly readiness: () => Record<string, boolean | 'degraded'>;
  readonly metrics: MetricsSource;
  readonly logger?: Logger;
  /**
   * Further surfaces on the same port, each in its own encapsulated context: the web console
   * (src/console/, sign-in required) and public pages (`/optin/*`). src/http/README.md lists which
   * routes are public; test/console/console-routes-security.test.ts enforces it on the route table.
   */
  readonly plugins?: ReadonlyArray<FastifyPluginAsync>;
}

/** A scraper or probe sends a small request at once; do not let a slow client hold a socket. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The admin HTTP surface (fastify):
 * - `GET /healthz`: the process is up and serving (no token: it reveals nothing, and supervisors probe it);
 * - `GET /readyz`: 200 only when every registered dependency reports up or `degraded`, else 503; the body
 *   names each, and `status` is `ready`, `degraded` or `not-ready`. Degraded (the speech recognizer is
 *   saturated) stays 200: calls still get a greeting, a recorded message and a safe outcome, and a 503
 *   would take the only instance out of rotation or get it restarted, dropping the calls in progress
 *   and the work queued; operators alert on `status` or `callkeeper_speech_saturated` instead;
 * - `GET /metrics`: Prometheus text from the service's own registry;
 * - whatever `plugins` add (the console).
 * `/readyz` and `/metrics` need `Authorization: Bearer <admin.token>` when a token is configured (it names
 * the deployment's dependencies and volumes). Without a token the server must be bound to loopback,
 * where only this host can reach it; binding elsewhere without a token is refused at start-up.
 */
export class AdminHttpServer {
  readonly app: FastifyInstance;
  private readonly tokenDigest: Buffer | null;
  private readonly collected: Array<{ method: string; url: string }> = [];

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
    // Only a proxy on this host is believed (the README's nginx runs beside callkeeper).
    this.app = Fastify({ logger: false, requestTimeout: REQUEST_TIMEOUT_MS, trustProxy: slice.trustProxy === true ? ['127.0.0.1', '::1'] : false });
    this.app.server.headersTimeout = HEADERS_TIMEOUT_MS;
    this.app.addHook('onRoute', (r) => {
      for (const method of [r.method].flat()) this.collected.push({ method, url: r.url ?? r.path });
    });
    this.routes();
  }

  private routes(): void {
    const app = this.app;
    app.get('/healthz', async (_req, reply) => json(reply, 200, { status: 'ok' }));
    app.get('/readyz', { onRequest: (req, reply, done) => this.guard(req, reply, done) }, async (_req, reply) => this.readyz(reply));
    app.get('/metrics', { onRequest: (req, reply, done) => this.guard(req, reply, done) }, async (_req, reply) => this.metricsText(reply));
    for (const plugin of this.deps.plugins ?? []) void app.register(plugin);
    app.setNotFoundHandler(async (req, reply) => {
      const path = req.url.split('?')[0] ?? '/';
      // A path that exists for GET answers 405 to other methods, as the probes' clients expect.
      if (req.method !== 'GET' && req.method !== 'HEAD' && app.hasRoute({ method: 'GET', url: path })) {
        void reply.header('Allow', 'GET, HEAD');
        return json(reply, 405, { error: 'method not allowed' });
      }
      return json(reply, 404, { error: 'not found' });
    });
  }

  /** Every route's method and URL pattern, for the security test (no route may slip past the sign-in). */
  async routeTable(): Promise<ReadonlyArray<{ method: string; url: string }>> {
    await this.app.ready();
    return this.collected;
  }

  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  async listen(): Promise<{ host: string; port: number }> {
    try {
      await this.app.listen({ port: this.slice.port, host: this.slice.host });
    } catch (e) {
      throw new AppError('INTERNAL', 'admin HTTP server cannot listen', { cause: e });
    }
    const addr = this.app.server.address() as AddressInfo;
    this.deps.logger?.info({ host: addr.address, port: addr.port, tokenRequired: this.tokenDigest !== null }, 'admin HTTP listening');
    return { host: addr.address, port: addr.port };
  }

  async close(): Promise<void> {
    // Keep-alive connections from a scraper or a browser would otherwise hold close() open.
    this.app.server.closeAllConnections?.();
    await this.app.close();
  }

  private guard(req: FastifyRequest, reply: FastifyReply, done: () => void): void {
    if (this.authorized(req)) return done();
    void reply.header('WWW-Authenticate', 'Bearer realm="callkeeper-admin"');
    void json(reply, 401, { error: 'unauthorized' });
  }

  private authorized(req: FastifyRequest): boolean {
    if (this.tokenDigest === null) return true;
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    // Comparing fixed-length digests keeps the comparison constant-time and hides the token's length.
    return m !== null && timingSafeEqual(digest(m[1]!.trim()), this.tokenDigest);
  }

  private readyz(reply: FastifyReply): FastifyReply {
    let checks: Record<string, boolean | 'degraded'>;
    try {
      checks = this.deps.readiness();
    } catch (e) {
      this.deps.logger?.warn({ err: e }, 'readiness check failed');
      return json(reply, 503, { ready: false, checks: {}, error: 'readiness check failed' });
    }
    // Nothing registered yet means start-up has not finished: not ready.
    const names = Object.keys(checks);
    const ready = names.length > 0 && names.every((n) => checks[n] === true || checks[n] === 'degraded');
    const status = !ready ? 'not-ready' : names.some((n) => checks[n] === 'degraded') ? 'degraded' : 'ready';
    return json(reply, ready ? 200 : 503, { ready, status, checks });
  }

  private async metricsText(reply: FastifyReply): Promise<FastifyReply> {
    try {
      const body = await this.deps.metrics.metrics();
      return reply.code(200).header('Content-Type', this.deps.metrics.contentType).header('Cache-Control', 'no-store').send(body);
    } catch (e) {
      this.deps.logger?.error({ err: e }, 'metrics collection failed');
      return json(reply, 500, { error: 'metrics collection failed' });
    }
  }
}

function digest(s: string): Buffer {
  return createHash('sha256').update(s, 'utf8').digest();
}

function json(reply: FastifyReply, status: number, body: unknown): FastifyReply {
  return reply.code(status).header('Content-Type', 'application/json; charset=utf-8').header('Cache-Control', 'no-store').send(JSON.stringify(body));
}
