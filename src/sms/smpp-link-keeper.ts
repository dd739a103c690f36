import type { Logger } from '../domain/ports/logger.ts';
import { backoffDelay } from '../domain/retry/backoff.ts';

/** Durations are milliseconds unless the name ends in `InS`. */
export interface LinkKeeperConfig {
  readonly enquireLinkInS: number;
  /** First reconnect delay; doubles per failed attempt up to `reconnectMaxMs`, drawn from 50-100 % of that (backoff.ts). */
  readonly reconnectInitialMs?: number;
  readonly reconnectMaxMs?: number;
}

/**
 * Keeps an SMPP link alive: the periodic enquire_link while bound, and reconnects with backoff after.
 * Its timers are Node's, like the PDU deadlines of the same link (smpp-request-tracker.ts,
 * submit-window.ts): the gateway has no Clock port, and its tests drive it over real sockets.
 */
export class SmppLinkKeeper {
  private enquireTimer: NodeJS.Timeout | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private failures = 0;

  constructor(
    private readonly cfg: LinkKeeperConfig,
    private readonly log: Logger,
  ) {}

  /** The link is bound: the backoff starts over and `ping` runs every `enquireLinkInS`. */
  linkUp(ping: () => void): void {
    this.failures = 0;
    // A link that cannot answer enquire_link within the response timeout is dead even if TCP says not.
    this.enquireTimer = setInterval(ping, this.cfg.enquireLinkInS * 1000);
  }

  stopEnquire(): void {
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
  }

  /** Schedules `reconnect` after the backoff delay; a link that had been up starts the backoff over. */
  scheduleReconnect(wasUp: boolean, reconnect: () => void): void {
    if (wasUp) this.failures = 0;
    this.failures++;
    const delay = backoffDelay({ initialMs: this.cfg.reconnectInitialMs ?? 1_000, maxMs: this.cfg.reconnectMaxMs ?? 60_000, jitter: 0.5 }, this.failures);
    this.log.warn({ delayMs: delay, attempt: this.failures }, 'SMPP link down; reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      reconnect();
    }, delay);
  }

  cancelReconnect(): void {
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
  }

  reconnectScheduled(): boolean {
    return this.reconnectTimer !== null;
  }
}
