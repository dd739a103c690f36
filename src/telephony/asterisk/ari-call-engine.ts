import type { CallEngine, EngineCapabilities, EngineStatus, IncomingCall, PromptRef } from '../../domain/ports/call-engine.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { ARI_CAPABILITIES } from './ari-capabilities.ts';
import { AriCallLeg } from './ari-call-leg.ts';
import { targetChannelId, type AriEvent } from './ari-event.ts';
import { AriEventSocket } from './ari-event-socket.ts';
import { AriRest } from './ari-rest.ts';

/** The `asterisk` config slice plus where prompts live (see ari-prompt-mapper.ts). */
export interface AriEngineConfig {
  /** ARI base URL, e.g. `http://127.0.0.1:8088` (no `/ari`). */
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Stasis application name, as in the dialplan's `Stasis(<app>,${EXTEN})`. */
  readonly app: string;
  /** The prompts directory on this host (`prompts.dir`). */
  readonly promptsDir?: string;
  /** The same directory as Asterisk sees it, when Asterisk runs on another host (`prompts.engineDir`). */
  readonly promptsEngineDir?: string;
  /** callkeeper's own record beep (ari-prompt-mapper.ts); unset: ARI's `beep` option. */
  readonly beepPrompt?: PromptRef;
}

export interface AriEngineDeps {
  readonly logger: Logger;
  /** Backoff, ping and request deadlines. */
  readonly clock: Clock;
  readonly tuning?: {
    readonly initialBackoffMs?: number;
    readonly maxBackoffMs?: number;
    readonly requestTimeoutMs?: number;
    readonly pingIntervalMs?: number;
  };
}

/** Asterisk through ARI as the flow's CallEngine. */
export class AriCallEngine implements CallEngine {
  readonly name = 'asterisk';
  readonly capabilities: EngineCapabilities = ARI_CAPABILITIES;

  private readonly rest: AriRest;
  private readonly socket: AriEventSocket;
  private readonly legs = new Map<string, AriCallLeg>();
  private readonly statusListeners = new Set<(s: EngineStatus) => void>();
  private readonly logger: Logger;
  private current: EngineStatus = 'down';
  private onCall: ((call: IncomingCall) => void) | null = null;
  private firstUp: (() => void) | null = null;

  constructor(
    private readonly config: AriEngineConfig,
    private readonly deps: AriEngineDeps,
  ) {
    this.logger = deps.logger.child({ component: 'ari' });
    this.rest = new AriRest(
      { url: config.url, username: config.username, password: config.password, requestTimeoutMs: deps.tuning?.requestTimeoutMs },
      deps.clock,
    );
    this.socket = new AriEventSocket(
      {
        url: config.url,
        username: config.username,
        password: config.password,
        app: config.app,
        initialBackoffMs: deps.tuning?.initialBackoffMs,
        maxBackoffMs: deps.tuning?.maxBackoffMs,
        pingIntervalMs: deps.tuning?.pingIntervalMs,
      },
      {
        prepare: () => this.rest.load(),
        onOpen: () => this.onOpen(),
        onClose: () => this.setStatus('down'),
        onEvent: (e) => this.onEvent(e),
      },
      deps.clock,
      this.logger,
    );
  }

  /** Resolves once the websocket is up (retrying with backoff meanwhile), or when stop() is called. */
  start(onCall: (call: IncomingCall) => void): Promise<void> {
    this.onCall = onCall;
    this.setStatus('connecting');
    const up = new Promise<void>((resolve) => (this.firstUp = resolve));
    this.socket.start();
    return up;
  }

  async stop(): Promise<void> {
    this.socket.stop();
    this.firstUp?.();
    this.firstUp = null;
    this.onCall = null;
    this.setStatus('down');
  }

  status(): EngineStatus {
    return this.current;
  }

  onStatus(listener: (s: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /** Calls in progress (for drain and for leak checks in tests). */
  activeCalls(): number {
    return this.legs.size;
  }

  private onOpen(): void {
    this.setStatus('up');
    this.firstUp?.();
    this.firstUp = null;
    // Events during a gap are lost, not replayed (test/fixtures/asterisk/traces/README.md, point 11): ask Asterisk what became of our calls.
    for (const leg of [...this.legs.values()]) {
      leg.reconcile().catch((err: unknown) => this.logger.warn({ err: String(err), channel: leg.id }, 'could not reconcile a call after reconnect'));
    }
  }

  private onEvent(e: AriEvent): void {
    if (e.type === 'StasisStart' && e.channel) return this.onStasisStart(e);
    const channelId = e.channel?.id ?? targetChannelId(e.playback?.target_uri ?? e.recording?.target_uri);
    if (!channelId) return;
    this.legs.get(channelId)?.handle(e);
  }

  private onStasisStart(e: AriEvent): void {
    const ch = e.channel!;
    if (this.legs.has(ch.id)) return;
    const leg = new AriCallLeg(ch.id, this.rest, this.config, this.deps.clock, this.logger, (l) => this.legs.delete(l.id));
    this.legs.set(ch.id, leg);
    const call: IncomingCall = {
      leg,
      callerIdRaw: ch.caller?.number ?? '',
      callerName: ch.caller?.name ? ch.caller.name : null,
      // The dialplan passes ${EXTEN} as the first Stasis argument (traces 01: args = [dialed number]).
      dialed: e.args?.[0] ?? ch.dialplan?.exten ?? '',
    };
    this.logger.info({ channel: ch.id, caller: call.callerIdRaw, dialed: call.dialed }, 'call entered Stasis');
    if (!this.onCall) {
      void leg.hangup().catch(() => undefined);
      return;
    }
    try {
      this.onCall(call);
    } catch (err) {
      this.logger.error({ err: String(err), channel: ch.id }, 'call handler failed');
    }
  }

  private setStatus(s: EngineStatus): void {
    if (s === this.current) return;
    this.current = s;
    for (const l of [...this.statusListeners]) l(s);
  }
}
