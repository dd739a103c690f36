import { createServer, type Server, type Socket } from 'node:net';
import { AppError, isAppError } from '../../domain/errors.ts';
import type {
  CallEngine,
  EngineStatus,
  IncomingCall,
} from '../../domain/ports/call-engine.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import { backoffDelay, type Backoff } from '../../domain/retry/backoff.ts';
import { EslCallLeg } from './esl-call-leg.ts';
import { parseChannelData } from './esl-channel-data.ts';
import { ESL_CAPABILITIES } from './esl-capabilities.ts';
import { EslConnection } from './esl-connection.ts';
import { EslInboundClient } from './esl-inbound-client.ts';

/**
 * The `CallEngine` port on FreeSWITCH, outbound mode: the dialplan hands each unanswered call to
 * `socket <listenHost>:<listenPort> async full`, FreeSWITCH connects to us once per call, and we send
 * `connect`, `myevents`, `linger` before handing the call to the flow (traces 01–07, 09, 10).
 *
 * Liveness: with `inbound` set, the engine also keeps a logged-in inbound connection (8021) and is
 * `up` only while it holds; it reconnects with backoff after a FreeSWITCH restart (08). Without it the
 * engine is `up` as soon as it listens, since FreeSWITCH is what connects to us.
 */
export interface EslCallEngineOptions {
  readonly listenHost: string;
  /** 0 picks a free port (tests); read it back with `listeningAddress()`. */
  readonly listenPort: number;
  /** Recordings directory as FreeSWITCH sees it (`freeswitch.recordingsDir`). */
  readonly recordingsDir: string;
  /** The same directory as this host reads it (`freeswitch.localRecordingsDir`); default: the same path. */
  readonly localRecordingsDir?: string;
  /** Prompt file on this host → the path FreeSWITCH opens (`prompts.dir` → `prompts.engineDir`). */
  readonly mapPromptPath?: (file: string) => string;
  readonly inbound?: { readonly host: string; readonly port: number; readonly password: string } | null;
  readonly logger: Logger;
  /** Schedules the monitor's reconnects. */
  readonly clock: Clock;
  readonly commandTimeoutMs?: number;
  /** Reconnect backoff of the inbound monitor; FreeSWITCH took ~1.8 s to accept again after a start (08). */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
  /** Counts channels we could not hang up (`callkeeper_hangups_failed_total`). */
  readonly metrics?: Pick<Metrics, 'hangupFailed'>;
}

/** 300 ms at 800 Hz, as the traces played before `record` (01, 03, 04). */
const BEEP = 'tone_stream://%(300,0,800)';

export class EslCallEngine implements CallEngine {
  readonly name = 'freeswitch';
  readonly capabilities = ESL_CAPABILITIES;
  private server: Server | null = null;
  private state: EngineStatus = 'down';
  private readonly statusListeners = new Set<(s: EngineStatus) => void>();
  private readonly sockets = new Set<Socket>();
  private readonly legs = new Set<EslCallLeg>();
  private monitor: EslInboundClient | null = null;
  private cancelReconnect: (() => void) | null = null;
  /** Failed monitor connections in a row (backoff.ts counts from 1 after the first). */
  private failures = 0;
  private readonly backoff: Backoff;
  private stopping = false;

  constructor(private readonly opts: EslCallEngineOptions) {
    this.backoff = { initialMs: opts.reconnectInitialMs ?? 250, maxMs: opts.reconnectMaxMs ?? 10_000 };
  }

