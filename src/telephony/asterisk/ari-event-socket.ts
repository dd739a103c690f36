import WebSocket from 'ws';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { backoffDelay } from '../../domain/retry/backoff.ts';
import type { AriEvent } from './ari-event.ts';

/**
 * The ARI event websocket, kept open for the life of the engine.
 *
 * Plain `ws` rather than ari-client's `start()`, because its websocket handling does not survive what
 * Asterisk does (traces 08a, 08b): it gives up for good after 10 reconnect attempts (about 40 s), its
 * timers cannot be injected, it throws inside the socket handler on an event type missing from the
 * Swagger models, and it hides the close code and the HTTP status of a refused upgrade (404, 503).
 * REST still goes through ari-client (ari-rest.ts).
 */
export interface AriEventSocketOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly app: string;
  /** First retry delay; the trace client retried every 100 ms and Asterisk was back 3.4 s after `core stop now`. */
  readonly initialBackoffMs?: number;
  /** Cap: a restart takes seconds, so waiting longer only delays recovery. */
  readonly maxBackoffMs?: number;
  /** Without a pong within this time, the TCP connection is presumed dead (no FIN seen) and dropped. */
  readonly pingIntervalMs?: number;
}

export interface AriEventSocketHandlers {
  /** Runs before each connection attempt (loading the REST API when not loaded yet). */
  prepare(): Promise<void>;
  onOpen(): void;
  onClose(info: { code: number; reason: string }): void;
  onEvent(e: AriEvent): void;
}

export class AriEventSocket {
  private ws: WebSocket | null = null;
  private stopped = true;
  private attempt = 0;
  private cancelRetry: (() => void) | null = null;
  private cancelPing: (() => void) | null = null;

  constructor(
    private readonly opts: AriEventSocketOptions,
    private readonly handlers: AriEventSocketHandlers,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.cancelRetry?.();
    this.cancelRetry = null;
    this.cancelPing?.();
    this.cancelPing = null;
    const ws = this.ws;
    this.ws = null;
    if (ws) {
      ws.removeAllListeners('message');
      ws.on('error', () => {});
      if (ws.readyState === WebSocket.OPEN) ws.close(1000, '');
      else ws.terminate();
    }
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.handlers.prepare();
    } catch (err) {
      this.logger.warn({ err: String(err), attempt: this.attempt }, 'ARI not reachable yet');
      return this.retry();
    }
    if (this.stopped) return;
    const base = this.opts.url.replace(/^http/, 'ws').replace(/\/+$/, '');
    const url = `${base}/ari/events?app=${encodeURIComponent(this.opts.app)}&subscribeAll=false`;
    // Basic auth in a header, not `api_key` in the URL, so the secret stays out of access logs.
    const auth = Buffer.from(`${this.opts.username}:${this.opts.password}`).toString('base64');
    const ws = new WebSocket(url, { headers: { Authorization: `Basic ${auth}` } });
    this.ws = ws;
    let opened = false;
    let closed = false;
    ws.on('open', () => {
      opened = true;
      this.attempt = 0;
      this.logger.info({ app: this.opts.app }, 'ARI websocket connected');
      this.armPing(ws);
      this.handlers.onOpen();
    });
    ws.on('message', (data) => this.onMessage(data));
    ws.on('pong', () => ((ws as WebSocket & { ckAlive?: boolean }).ckAlive = true));
    // Without an 'error' listener ws would throw: refused upgrades (404/503) and resets arrive here.
    ws.on('error', (err) => this.logger.warn({ err: err.message, attempt: this.attempt }, 'ARI websocket error'));
    ws.on('close', (code, reasonBuf) => {
      if (closed) return;
      closed = true;
      this.cancelPing?.();
      this.cancelPing = null;
      if (this.ws === ws) this.ws = null;
      const reason = reasonBuf.toString('utf8');
      if (opened) {
        this.logger.warn({ code, reason }, 'ARI websocket closed');
        this.handlers.onClose({ code, reason });
      }
      if (!this.stopped) this.retry();
    });
  }

  private onMessage(data: WebSocket.RawData): void {
    let e: AriEvent;
    try {
      e = JSON.parse(data.toString()) as AriEvent;
    } catch {
      this.logger.warn({}, 'ARI sent a frame that is not JSON');
      return;
    }
    if (typeof e?.type !== 'string') return;
    try {
      this.handlers.onEvent(e);
    } catch (err) {
      this.logger.error({ err: String(err), type: e.type }, 'ARI event handler failed');
    }
  }

  private retry(): void {
    if (this.stopped || this.cancelRetry) return;
    this.attempt++;
    const delay = backoffDelay({ initialMs: this.opts.initialBackoffMs ?? 100, maxMs: this.opts.maxBackoffMs ?? 5000 }, this.attempt);
    this.cancelRetry = this.clock.setTimer(delay, () => {
      this.cancelRetry = null;
      void this.connect();
    });
  }

  private armPing(ws: WebSocket): void {
    const every = this.opts.pingIntervalMs ?? 20_000;
    const tagged = ws as WebSocket & { ckAlive?: boolean };
    tagged.ckAlive = true;
    const tick = (): void => {
      if (this.ws !== ws || ws.readyState !== WebSocket.OPEN) return;
      if (!tagged.ckAlive) {
        this.logger.warn({}, 'ARI websocket silent, dropping it');
        ws.terminate();
        return;
      }
      tagged.ckAlive = false;
      ws.ping();
      this.cancelPing = this.clock.setTimer(every, tick);
    };
    this.cancelPing = this.clock.setTimer(every, tick);
  }
}
