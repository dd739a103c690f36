export interface RestartOptions {
  /** Real ms during which connections are refused (the old process exited, the new one not listening). */
  readonly refusedMs?: number;
  /** Requests answered 404 text/html while ARI is not registered yet. */
  readonly notFoundAttempts?: number;
  /** Requests answered 503 `Asterisk not booted`. */
  readonly notBootedAttempts?: number;
}

export type AriSimPhase = 'up' | 'refused' | 'not-found' | 'not-booted';

/**
 * Where the simulated Asterisk is in a restart (traces 08b): refusing connections, then answering
 * 404 text/html while ARI is not registered, then 503 `Asterisk not booted`, then up. The boot phases
 * advance on client attempts, not on time, so a test decides how many retries the client must make.
 */
export class AriSimBoot {
  private current: AriSimPhase = 'up';
  private attempts = 0;
  private changed: (() => void) | null = null;
  private opts: Required<RestartOptions> = { refusedMs: 0, notFoundAttempts: 0, notBootedAttempts: 0 };

  get phase(): AriSimPhase {
    return this.current;
  }

  /** Takes the restart's knobs (defaults: 50 ms refused, one attempt each at 404 and 503). */
  plan(opts: RestartOptions): Required<RestartOptions> {
    this.opts = { refusedMs: opts.refusedMs ?? 50, notFoundAttempts: opts.notFoundAttempts ?? 1, notBootedAttempts: opts.notBootedAttempts ?? 1 };
    return this.opts;
  }

  /** The old process is gone: connections are refused. */
  refuse(): void {
    this.current = 'refused';
  }

  /** The new process starts; resolves once it is up (after the planned boot attempts). */
  boot(): Promise<void> {
    const up = new Promise<void>((resolve) => (this.changed = () => this.current === 'up' && resolve()));
    this.set(this.opts.notFoundAttempts > 0 ? 'not-found' : this.opts.notBootedAttempts > 0 ? 'not-booted' : 'up');
    return up;
  }

  /** Counts one client attempt during boot and moves to the next boot phase when enough were made. */
  attempt(): void {
    this.attempts++;
    if (this.current === 'not-found' && this.attempts >= this.opts.notFoundAttempts) {
      this.set(this.opts.notBootedAttempts > 0 ? 'not-booted' : 'up');
    } else if (this.current === 'not-booted' && this.attempts >= this.opts.notBootedAttempts) {
      this.set('up');
    }
  }

  private set(p: AriSimPhase): void {
    this.current = p;
    this.attempts = 0;
    this.changed?.();
  }
}