  async start(onCall: (call: IncomingCall) => void): Promise<void> {
    if (this.server) return;
    this.stopping = false;
    this.setStatus('connecting');
    const server = createServer((socket) => this.accept(socket, onCall));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException): void => {
        this.server = null;
        this.setStatus('down');
        reject(
          new AppError('TELEPHONY.ENGINE_UNAVAILABLE', 'cannot listen for FreeSWITCH outbound sockets', {
            cause: err,
            details: { host: this.opts.listenHost, port: this.opts.listenPort, errno: err.code },
          }),
        );
      };
      server.once('error', onError);
      server.listen(this.opts.listenPort, this.opts.listenHost, () => {
        server.off('error', onError);
        server.on('error', (err) => this.opts.logger.error({ err: err.message }, 'outbound socket listener error'));
        resolve();
      });
    });
    // `up` as soon as start() returns when FreeSWITCH is reachable; otherwise the monitor keeps trying.
    if (this.opts.inbound) await this.connectMonitor();
    else this.setStatus('up');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.cancelReconnect?.();
    this.cancelReconnect = null;
    const monitor = this.monitor;
    this.monitor = null;
    if (monitor) await monitor.close();
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.setStatus('down');
  }

  status(): EngineStatus {
    return this.state;
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Where FreeSWITCH must connect (the port when `listenPort` was 0). */
  listeningAddress(): { host: string; port: number } | null {
    const a = this.server?.address();
    return a && typeof a === 'object' ? { host: a.address, port: a.port } : null;
  }

  /** Calls whose socket is still open (for leak checks and metrics). */
  openSockets(): number {
    return this.sockets.size;
  }

  /** `uuid_kill` through the inbound connection (when configured and up); true once the channel is gone. */
  private async killChannel(uuid: string): Promise<boolean> {
    const monitor = this.monitor;
    if (!monitor || monitor.closed) return false;
    try {
      await monitor.api(`uuid_kill ${uuid} NORMAL_CLEARING`);
      return true;
    } catch (err) {
      // `-ERR No such channel!`: it is gone already.
      return isAppError(err, 'TELEPHONY.CHANNEL_GONE');
    }
  }

  private setStatus(s: EngineStatus): void {
    if (s === this.state) return;
    this.state = s;
    for (const fn of [...this.statusListeners]) {
      try {
        fn(s);
      } catch (err) {
        this.opts.logger.error({ err: String(err) }, 'engine status listener threw');
      }
    }
  }

  private accept(socket: Socket, onCall: (call: IncomingCall) => void): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    const conn = new EslConnection(socket, { logger: this.opts.logger, commandTimeoutMs: this.opts.commandTimeoutMs });
    void this.handshake(conn, onCall).catch((err: unknown) => {
      this.opts.logger.warn(
        { err: err instanceof Error ? err.message : String(err), code: err instanceof AppError ? err.code : undefined },
        'outbound socket set-up failed; dropping the connection',
      );
      conn.destroy();
    });
  }

  private async handshake(conn: EslConnection, onCall: (call: IncomingCall) => void): Promise<void> {
    const reply = await conn.send({ line: 'connect' });
    const data = parseChannelData(reply);
    if (!data) throw new AppError('TELEPHONY.REQUEST_FAILED', 'the connect reply carried no channel UUID');
    const log = this.opts.logger.child({ channel: data.uuid });
    // The leg listens before `myevents`, so no event of this call can slip past it.
    const leg = new EslCallLeg(data.uuid, conn, {
      logger: log,
      paths: {
        recordingsDir: this.opts.recordingsDir,
        localRecordingsDir: this.opts.localRecordingsDir ?? this.opts.recordingsDir,
      },
      mapPromptPath: this.opts.mapPromptPath ?? ((f) => f),
      beep: BEEP,
      killChannel: (uuid) => this.killChannel(uuid),
      hangupFailed: (uuid, err) => {
        this.opts.metrics?.hangupFailed('esl');
        log.error(
          { channel: uuid, err: String(err), inbound: this.monitor !== null },
          'could not hang up a channel; its socket is closed, so the dialplan may go on after `socket`',
        );
      },
    });
    try {
      await conn.command({ line: 'myevents' });
      // Plain `linger`: FreeSWITCH keeps the socket after the hangup until we send `exit`, so every
      // event up to CHANNEL_HANGUP_COMPLETE arrives. Without it the last events race the close (03, 10).
      await conn.command({ line: 'linger' });
    } catch (err) {
      // A caller who hangs up this early is still a missed call the flow must log: deliver the ended leg.
      if (!leg.isHungUp) throw err;
    }
    this.legs.add(leg);
    conn.onClose(() => this.legs.delete(leg));
    log.info({ callerId: data.callerIdRaw, dialed: data.dialed }, 'call handed over by FreeSWITCH');
    onCall({ leg, callerIdRaw: data.callerIdRaw, callerName: data.callerName, dialed: data.dialed });
  }

  private async connectMonitor(): Promise<void> {
    const inbound = this.opts.inbound;
    if (!inbound || this.stopping) return;
    let client: EslInboundClient;
    try {
      client = await EslInboundClient.connect({ ...inbound, logger: this.opts.logger, commandTimeoutMs: this.opts.commandTimeoutMs });
    } catch (err) {
      if (this.stopping) return;
      this.opts.logger.warn({ code: err instanceof AppError ? err.code : undefined, retryInMs: backoffDelay(this.backoff, this.failures + 1) }, 'FreeSWITCH event socket unavailable');
      if (this.state === 'up') this.setStatus('down');
      this.scheduleReconnect();
      return;
    }
    if (this.stopping) {
      await client.close();
      return;
    }
    this.monitor = client;
    this.failures = 0;
    this.setStatus('up');
    client.onClose(() => {
      if (this.monitor === client) this.monitor = null;
      if (this.stopping) return;
      // A FreeSWITCH restart drops every call and this connection alike (08); calls end on their own sockets.
      this.opts.logger.warn({}, 'FreeSWITCH event socket closed; reconnecting');
      this.setStatus('down');
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.cancelReconnect || this.stopping) return;
    this.failures += 1;
    this.cancelReconnect = this.opts.clock.setTimer(backoffDelay(this.backoff, this.failures), () => {
      this.cancelReconnect = null;
      void this.connectMonitor();
    });
  }
}

export function createEslCallEngine(opts: EslCallEngineOptions): EslCallEngine {
  return new EslCallEngine(opts);
}
