import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { scriptSteps, type ScriptedCall, type ScriptedCallResult } from '../caller-script.ts';
import { SimScheduler } from '../sim-scheduler.ts';
import { wavDurationMs } from '../sim-wav.ts';
import { EslSimChannel, type EslSimChannelHost } from './esl-sim-channel.ts';
import { EslSimInbound } from './esl-sim-inbound.ts';

/**
 * A FreeSWITCH 1.10.12 stand-in that speaks the Event Socket as the traces show it
 * (test/fixtures/freeswitch/traces): for each scripted call it connects to the application's outbound
 * listener (what `socket <host:port> async full` does) and plays the channel; it also listens in
 * inbound mode (auth, `api`). Callers are the engine-neutral `ScriptedCall`s (src/sim/caller-script.ts)
 * the ARI simulator runs too, so one demo or contract script drives either engine.
 */
export interface EslSimOptions {
  /** Real ms per simulated ms: 1 is real time (demo), 0 jumps to the next timer at once (tests). */
  readonly timeScale?: number;
  readonly password?: string;
  readonly inboundHost?: string;
  /** 0 picks a free port; it is kept across `restart()`. */
  readonly inboundPort?: number;
  /** The application's outbound listener (the dialplan's `socket` target); can be set later. */
  readonly outbound?: Target | (() => Target | null);
  /** Recording path as FreeSWITCH was told → where to write it here. Default: the same path. */
  readonly recordingPath?: (enginePath: string) => string;
  /** Playback path as FreeSWITCH was told → the file to measure here. Default: the same path. */
  readonly mediaPath?: (enginePath: string) => string;
  readonly authTimeoutMs?: number;
}

/** Same shape as the ARI simulator's handle (src/sim/ari/ari-simulator.ts), plus the simulated channel. */
export interface EslSimCallHandle {
  /** The channel UUID FreeSWITCH gave the call. */
  readonly channelId: string;
  readonly result: Promise<ScriptedCallResult>;
  /** Caller actions outside the script. */
  hangup(): void;
  dtmf(digit: string): void;
  /** What the application sent on this call's socket, the channel's variables. */
  readonly channel: EslSimChannel;
}

type Target = { readonly host: string; readonly port: number };

const VERSION = 'FreeSWITCH Version 1.10.12-release~64bit ( 64bit)\n';
const HISTORY_LIMIT = 1000;

export class EslSim {
  readonly scheduler: SimScheduler;
  private server: Server | null = null;
  private port: number;
  private readonly host: string;
  private outbound: Target | (() => Target | null) | null;
  private readonly live = new Map<string, EslSimChannel>();
  private readonly inbound = new Set<{ session: EslSimInbound; socket: Socket }>();
  private readonly outboundSockets = new Set<Socket>();
  private readonly mediaCache = new Map<string, number | null>();
  private readonly waiters = new Map<EslSimChannel, (r: ScriptedCallResult) => void>();
  /** Channels in the order they were placed (capped), for tests that inspect what the app sent. */
  readonly history: EslSimChannel[] = [];
  /** Every `api` command of the inbound connections, as sent (for tests). */
  readonly inboundApi: string[] = [];
  private coreUuid = randomUUID();
  private sequence = 400;
  private sessionsSinceStart = 0;
  private startedAt = Date.now();
  private restartTimer: NodeJS.Timeout | null = null;

