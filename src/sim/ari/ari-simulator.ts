import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ScriptedCall, ScriptedCallResult } from '../caller-script.ts';
import { scriptSteps } from '../caller-script.ts';
import { SimScheduler } from '../sim-scheduler.ts';
import { wavDurationMs } from '../sim-wav.ts';
import { SimChannel, type SimChannelHost } from './ari-sim-channel.ts';
import { ApiDocs, locateApiDocs } from './ari-sim-docs.ts';
import { ariTimestamp, envelope, type AriJson } from './ari-sim-events.ts';
import { routeAriRequest, type AriSimState, type RestResponse } from './ari-sim-rest.ts';
import { SimSounds } from './ari-sim-sounds.ts';

export interface AriSimulatorOptions {
  readonly username?: string;
  readonly password?: string;
  /** The Stasis app the dialplan sends calls to (`Stasis(callkeeper,${EXTEN})`). */
  readonly app?: string;
  /** Real ms per simulated ms: 0 = instant (tests), 1 = real time (demo). See SimScheduler. */
  readonly timeScale?: number;
  readonly apiDocsDir?: string;
  /** Where `sound:<name>` files are looked up (absolute `sound:/path` names are read as given). */
  readonly soundsDirs?: readonly string[];
  readonly host?: string;
  readonly port?: number;
}

export interface RestartOptions {
  /** Real ms during which connections are refused (the old process exited, the new one not listening). */
  readonly refusedMs?: number;
  /** Requests answered 404 text/html while ARI is not registered yet. */
  readonly notFoundAttempts?: number;
  /** Requests answered 503 `Asterisk not booted`. */
  readonly notBootedAttempts?: number;
}

export interface RecordedRequest {
  readonly method: string;
  /** Full path, `/ari/...`, as in the traces. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly body: unknown;
  status?: number;
}

export interface SimCallHandle {
  /** The ARI channel id, or null when the call was rejected (no app connected: traces 08a). */
  readonly channelId: string | null;
  readonly result: Promise<ScriptedCallResult>;
  /** Caller actions outside the script. */
  hangup(): void;
  dtmf(digit: string): void;
}

type Phase = 'up' | 'refused' | 'not-found' | 'not-booted';

const ASTERISK_ID = '02:fc:00:00:00:01';
const NOT_FOUND_HTML =
  '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\r\n<html><head>\r\n<title>404 Not Found</title>\r\n</head><body>\r\n<h1>Not Found</h1>\r\n<p>The requested URL was not found on this server.</p>\r\n<hr />\r\n<address>Asterisk</address>\r\n</body></html>\r\n';

/**
 * A simulated Asterisk 22 ARI server (HTTP + WebSocket on 127.0.0.1, port 0 by default) that behaves as
 * ../shared/asterisk/traces show for the operations callkeeper uses, with scripted callers.
 */
export class AriSimulator {
  /** Every REST request, in arrival order, for assertions. */
  readonly requests: RecordedRequest[] = [];
  /** Every event the simulated Asterisk produced; `delivered` is false when no app was connected. */
  readonly events: { readonly data: AriJson; readonly delivered: boolean }[] = [];

  private readonly eventObservers = new Set<(data: AriJson) => void>();
  private readonly scheduler: SimScheduler;
  private readonly docs: ApiDocs;
  private readonly sounds: SimSounds;
  private readonly channels = new Map<string, SimChannel>();
  private readonly playbacks = new Map<string, SimChannel>();
  private readonly liveRecordings = new Map<string, SimChannel>();
  private readonly storedRecordings = new Map<string, Buffer>();
  private readonly appSockets = new Map<string, Set<WebSocket>>();
  /** Apps stay registered (deactivated) after their websocket goes, until Asterisk restarts (traces 08a). */
  private readonly registeredApps = new Set<string>();
  private readonly pendingSends = new Set<Promise<void>>();
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly server: Server;
  private readonly app: string;
  private readonly auth: string;
  private readonly epochBase = Date.now();
  private phase: Phase = 'up';
  private phaseAttempts = 0;
  private phaseChanged: (() => void) | null = null;
  private appWaiters: (() => void)[] = [];
  private channelCounter = 0;
  private nameCounter = 0;
  private startupTime = ariTimestamp(Date.now());
  private restartOpts: Required<RestartOptions> = { refusedMs: 0, notFoundAttempts: 0, notBootedAttempts: 0 };
  private port = 0;

