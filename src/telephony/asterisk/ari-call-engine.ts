import type { CallEngine, EngineCapabilities, EngineStatus, IncomingCall, PromptRef } from '../../domain/ports/call-engine.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { Metrics } from '../../domain/ports/metrics.ts';
import { isAppError } from '../../domain/errors.ts';
import { ARI_CAPABILITIES } from './ari-capabilities.ts';
import { AriCallLeg, type AriLegHost, type HangupRetry } from './ari-call-leg.ts';
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
  /** Counts channels we could not hang up (`callkeeper_hangups_failed_total`). */
  readonly metrics?: Pick<Metrics, 'hangupFailed'>;
  readonly tuning?: {
    /** Tries of a failed hangup request (ari-call-leg.ts `DEFAULT_HANGUP_RETRY`). */
    readonly hangupRetry?: HangupRetry;
    /** How long a channel found in the app without a call must stay unclaimed before the sweep hangs it up. */
    readonly orphanGraceMs?: number;
    readonly initialBackoffMs?: number;
    readonly maxBackoffMs?: number;
    readonly requestTimeoutMs?: number;
    readonly pingIntervalMs?: number;
  };
}

/**
 * A StasisStart travels the websocket in well under this (traces: a few ms on loopback); a channel in
 * the app that is still not ours a second after we listed it is not a call arriving.
 */
const ORPHAN_GRACE_MS = 1000;

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
  /** Channels whose hangup failed on every try: hung up again when ARI comes back. */
  private readonly toHangUp = new Set<string>();
  private cancelSweepWait: (() => void) | null = null;
  private readonly legHost: AriLegHost = {
    ended: (leg) => {
      this.legs.delete(leg.id);
      this.toHangUp.delete(leg.id);
    },
    hangupGivenUp: (leg, err) => {
      this.toHangUp.add(leg.id);
      this.deps.metrics?.hangupFailed('ari');
      this.logger.error(
        { channel: leg.id, err: String(err), pending: this.toHangUp.size },
        'could not hang up a channel; trying again when the ARI connection is back',
      );
    },
  };

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
    this.cancelSweepWait?.();
    this.cancelSweepWait = null;
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

  /** Channels whose hangup failed on every try and that have not been seen to end since. */
  channelsToHangUp(): string[] {
    return [...this.toHangUp];
  }

  private onOpen(): void {
    this.setStatus('up');
    this.firstUp?.();
    this.firstUp = null;
    // Events during a gap are lost, not replayed (test/fixtures/asterisk/traces/README.md, point 11): ask Asterisk what became of our calls.
    for (const leg of [...this.legs.values()]) {
      leg.reconcile().catch((err: unknown) => this.logger.warn({ err: String(err), channel: leg.id }, 'could not reconcile a call after reconnect'));
    }
    this.sweep().catch((err: unknown) => this.logger.warn({ err: String(err) }, 'could not sweep the Stasis app for channels to hang up'));
  }

  /**
   * On every (re)connect: hangs up the channels whose hangup failed before, then every channel in our
   * Stasis app that no call owns (left by a process that died, or by a hangup lost with the
   * connection). `GET /applications/{app}` lists them (traces 08a). A channel that entered the app
   * just now may be listed before its StasisStart reached us, so a channel is only an orphan if it is
   * still unclaimed `orphanGraceMs` later (src/telephony/asterisk/README.md, "Hanging up for sure").
   */
  private async sweep(): Promise<void> {
    for (const id of [...this.toHangUp]) {
      if (await this.hangUpChannel(id)) {
        this.toHangUp.delete(id);
        this.logger.info({ channel: id }, 'hung up a channel whose hangup had failed');
      }
    }
    const app = (await this.rest.getApplication(this.config.app)) as { channel_ids?: unknown } | null;
    const listed = Array.isArray(app?.channel_ids) ? app.channel_ids.filter((x): x is string => typeof x === 'string') : [];
    const unclaimed = listed.filter((id) => !this.legs.has(id));
    if (unclaimed.length === 0) return;
    await new Promise<void>((resolve) => {
      this.cancelSweepWait = this.deps.clock.setTimer(this.deps.tuning?.orphanGraceMs ?? ORPHAN_GRACE_MS, resolve);
    });
    this.cancelSweepWait = null;
    for (const id of unclaimed) {
      if (this.legs.has(id) || this.current !== 'up') continue;
      if (await this.hangUpChannel(id)) this.logger.warn({ channel: id }, 'hung up a channel in the Stasis app that no call owned');
    }
  }

  /** One hangup request; true once the channel is gone or going. */
  private async hangUpChannel(id: string): Promise<boolean> {
    try {
      await this.rest.hangup(id);
      return true;
    } catch (err) {
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) return true;
      this.logger.warn({ err: String(err), channel: id }, 'ARI hangup failed');
      return false;
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
    const leg = new AriCallLeg(ch.id, this.rest, this.config, this.deps.clock, this.logger, this.legHost, this.deps.tuning?.hangupRetry);
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
