import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ScriptedCall, ScriptedCallResult } from '../caller-script.ts';
import { scriptSteps } from '../caller-script.ts';
import { SimScheduler } from '../sim-scheduler.ts';
import { wavDurationMs } from '../sim-wav.ts';
import { AriSimAppSockets } from './ari-sim-app-sockets.ts';
import { AriSimBoot, type RestartOptions } from './ari-sim-boot.ts';
import { SimChannel, type SimChannelHost } from './ari-sim-channel.ts';
import { ApiDocs, locateApiDocs } from './ari-sim-docs.ts';
import { ariTimestamp, envelope, type AriJson } from './ari-sim-events.ts';
import { AriSimFaults, type AriSimFault } from './ari-sim-faults.ts';
import { checkAriUpgrade, serveAriHttp, type AriSimHttpDeps, type RecordedRequest } from './ari-sim-http.ts';
import { routeAriRequest, type AriSimState } from './ari-sim-rest.ts';
import { SimSounds } from './ari-sim-sounds.ts';

export type { RestartOptions } from './ari-sim-boot.ts';
export type { RecordedRequest } from './ari-sim-http.ts';
export type { AriSimFault, AriSimFaultKind } from './ari-sim-faults.ts';

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

export interface SimCallHandle {
  /** The ARI channel id, or null when the call was rejected (no app connected: traces 08a). */
  readonly channelId: string | null;
  readonly result: Promise<ScriptedCallResult>;
  /** Caller actions outside the script. */
  hangup(): void;
  dtmf(digit: string): void;
}

const ASTERISK_ID = '02:fc:00:00:00:01';

/**
 * A simulated Asterisk 22 ARI server (HTTP + WebSocket on 127.0.0.1, port 0 by default) that behaves as
 * test/fixtures/asterisk/traces show for the operations callkeeper uses, with scripted callers.
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
  private readonly appSockets: AriSimAppSockets;
  private readonly boot = new AriSimBoot();
  private readonly faults = new AriSimFaults();
  private readonly server: Server;
  private readonly app: string;
  private readonly auth: string;
  private readonly epochBase = Date.now();
  private channelCounter = 0;
  private nameCounter = 0;
  private startupTime = ariTimestamp(Date.now());
  private port = 0;

  private constructor(private readonly opts: AriSimulatorOptions) {
    this.app = opts.app ?? 'callkeeper';
    this.auth = `${opts.username ?? 'callkeeper'}:${opts.password ?? 'secret'}`;
    this.appSockets = new AriSimAppSockets(this.app);
    this.scheduler = new SimScheduler(opts.timeScale ?? 0);
    this.docs = new ApiDocs(locateApiDocs(opts.apiDocsDir));
    this.sounds = new SimSounds(opts.soundsDirs ?? ['/usr/share/asterisk/sounds/en'], (name) => {
      const wav = this.storedRecordings.get(name);
      return wav ? wavDurationMs(wav) : null;
    });
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => serveAriHttp(req, res, Buffer.concat(chunks), this.httpDeps()));
    });
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
    if (!this.appSockets.connected() || this.boot.phase !== 'up') {
      // No app websocket: Asterisk declines the call at once and the app never hears of it (traces 08a).
      return { channelId: null, result: Promise.resolve({ endedBy: 'rejected', answered: false, playbacks: 0, recordings: 0, appVariables: {} }), hangup() {}, dtmf() {} };
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
    return this.appSockets.whenConnected();
  }

  /**
   * Drops the app's websockets: 1006 = the TCP connection dies without a close frame, 1000 = a clean
   * close. The app is deactivated, calls stay up, events in the gap are lost (traces 08a).
   */
  async dropAppConnections(code: 1000 | 1006 = 1006): Promise<void> {
    await this.appSockets.drop(code);
  }

  /**
   * `core stop now` then a fresh start (traces 08b): every call gets ChannelHangupRequest cause 4,
   * PlaybackFinished failed, StasisEnd; the websocket dies with 1006; connections are refused; then
   * ARI answers 404 text/html, then 503 `Asterisk not booted`, then it is up with a new startup time
   * and channel ids counting from 0. Resolves once the simulator is up again, which needs the client
   * to make the given number of attempts during the 404 and 503 phases.
   */
  async restart(opts: RestartOptions = {}): Promise<void> {
    const plan = this.boot.plan(opts);
    for (const ch of [...this.channels.values()]) ch.hangup('engine');
    await this.dropAppConnections(1006);
    this.appSockets.forgetRegistrations();
    this.boot.refuse();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await new Promise((resolve) => setTimeout(resolve, plan.refusedMs));
    this.channelCounter = 0;
    this.startupTime = ariTimestamp(this.wallNow());
    const up = this.boot.boot();
    await this.listen(this.port);
    await up;
  }

  /**
   * Makes the next `fault.times` REST requests that match fail (a 500, no answer, or a dropped
   * connection: ari-sim-faults.ts) without reaching the channel. They are still in `requests`.
   */
  failRequests(fault: AriSimFault): void {
    this.faults.arm(fault);
  }

  /** Requests a `no-answer` fault is holding open. */
  unansweredRequests(): number {
    return this.faults.heldCount();
  }

  async close(): Promise<void> {
    this.scheduler.close();
    this.appSockets.close();
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
    const delivered = this.appSockets.broadcast(JSON.stringify(data));
    this.events.push({ data, delivered });
    for (const o of [...this.eventObservers]) o(data);
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
        this.appSockets.registeredApps().map((name) => ({ name, channelIds: name === this.app ? [...this.channels.keys()] : [] })),
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

  private httpDeps(): AriSimHttpDeps {
    return {
      boot: this.boot,
      auth: this.auth,
      requests: this.requests,
      defaultHost: `127.0.0.1:${this.port}`,
      faults: this.faults,
      route: (req) => routeAriRequest(this.state(), req),
    };
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const apps = checkAriUpgrade(req, socket, { boot: this.boot, auth: this.auth });
    if (apps) this.appSockets.accept(req, socket, head, apps);
  }
}