  constructor(private readonly opts: EslSimOptions = {}) {
    this.scheduler = new SimScheduler(opts.timeScale ?? 0);
    this.port = opts.inboundPort ?? 0;
    this.host = opts.inboundHost ?? '127.0.0.1';
    this.outbound = opts.outbound ?? null;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.acceptInbound(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, this.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    const a = server.address();
    if (a && typeof a === 'object') this.port = a.port;
    this.server = server;
  }

  /** Where the inbound event socket listens (the 8021 stand-in). */
  inboundAddress(): { host: string; port: number } {
    return { host: this.host, port: this.port };
  }

  get password(): string {
    return this.opts.password ?? 'ClueCon';
  }

  /** The application's listener; a function is asked at each call (an engine started on port 0 later). */
  setOutbound(target: Target | (() => Target | null)): void {
    this.outbound = target;
  }

  /** Places a call and resolves when it is over, with what the caller lived through. */
  call(script: ScriptedCall): Promise<ScriptedCallResult> {
    return this.placeCall(script).result;
  }

  /** Rings the application: FreeSWITCH connects to its listener as `socket … async full` does. */
  placeCall(script: ScriptedCall): EslSimCallHandle {
    const target = typeof this.outbound === 'function' ? this.outbound() : this.outbound;
    const uuid = randomUUID();
    const withheld = script.caller === '' || script.caller.toLowerCase() === 'anonymous';
    const number = withheld ? 'anonymous' : script.caller;
    const socket = netConnect({ host: target?.host ?? '127.0.0.1', port: target?.port ?? 1 });
    socket.setNoDelay(true);
    this.outboundSockets.add(socket);
    socket.once('close', () => this.outboundSockets.delete(socket));
    const ch = new EslSimChannel(
      socket,
      {
        coreUuid: this.coreUuid,
        uuid,
        callerNumber: number,
        callerName: script.callerName ?? (withheld ? 'Anonymous' : number),
        dialed: script.dialed,
        channelName: withheld ? 'sofia/esl/anonymous@anonymous.invalid' : `sofia/esl/${number}@127.0.0.1:5170`,
        privacy: withheld,
      },
      scriptSteps(script),
      this.channelHost(),
      `${target?.host ?? '127.0.0.1'}:${target?.port ?? 0} async full`,
    );
    let established = false;
    let refused = false;
    socket.once('connect', () => {
      established = true;
    });
    socket.once('error', () => {
      if (!established) refused = true;
    });
    const result = new Promise<ScriptedCallResult>((resolve) => {
      this.waiters.set(ch, (r) => resolve(refused ? { ...r, endedBy: 'rejected' } : r));
    });
    this.live.set(uuid, ch);
    this.sessionsSinceStart++;
    this.history.push(ch);
    if (this.history.length > HISTORY_LIMIT) this.history.shift();
    return {
      channelId: uuid,
      result,
      channel: ch,
      hangup: () => ch.hangup('NORMAL_CLEARING', 'caller'),
      dtmf: (digit) => ch.dtmf(digit),
    };
  }

  /** Calls in progress (their socket still open). */
  activeCalls(): number {
    return this.live.size;
  }

  /** Open TCP connections of any kind (for leak checks). */
  openSockets(): number {
    return this.outboundSockets.size + this.inbound.size;
  }

  /**
   * FreeSWITCH stops and starts again (08): every call is dropped, inbound clients get the shutdown
   * notice and FIN, the port refuses connections for `downMs`, then a new instance (new Core-UUID)
   * listens on the same port.
   */
  async restart(opts: { downMs?: number } = {}): Promise<void> {
    await this.shutdown();
    this.coreUuid = randomUUID();
    this.startedAt = Date.now();
    this.sessionsSinceStart = 0;
    const downMs = opts.downMs ?? 50;
    await new Promise<void>((resolve) => {
      this.restartTimer = setTimeout(() => {
        this.restartTimer = null;
        resolve();
      }, downMs);
    });
    await this.start();
  }

  async stop(): Promise<void> {
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    await this.shutdown();
    this.scheduler.close();
  }

  private async shutdown(): Promise<void> {
    for (const ch of [...this.live.values()]) ch.kill();
    for (const s of this.outboundSockets) s.destroy();
    for (const c of this.inbound) c.session.shutdown();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    for (const c of this.inbound) c.socket.destroy();
    this.inbound.clear();
    this.scheduler.clear();
  }

  private acceptInbound(socket: Socket): void {
    const entry = {
      socket,
      session: new EslSimInbound(socket, {
        password: this.password,
        api: (cmd) => this.api(cmd),
        authTimeoutMs: this.opts.authTimeoutMs ?? 24_200,
      }),
    };
    this.inbound.add(entry);
    socket.once('close', () => this.inbound.delete(entry));
  }

  private channelHost(): EslSimChannelHost {
    return {
      scheduler: this.scheduler,
      mediaLength: (p) => this.mediaLength(p),
      storeRecording: (p, wav) => {
        const local = this.opts.recordingPath ? this.opts.recordingPath(p) : p;
        mkdirSync(dirname(local), { recursive: true });
        writeFileSync(local, wav);
      },
      api: (cmd) => this.api(cmd),
      nextSequence: () => ++this.sequence,
      channelEnded: (ch, result) => {
        this.live.delete(ch.uuid);
        const w = this.waiters.get(ch);
        this.waiters.delete(ch);
        w?.(result);
      },
    };
  }

  private mediaLength(path: string): number | null {
    // tone_stream://%(on,off,freq)[;…]: one cycle of the first segment is what the traces played.
    const tone = /^tone_stream:\/\/%\((\d+),(\d+)/.exec(path);
    if (tone) return Number(tone[1]) + Number(tone[2]);
    const silence = /^silence_stream:\/\/(\d+)/.exec(path);
    if (silence) return Number(silence[1]);
    if (this.mediaCache.has(path)) return this.mediaCache.get(path) ?? null;
    let ms: number | null;
    try {
      ms = wavDurationMs(readFileSync(this.opts.mediaPath ? this.opts.mediaPath(path) : path));
    } catch {
      ms = null; // FILE NOT FOUND (05), also for a file FreeSWITCH could not decode
    }
    this.mediaCache.set(path, ms);
    return ms;
  }

  /** `api` as mod_commands answers it (bodies from 02, 05, 08). */
  private api(command: string): string {
    this.inboundApi.push(command);
    const [verb = '', ...args] = command.trim().split(/\s+/);
    switch (verb) {
      case 'version':
        return VERSION;
      case 'status':
        return this.statusText();
      case 'uuid_exists':
        return this.live.has(args[0] ?? '') && !this.live.get(args[0] ?? '')?.isHungUp ? 'true' : 'false';
      case 'uuid_break': {
        const ch = this.live.get(args[0] ?? '');
        if (!ch || ch.isHungUp) return '-ERR No such channel!\n';
        ch.breakApp();
        return '+OK\n';
      }
      case 'uuid_record': {
        // Only `stop <path>` (mod_commands' uuid_record; the reply texts are not from a capture).
        const ch = this.live.get(args[0] ?? '');
        if (!ch || ch.isHungUp) return '-ERR Cannot locate session!\n';
        if (args[1] !== 'stop') return '-USAGE: <uuid> [start|stop|mask|unmask] <path> [<limit>]\n';
        return ch.stopSessionRecord(args[2] ?? '') ? '+OK Success\n' : '-ERR Cannot stop record session!\n';
      }
      case 'uuid_kill': {
        const ch = this.live.get(args[0] ?? '');
        if (!ch || ch.isHungUp) return '-ERR No such channel!\n';
        ch.hangup(args[1] ?? 'NORMAL_CLEARING', 'app');
        return '+OK\n';
      }
      case 'uuid_setvar': {
        // mod_commands: `uuid_setvar <uuid> <var> [<value>]`, the value being the rest of the line.
        const [uuid = '', name = '', ...value] = args;
        const ch = this.live.get(uuid);
        if (!ch || ch.isHungUp) return '-ERR No such channel!\n';
        if (name === '') return '-ERR No variable specified\n';
        ch.setVariable(name, value.join(' '));
        return '+OK\n';
      }
      case 'uuid_getvar': {
        const ch = this.live.get(args[0] ?? '');
        if (!ch) return '-ERR No such channel!\n';
        return ch.getVariable(args[1] ?? '') ?? '_undef_';
      }
      case 'show':
        if (args[0] === 'channels') return `{"row_count": ${this.live.size}}\n`;
        return '-USAGE: show <what>\n';
      default:
        return `-ERR ${verb} Command not found!\n`;
    }
  }

  private statusText(): string {
    const up = Date.now() - this.startedAt;
    const s = Math.floor(up / 1000);
    const live = this.live.size;
    return (
      `UP 0 years, 0 days, 0 hours, ${Math.floor(s / 60) % 60} minutes, ${s % 60} seconds, ${up % 1000} milliseconds, 0 microseconds\n` +
      'FreeSWITCH (Version 1.10.12-release  64bit) is ready\n' +
      `${this.sessionsSinceStart} session(s) since startup\n` +
      `${live} session(s) - peak ${live}, last 5min ${live} \n` +
      '0 session(s) per Sec out of max 30, peak 1, last 5min 1 \n' +
      '100 session(s) max\nmin idle cpu 0.00/98.90\nCurrent Stack Size/Max 240K/8192K\n'
    );
  }
}