  private constructor(private readonly opts: AriSimulatorOptions) {
    this.app = opts.app ?? 'callkeeper';
    this.auth = `${opts.username ?? 'callkeeper'}:${opts.password ?? 'secret'}`;
    this.scheduler = new SimScheduler(opts.timeScale ?? 0);
    this.docs = new ApiDocs(locateApiDocs(opts.apiDocsDir));
    this.sounds = new SimSounds(opts.soundsDirs ?? ['/usr/share/asterisk/sounds/en'], (name) => {
      const wav = this.storedRecordings.get(name);
      return wav ? wavDurationMs(wav) : null;
    });
    this.server = createServer((req, res) => this.onHttp(req, res));
    this.server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  static async start(opts: AriSimulatorOptions = {}): Promise<AriSimulator> {
    const sim = new AriSimulator(opts);
    await sim.listen(opts.port ?? 0);
    return sim;
  }

  /** Base URL for the adapter's `asterisk.url` (ari-client appends `/ari/...`). */
  get url(): string {
    return `http://${this.opts.host ?? '127.0.0.1'}:${this.port}`;
  }

  get credentials(): { username: string; password: string } {
    const [username = '', password = ''] = this.auth.split(/:(.*)/s);
    return { username, password };
  }

  /** Rings the DID: the call enters Stasis unanswered with the dialed number in `args` (traces 01). */
  placeCall(call: ScriptedCall): SimCallHandle {
    if (!this.appConnected() || this.phase !== 'up') {
      // No app websocket: Asterisk declines the call at once and the app never hears of it (traces 08a).
      return { channelId: null, result: Promise.resolve({ endedBy: 'rejected', answered: false, playbacks: 0, recordings: 0 }), hangup() {}, dtmf() {} };
    }
    const seconds = Math.floor(this.wallNow() / 1000);
    const id = `${seconds}.${this.channelCounter++}`;
    const n = ++this.nameCounter;
    let settle: (r: ScriptedCallResult) => void = () => {};
    const result = new Promise<ScriptedCallResult>((resolve) => (settle = resolve));
    const ch = new SimChannel(
      {
        id,
        name: `PJSIP/trunk-${n.toString(16).padStart(8, '0')}`,
        protocolId: `${n}-sim@127.0.0.1`,
        callerName: call.callerName ?? '',
        callerNumber: call.caller,
        dialed: call.dialed,
        creationtime: ariTimestamp(this.wallNow()),
        app: this.app,
      },
      scriptSteps(call),
      this.channelHost(settle),
    );
    this.channels.set(id, ch);
    ch.offer();
    return {
      channelId: id,
      result,
      hangup: () => ch.hangup('caller'),
      dtmf: (digit) => ch.dtmf(digit),
    };
  }

  /** Ids of the calls still in Stasis. */
  activeChannels(): string[] {
    return [...this.channels.keys()];
  }

  storedRecordingNames(): string[] {
    return [...this.storedRecordings.keys()];
  }

  /** Puts a recording on the simulated disk, as if left by an earlier call. */
  putStoredRecording(name: string, wav: Buffer): void {
    this.storedRecordings.set(name, wav);
  }

  /**
   * Observes every event as Asterisk emits it, after it was handed to the app's sockets: lets a test
   * act at an exact moment (drop the websocket right after PlaybackStarted, as in traces 08a).
   */
  onEvent(observer: (data: AriJson) => void): () => void {
    this.eventObservers.add(observer);
    return () => this.eventObservers.delete(observer);
  }

  /** Resolves when an app websocket is connected (now or later). */
  whenAppConnected(): Promise<void> {
    if (this.appConnected()) return Promise.resolve();
    return new Promise((resolve) => this.appWaiters.push(resolve));
  }

  /**
   * Drops the app's websockets: 1006 = the TCP connection dies without a close frame, 1000 = a clean
   * close. The app is deactivated, calls stay up, events in the gap are lost (traces 08a).
   */
  async dropAppConnections(code: 1000 | 1006 = 1006): Promise<void> {
    await this.flushSends();
    for (const set of this.appSockets.values()) {
      for (const ws of set) {
        if (code === 1006) ws.terminate();
        else ws.close(1000, '');
      }
    }
    this.appSockets.clear();
  }

  /**
   * `core stop now` then a fresh start (traces 08b): every call gets ChannelHangupRequest cause 4,
   * PlaybackFinished failed, StasisEnd; the websocket dies with 1006; connections are refused; then
   * ARI answers 404 text/html, then 503 `Asterisk not booted`, then it is up with a new startup time
   * and channel ids counting from 0. Resolves once the simulator is up again, which needs the client
   * to make the given number of attempts during the 404 and 503 phases.
   */
  async restart(opts: RestartOptions = {}): Promise<void> {
    this.restartOpts = { refusedMs: opts.refusedMs ?? 50, notFoundAttempts: opts.notFoundAttempts ?? 1, notBootedAttempts: opts.notBootedAttempts ?? 1 };
    for (const ch of [...this.channels.values()]) ch.hangup('engine');
    await this.dropAppConnections(1006);
    this.registeredApps.clear();
    this.phase = 'refused';
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, this.restartOpts.refusedMs));
    this.channelCounter = 0;
    this.startupTime = ariTimestamp(this.wallNow());
    const up = new Promise<void>((resolve) => (this.phaseChanged = () => this.phase === 'up' && resolve()));
    this.setPhase(this.restartOpts.notFoundAttempts > 0 ? 'not-found' : this.restartOpts.notBootedAttempts > 0 ? 'not-booted' : 'up');
    await this.listen(this.port);
    await up;
  }

  async close(): Promise<void> {
    this.scheduler.close();
    for (const set of this.appSockets.values()) for (const ws of set) ws.terminate();
    this.appSockets.clear();
    this.wss.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => (this.server.listening ? this.server.close(() => resolve()) : resolve()));
  }

  // ---- internals ---------------------------------------------------------------------------------

  private listen(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, this.opts.host ?? '127.0.0.1', () => {
        this.server.off('error', reject);
        const addr = this.server.address();
        if (addr && typeof addr === 'object') this.port = addr.port;
        resolve();
      });
    });
  }

  private wallNow(): number {
    return this.epochBase + this.scheduler.now();
  }

  private appConnected(): boolean {
    return (this.appSockets.get(this.app)?.size ?? 0) > 0;
  }

  private setPhase(p: Phase): void {
    this.phase = p;
    this.phaseAttempts = 0;
    this.phaseChanged?.();
  }

  /** Counts one client attempt during boot and moves to the next boot phase when enough were made. */
  private bootAttempt(): void {
    this.phaseAttempts++;
    if (this.phase === 'not-found' && this.phaseAttempts >= this.restartOpts.notFoundAttempts) {
      this.setPhase(this.restartOpts.notBootedAttempts > 0 ? 'not-booted' : 'up');
    } else if (this.phase === 'not-booted' && this.phaseAttempts >= this.restartOpts.notBootedAttempts) {
      this.setPhase('up');
    }
  }

  private channelHost(settle: (r: ScriptedCallResult) => void): SimChannelHost {
    return {
      scheduler: this.scheduler,
      send: (type, body, leading) => this.send(type, body, leading),
      mediaLength: (uri) => this.sounds.lengthOf(uri),
      storeRecording: (name, wav) => this.storedRecordings.set(name, wav),
      trackPlayback: (id, ch) => (ch ? this.playbacks.set(id, ch) : this.playbacks.delete(id)),
      trackRecording: (name, ch) => (ch ? this.liveRecordings.set(name, ch) : this.liveRecordings.delete(name)),
      channelEnded: (ch, result) => {
        this.channels.delete(ch.id);
        settle(result);
      },
    };
  }

  private send(type: string, body: AriJson, leading?: AriJson): void {
    const data = envelope(type, ariTimestamp(this.wallNow()), body, { asteriskId: ASTERISK_ID, app: this.app }, leading);
    const sockets = this.appSockets.get(this.app);
    this.events.push({ data, delivered: (sockets?.size ?? 0) > 0 });
    const text = JSON.stringify(data);
    for (const ws of sockets ?? []) {
      const sent = new Promise<void>((resolve) => ws.send(text, () => resolve()));
      this.pendingSends.add(sent);
      void sent.then(() => this.pendingSends.delete(sent));
    }
    for (const o of [...this.eventObservers]) o(data);
  }

  /** Lets queued frames reach the client before a socket is killed, as Asterisk sends StasisEnd before dying. */
  private async flushSends(): Promise<void> {
    await Promise.all([...this.pendingSends]);
  }

  private authorized(req: IncomingMessage, url: URL): boolean {
    const header = req.headers.authorization;
    if (header?.startsWith('Basic ') && Buffer.from(header.slice(6), 'base64').toString('utf8') === this.auth) return true;
    const apiKey = url.searchParams.get('api_key');
    return apiKey === this.auth;
  }

  private state(): AriSimState {
    return {
      channel: (id) => this.channels.get(id),
      channelList: () => [...this.channels.values()],
      playbackOwner: (id) => this.playbacks.get(id),
      liveRecordingOwner: (name) => this.liveRecordings.get(name),
      stored: (name) => this.storedRecordings.get(name),
      storedNames: () => [...this.storedRecordings.keys()],
      deleteStored: (name) => this.storedRecordings.delete(name),
      apps: () =>
        [...this.registeredApps].map((name) => ({ name, channelIds: name === this.app ? [...this.channels.keys()] : [] })),
      apiDoc: (name, host) => this.docs.get(name, host),
      info: () => ({
        build: { os: 'Linux', kernel: 'sim', machine: 'x86_64', options: 'OPTIONAL_API', date: '2026-11-22 13:11:39 UTC', user: 'root' },
        system: { version: '22.10.1', entity_id: ASTERISK_ID },
        config: { name: '', default_language: 'en', setid: { user: '', group: '' } },
        status: { startup_time: this.startupTime, last_reload_time: this.startupTime },
      }),
      ping: () => ({ ping: 'pong', timestamp: ariTimestamp(this.wallNow()), asterisk_id: ASTERISK_ID }),
    };
  }

  private onHttp(req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => this.handleHttp(req, res, Buffer.concat(chunks)));
  }

  private handleHttp(req: IncomingMessage, res: ServerResponse, raw: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (this.phase === 'not-found' || this.phase === 'not-booted') {
      const notFound = this.phase === 'not-found';
      this.bootAttempt();
      if (notFound) return void res.writeHead(404, { 'Content-type': 'text/html' }).end(NOT_FOUND_HTML);
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
    if (!isDocs) this.requests.push(recorded);
    if (!path.startsWith('/ari/')) return writeRest(res, (recorded.status = 404, { status: 404, json: { message: 'Resource not found' } }));
    if (!isDocs && !this.authorized(req, url)) {
      recorded.status = 401;
      return writeRest(res, { status: 401, json: { message: 'Authentication required' }, headers: { 'WWW-Authenticate': 'Basic realm="Asterisk REST Interface"' } });
    }
    const params = { ...query, ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}) };
    const out = routeAriRequest(this.state(), { method: recorded.method, path: path.slice(4), params, host: req.headers.host ?? `127.0.0.1:${this.port}` });
    recorded.status = out.status;
    writeRest(res, out);
    out.after?.();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'http://sim');
    const reject = (status: number, type: string, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : status === 503 ? 'Service Unavailable' : status === 401 ? 'Unauthorized' : 'Bad Request'}\r\nContent-type: ${type}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
    };
    if (this.phase === 'not-found') {
      this.bootAttempt();
      return reject(404, 'text/html', NOT_FOUND_HTML);
    }
    if (this.phase === 'not-booted') {
      this.bootAttempt();
      return reject(503, 'application/json', JSON.stringify({ message: 'Asterisk not booted' }));
    }
    if (url.pathname !== '/ari/events') return reject(404, 'application/json', JSON.stringify({ message: 'Resource not found' }));
    if (!this.authorized(req, url)) return reject(401, 'application/json', JSON.stringify({ message: 'Authentication required' }));
    const apps = (url.searchParams.get('app') ?? '').split(',').filter(Boolean);
    if (apps.length === 0) return reject(400, 'application/json', JSON.stringify({ message: "Missing params 'app'" }));
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      for (const app of apps) {
        this.registeredApps.add(app);
        let set = this.appSockets.get(app);
        if (!set) this.appSockets.set(app, (set = new Set()));
        set.add(ws);
      }
      ws.on('error', () => {});
      ws.on('close', () => {
        for (const app of apps) this.appSockets.get(app)?.delete(ws);
      });
      if (this.appConnected()) {
        const waiters = this.appWaiters;
        this.appWaiters = [];
        for (const w of waiters) w();
      }
    });
  }
}

/** Writes an ARI response: `Content-type` with a lower-case t and no charset, none on 204 (surprise 6). */
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
